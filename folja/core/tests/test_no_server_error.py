"""Inputs that were 500s (issue 16, point 6), each now a field error, a 404, a default or an
idempotent answer. The fuzz (test_fuzz_inputs.py) looks for more of the same kind."""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from folja.accounts.models import Role
from folja.core.paging import MAX_PAGE, page_number
from folja.core.params import MAX_ID, ascii_int
from folja.testing.factories import UserFactory, make_user
from folja.testing.factories_providers import provider_world
from folja.testing.threads import run_at_once

BEYOND_BIGINT = str(2**63)


@pytest.mark.parametrize(
    "raw",
    ["²", "¹²", "٣", "３", "-1", "+1", "1.0", "1e3", "", " ", None, BEYOND_BIGINT, "9" * 5000],
)
def test_only_ascii_digits_within_bounds_are_a_number(raw):
    assert ascii_int(raw) is None


def test_ascii_digits_within_bounds_are_a_number():
    assert ascii_int(" 42 ") == 42
    assert ascii_int(str(MAX_ID)) == MAX_ID
    assert ascii_int("2024", minimum=2000, maximum=2100) == 2024
    assert ascii_int("1999", minimum=2000, maximum=2100) is None


@pytest.mark.parametrize("raw", ["²", "0", "-3", BEYOND_BIGINT, "99999999999999999999", None])
def test_a_page_number_that_is_no_page_is_the_first_page(raw):
    assert page_number(raw) == 1


def test_a_page_number_stays_within_what_an_offset_can_hold():
    assert page_number(str(MAX_PAGE)) == MAX_PAGE
    assert (MAX_PAGE - 1) * 1000 < MAX_ID


def _client(role, **kwargs) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(role, **kwargs))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["year", "district", "q"])
@pytest.mark.parametrize("value", ["²", "¹²", "٣", BEYOND_BIGINT])
@pytest.mark.parametrize(
    "url",
    [
        "/uppfoljning/",
        "/uppfoljning/stadsdel/",
        "/uppfoljning/likvardighet/",
        "/uppfoljning/oppna-data.csv",
        "/uppfoljning/diagram/tidsserie.svg",
    ],
)
def test_unicode_digits_in_the_follow_up_parameters_are_no_server_error(url, param, value):
    response = _client(Role.ANALYST).get(url, {param: value})
    # A year that is no year is the default year; a district that is none is not found.
    assert response.status_code in (200, 404)
    if param == "district":
        assert response.status_code == 404 or url in (
            "/uppfoljning/",
            "/uppfoljning/likvardighet/",
            "/uppfoljning/oppna-data.csv",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["²", "¹²", "٣", BEYOND_BIGINT])
def test_unicode_digits_in_the_access_log_lookup_find_no_one_instead_of_failing(q):
    response = _client(Role.UNIT_MANAGER).get("/granskning/", {"q": q})
    assert response.status_code == 200
    assert response.context["person"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_date_outside_the_window_in_the_access_log_filters_is_a_field_error(field, day):
    for role, url in (
        (Role.UNIT_MANAGER, "/granskning/avvikelser/"),
        (Role.ADMINISTRATOR, "/granskning/export/"),
    ):
        response = _client(role).get(url, {field: day, "format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response.context["form"].errors[field] == [
            "Ange ett datum mellan år 1900 och år 2100."
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("page", [BEYOND_BIGINT, "99999999999999999999", "²"])
def test_a_page_number_beyond_bigint_is_no_server_error(page):
    world = provider_world()
    provider_admin = Client(raise_request_exception=False)
    provider_admin.force_login(world.admin)
    for url in ("/utforare/pass/", "/utforare/", "/utforare/omkostnader/", "/utbetalning/"):
        assert provider_admin.get(url, {"sida": page}).status_code == 200, url
    assert _client(Role.CASEWORKER).get("/handlaggning/", {"sida": page}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["config", "qrcode"])
@pytest.mark.parametrize("pk", ["999999", BEYOND_BIGINT])
def test_the_otp_device_pages_for_a_device_that_does_not_exist_are_404(page, pk):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    response = client.get(f"/admin/otp_totp/totpdevice/{pk}/{page}/")
    assert response.status_code == 404


def _rows(world) -> list[dict]:
    return [
        {
            "external_id": f"c{n}",
            "personnummer": world.person.personnummer,
            "order_id": world.order.pk,
            "start": f"2024-02-2{n}T10:00",
            "end": f"2024-02-2{n}T11:00",
            "status": "executed",
        }
        for n in range(3)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_imports_at_once_store_the_rows_once_and_both_answer(monkeypatch):
    """The second import used to read the stored sessions before the first had committed its
    rows, insert them too and fail on the unique (provider, external_id) with a 500. Both
    imports are held just before they insert, so without the lock both would get there."""
    from folja.delivery.models import Session
    from folja.delivery.services import imports, sessions_import

    world = provider_world()
    rows = _rows(world)
    at_insert = threading.Barrier(2)
    insert = imports.insert_sessions

    def insert_when_both_are_here(sessions):
        # Broken when the other import waits for this one to commit: the fixed behaviour.
        with contextlib.suppress(threading.BrokenBarrierError):
            at_insert.wait(timeout=3)
        insert(sessions)

    monkeypatch.setattr(imports, "insert_sessions", insert_when_both_are_here)
    results = []

    def run(_n: int) -> None:
        results.append(sessions_import(user=world.admin, provider=world.provider, rows=rows))

    with time_machine.travel(datetime(2024, 3, 3, 12, 0), tick=False):
        errors = run_at_once(run, 2)
    assert errors == []
    assert sorted((r.created, r.unchanged) for r in results) == [(0, 3), (3, 0)]
    assert Session.objects.filter(provider=world.provider).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_from_the_command_line_is_stored_once():
    from folja.delivery.models import Session
    from folja.followup.session_import import import_sessions

    world = provider_world()
    header = "external_id,personnummer,order_id,escort_id,start,end,status,cancelled_at,escorts\n"
    text = header + "".join(
        f"{r['external_id']},{r['personnummer']},{r['order_id']},,{r['start']},{r['end']},"
        "executed,,1\n"
        for r in _rows(world)
    )
    barrier, counts = threading.Barrier(2), []

    def run(_n: int) -> None:
        barrier.wait()
        counts.append(import_sessions(text=text))

    with time_machine.travel(datetime(2024, 3, 3, 12, 0), tick=False):
        errors = run_at_once(run, 2)
    assert errors == []
    assert counts == [3, 3]
    assert Session.objects.filter(provider=world.provider).count() == 3
