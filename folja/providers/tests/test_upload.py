"""Provider staff upload the monthly session file in the browser (issue 17, 6): the same
all-or-nothing import as the API, run as a background job, a progress status to poll, and a
per-row error report of a refused file written by the one CSV writer."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from folja.audit.models import AuditEvent
from folja.delivery.models import Session, SessionUpload, UploadStatus
from folja.delivery.services import IMPORT_COLUMNS
from folja.testing.excel_csv import excel_semicolon_cp1252, excel_utf8_bom
from folja.testing.factories_providers import bearer, provider_world

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 3, 12, 0)


@pytest.fixture
def world():
    return provider_world()


def monthly_file(world, *, bad_status: bool = False) -> list[list[object]]:
    p, o = world.person.personnummer, world.order.pk
    return [
        list(IMPORT_COLUMNS),
        ["feb-1", p, o, "", "2024-02-20 10:00", "2024-02-20 11:00", "executed", "", "1"],
        ["", "", "", "", "", "", "", "", ""],  # an empty row Excel left: not counted as data
        [
            "feb-2",
            p,
            o,
            "",
            "2024-02-21 10:00",
            "2024-02-21 11:30",
            "dansade" if bad_status else "executed",
            "",
            "",
        ],
    ]


def _upload(client, world, data: bytes, name: str = "februari.csv"):
    client.force_login(world.staff)
    # A test runs inside a transaction that never commits: run what the upload queues on
    # commit (the job; the immediate backend runs it at once) when the request is done.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("providers:upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
        )


@time_machine.travel(NOW, tick=False)
def test_an_uploaded_excel_file_is_imported_as_the_api_would(client, world):
    response = _upload(client, world, excel_semicolon_cp1252(monthly_file(world)))
    upload = SessionUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("providers:upload_detail", args=[upload.pk])
    # The test settings run the job at once (the immediate backend), after the commit.
    assert upload.status == UploadStatus.DONE
    assert upload.result == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "flagged": 0}
    assert upload.content == b""  # the personnummer are not kept once imported
    sessions = Session.objects.filter(provider=world.provider)
    assert set(sessions.values_list("external_id", flat=True)) == {"feb-1", "feb-2"}
    assert set(sessions.values_list("reported_by", flat=True)) == {world.staff.pk}
    page = client.get(response["Location"])
    assert "Filen är importerad" in page.text
    assert "2 nya pass" in page.text
    # The same file through the API afterwards: the same import, so nothing new.
    api = client.post(
        "/api/v1/sessions/import",
        excel_semicolon_cp1252(monthly_file(world)),
        content_type="text/csv",
        **bearer(world.token),
    )
    assert api.json()["unchanged"] == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"session.upload", "session.import", "session.upload_done"} <= actions


@time_machine.travel(NOW, tick=False)
def test_a_refused_file_stores_nothing_and_reports_each_row_in_the_files_numbering(client, world):
    _upload(client, world, excel_utf8_bom(monthly_file(world, bad_status=True)))
    upload = SessionUpload.objects.get()
    assert upload.status == UploadStatus.REFUSED
    assert Session.objects.count() == 0
    # Row 4 of the spreadsheet (the header is 1, and row 3 is Excel's empty row).
    assert [(e["row"], e["field"], e["code"]) for e in upload.errors] == [
        (4, "status", "invalid_choice")
    ]
    page = client.get(reverse("providers:upload_detail", args=[upload.pk]))
    assert "Filen importerades inte" in page.text
    # The import's English message for API clients, in Swedish on the page (by its code).
    assert "Okänd status: se koderna under ”Filens format”." in page.text
    assert "status must be one of" not in page.text
    assert reverse("providers:upload_errors", args=[upload.pk]) in page.text

    report = client.get(reverse("providers:upload_errors", args=[upload.pk]))
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in report["Content-Disposition"]
    body = report.content
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["rad", "kolumn", "kod", "meddelande"]
    assert rows[1] == [
        "4",
        "status",
        "invalid_choice",
        "Okänd status: se koderna under ”Filens format”.",
    ]


@time_machine.travel(NOW, tick=False)
def test_a_file_in_an_unknown_encoding_is_refused_with_a_plain_reason(client, world):
    _upload(client, world, b"external_id;personnummer\r\n\x81\x9d;1\r\n")
    upload = SessionUpload.objects.get()
    assert upload.status == UploadStatus.REFUSED
    (error,) = upload.errors
    assert (error["row"], error["code"]) == (0, "encoding")
    page = client.get(reverse("providers:upload_detail", args=[upload.pk]))
    assert "Filen är inte i UTF-8 eller Windows-1252" in page.text


@time_machine.travel(NOW, tick=False)
def test_the_status_endpoint_says_where_the_import_is(client, world):
    _upload(client, world, excel_semicolon_cp1252(monthly_file(world)))
    upload = SessionUpload.objects.get()
    state = client.get(reverse("providers:upload_status", args=[upload.pk])).json()
    assert state == {
        "status": "done",
        "label": "Importerad",
        "step": 5,
        "steps": 5,
        "step_label": "Klart",
        "rows": 2,
        "finished": True,
    }


@time_machine.travel(NOW, tick=False)
def test_a_queued_upload_shows_a_progress_bar_at_its_first_step(client, world, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    _upload(client, world, excel_semicolon_cp1252(monthly_file(world)))
    upload = SessionUpload.objects.get()
    assert upload.status == UploadStatus.QUEUED
    page = client.get(reverse("providers:upload_detail", args=[upload.pk]))
    assert '<progress id="upload-bar" max="5" value="0"' in page.text
    assert 'role="status"' in page.text
    assert "upload-progress.js" in page.text
    assert client.get(reverse("providers:upload_status", args=[upload.pk])).json()["step"] == 0


def test_an_empty_upload_is_a_field_error(client, world):
    response = _upload(client, world, b"")
    assert response.status_code == 200
    assert SessionUpload.objects.count() == 0
    assert "error-summary" in response.text


def test_another_providers_staff_cannot_see_the_upload(client, world):
    other = provider_world()
    upload = SessionUpload.objects.create(
        provider=world.provider, filename="x.csv", created_at=NOW, status=UploadStatus.DONE
    )
    client.force_login(other.staff)
    for name in ("upload_detail", "upload_status", "upload_errors"):
        assert client.get(reverse(f"providers:{name}", args=[upload.pk])).status_code == 404


def test_the_upload_page_documents_the_format(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("providers:upload")).text
    for column in IMPORT_COLUMNS:
        assert f"<code>{column}</code>" in page
    assert "Windows-1252" in page and "semikolon" in page
    assert "<code>cancelled_by_person</code>" in page


@time_machine.travel(NOW, tick=False)
def test_the_upload_pages_read_in_english_when_english_is_chosen(client, world, settings):
    _upload(client, world, excel_utf8_bom(monthly_file(world, bad_status=True)))
    upload = SessionUpload.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("providers:upload")).text
    assert "Upload session file" in page and "The file's format" in page
    assert "Ladda upp passfil" not in page and "Filens format" not in page
    assert "the order&#x27;s number in Följa" in page  # a column's description
    detail = client.get(reverse("providers:upload_detail", args=[upload.pk])).text
    assert "The file was not imported" in detail
    assert "Unknown status" in detail and "Okänd status" not in detail


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_the_imports_own_stages_are_seen_outside_its_transaction_while_it_runs(monkeypatch):
    from django.db import connection, connections

    from folja.delivery.services import uploads

    if connection.vendor != "postgresql":
        pytest.skip("the side channel is PostgreSQL's (SQLite has one writer at a time)")
    world = provider_world()
    upload = SessionUpload.objects.create(
        provider=world.provider,
        uploaded_by=world.staff,
        filename="februari.csv",
        content=excel_semicolon_cp1252(monthly_file(world)),
        created_at=NOW,
    )
    seen = []
    stage = uploads._SideChannel.stage

    def looked_at_from_outside(channel, name):
        stage(channel, name)
        # Another session of the database, as the progress page's request is.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT step FROM delivery_sessionupload WHERE id = %s", [upload.pk])
                seen.append((name, cursor.fetchone()[0]))
                # The import's rows are not visible yet: it has not committed.
                cursor.execute("SELECT count(*) FROM delivery_session")
                seen.append(("sessions", cursor.fetchone()[0]))
        finally:
            other.close()

    monkeypatch.setattr(uploads._SideChannel, "stage", looked_at_from_outside)
    uploads.session_upload_run(upload_id=upload.pk)
    assert seen == [("verifying", 3), ("sessions", 0), ("storing", 4), ("sessions", 0)]
    upload.refresh_from_db()
    assert (upload.status, upload.step) == (UploadStatus.DONE, 5)
    assert Session.objects.count() == 2
