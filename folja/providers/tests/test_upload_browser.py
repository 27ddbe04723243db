"""The monthly file uploaded in real Chromium (issue 17, 6): upload → a progress bar while the
job waits and runs → the result, and a refused file with its downloadable error report; the
upload, progress and result pages pass axe-core. The job waits in the database (the backend
`make run` uses) until the test runs the worker once, so the progress page is seen before the
result; every step waits on a condition, never on time."""

from __future__ import annotations

import csv
import io
import signal
from datetime import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from folja.delivery.models import Session, SessionUpload, UploadStatus
from folja.delivery.services import IMPORT_COLUMNS
from folja.testing.browser import axe_violations, login
from folja.testing.excel_csv import excel_semicolon_cp1252
from folja.testing.factories_providers import provider_world

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def _file(world, status: str = "executed") -> bytes:
    p, o = world.person.personnummer, world.order.pk
    # Times before the clock of the machine: the import refuses executed time in the future.
    return excel_semicolon_cp1252(
        [
            list(IMPORT_COLUMNS),
            ["w-1", p, o, "", "2024-02-20 10:00", "2024-02-20 11:00", "executed", "", "1"],
            ["w-2", p, o, "", "2024-02-21 10:00", "2024-02-21 11:30", status, "", ""],
        ]
    )


def _run_worker() -> None:
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _axe(page, found: dict, name: str) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]


def _send(page, data: bytes, name: str) -> None:
    page.goto(reverse("providers:upload"))
    page.get_by_label("Passfil (CSV)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Ladda upp och importera").click()
    page.wait_for_url("**/utforare/pass/import/*/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_shows_progress_then_the_result_and_a_refused_file_its_error_report(
    page, settings, tmp_path
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.TASKS = DATABASE_BACKEND
    world = provider_world()
    world.staff.set_password("demo")
    world.staff.save()
    login(page, world.staff.username)
    found: dict = {}

    page.goto(reverse("providers:upload"))
    expect(page.get_by_role("heading", name="Filens format")).to_be_visible()
    _axe(page, found, "upload")

    # A good file: queued, the bar at its first step, then the result once the worker ran.
    _send(page, _file(world), "februari.csv")
    bar = page.get_by_role("progressbar", name="Importen av filen")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_contain_text("väntar på sin tur")
    _axe(page, found, "progress")
    _run_worker()
    # The page polls the status endpoint and shows the result by itself.
    expect(page.get_by_role("heading", name="Filen är importerad")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Importen av filen")).to_have_attribute(
        "value", "5"
    )
    expect(page.get_by_text("2 nya pass")).to_be_visible()
    _axe(page, found, "result")
    assert Session.objects.filter(provider=world.provider).count() == 2

    # A refused file: nothing more stored, the errors listed and downloadable as CSV.
    _send(page, _file(world, status="dansade"), "mars.csv")
    _run_worker()
    expect(page.get_by_role("heading", name="Filen importerades inte")).to_be_visible()
    expect(page.get_by_role("cell", name="3", exact=True)).to_be_visible()
    _axe(page, found, "refused")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner felrapporten (CSV)").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["rad", "kolumn", "kod", "meddelande"]
    assert rows[1][:3] == ["3", "status", "invalid_choice"]
    refused = SessionUpload.objects.get(filename="mars.csv")
    assert refused.status == UploadStatus.REFUSED
    # All or nothing: w-1 was in the refused file too and is unchanged from the first import.
    assert Session.objects.filter(provider=world.provider).count() == 2
    assert datetime(2024, 2, 21, 11, 30) == Session.objects.get(external_id="w-2").end
    assert found == {}
