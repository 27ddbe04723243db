"""Integrity at the door through the API (issue 12): time not yet executed, impossible years
and cancellations after the report are 422s with `{field, code, message}`, never stored and
never a 500 — for one report, a cancellation and the bulk import alike."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from folja.delivery.models import Session, SessionStatus
from folja.testing.factories_providers import bearer, provider_world

pytestmark = pytest.mark.django_db

# The clock is frozen at 2024-12-10 09:00 on the local wall clock; the decision of
# provider_world is valid 2024-02-14..2025-02-13, so Christmas Eve 2024 is inside it.
frozen = time_machine.travel(
    datetime(2024, 12, 10, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False
)


@pytest.fixture
def world():
    return provider_world()


def row(world, **kw):
    data = {
        "external_id": "x1",
        "personnummer": world.person.personnummer,
        "order_id": world.order.pk,
        "start": "2024-12-02T18:00",
        "end": "2024-12-02T20:00",
        "status": "executed",
        "escorts": 1,
    }
    data.update(kw)
    return data


def post(client, url, data, world):
    return client.post(
        url, json.dumps(data), content_type="application/json", **bearer(world.token)
    )


def errors(response):
    assert response.status_code == 422, response.content
    items = response.json()["errors"]
    assert all(set(e) >= {"field", "code", "message"} and e["message"] for e in items)
    return [
        (e.get("row"), e["field"], e["code"]) if "row" in e else (e["field"], e["code"])
        for e in items
    ]


@frozen
def test_executed_time_on_next_christmas_eve_is_refused_and_never_paid(client, world):
    r = post(
        client,
        "/api/v1/sessions",
        row(world, start="2024-12-24T18:00", end="2024-12-24T21:00"),
        world,
    )
    assert errors(r) == [("start", "not_started")]
    assert Session.objects.count() == 0


@frozen
def test_a_no_show_reported_before_the_start_is_refused(client, world):
    r = post(
        client,
        "/api/v1/sessions",
        row(world, status="no_show", start="2024-12-24T18:00", end="2024-12-24T21:00"),
        world,
    )
    assert errors(r) == [("start", "not_started")]


@frozen
@pytest.mark.parametrize("year", ["0001", "1899", "2101", "9998", "9999"])
def test_a_session_in_an_impossible_year_is_a_field_error_not_a_500(client, world, year):
    r = post(
        client,
        "/api/v1/sessions",
        row(world, status="booked", start=f"{year}-12-31T10:00", end=f"{year}-12-31T12:00"),
        world,
    )
    assert errors(r) == [("start", "out_of_range")]
    assert Session.objects.count() == 0


@frozen
def test_a_cancellation_made_in_9999_does_not_become_a_paid_late_cancellation(client, world):
    r = post(
        client,
        "/api/v1/sessions",
        row(world, status="cancelled_by_person", cancelled_at="9999-12-31T12:00"),
        world,
    )
    assert errors(r) == [("cancelled_at", "out_of_range")]
    booked = post(
        client,
        "/api/v1/sessions",
        row(
            world,
            external_id="b",
            status="booked",
            start="2024-12-12T18:00",
            end="2024-12-12T20:00",
        ),
        world,
    ).json()
    for moment, code in (("9999-12-31T12:00", "out_of_range"), ("2024-12-10T09:01", "in_future")):
        r = post(
            client,
            f"/api/v1/sessions/{booked['id']}/cancel",
            {"cause": "person", "cancelled_at": moment},
            world,
        )
        assert errors(r) == [("cancelled_at", code)]
    session = Session.objects.get(pk=booked["id"])
    assert session.status == SessionStatus.BOOKED and session.payment_sek == 0


@frozen
def test_cancelling_as_a_no_show_before_the_start_names_the_cause(client, world):
    booked = post(
        client,
        "/api/v1/sessions",
        row(world, status="booked", start="2024-12-24T18:00", end="2024-12-24T21:00"),
        world,
    ).json()
    r = post(
        client,
        f"/api/v1/sessions/{booked['id']}/cancel",
        {"cause": "no_show", "cancelled_at": "2024-12-10T09:00"},
        world,
    )
    assert errors(r) == [("cause", "not_started")]


@frozen
def test_a_cancellation_made_now_is_still_accepted(client, world):
    r = post(
        client,
        "/api/v1/sessions",
        row(world, status="cancelled_by_person", cancelled_at="2024-12-10T09:00"),
        world,
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "cancelled_by_person"


@frozen
def test_the_bulk_import_refuses_the_whole_file_with_row_errors(client, world):
    rows = [
        row(world, external_id="ok"),
        row(world, external_id="xmas", start="2024-12-24T18:00", end="2024-12-24T21:00"),
        row(world, external_id="y9999", start="9999-12-31T10:00", end="9999-12-31T12:00"),
        row(
            world,
            external_id="c9999",
            start="2024-12-03T18:00",
            end="2024-12-03T20:00",
            status="cancelled_by_person",
            cancelled_at="9999-12-31T12:00",
        ),
    ]
    r = post(client, "/api/v1/sessions/import", rows, world)
    assert errors(r) == [
        (2, "start", "not_started"),
        (3, "start", "out_of_range"),
        (3, "end", "out_of_range"),
        (4, "cancelled_at", "out_of_range"),
    ]
    assert Session.objects.count() == 0


@frozen
def test_the_csv_import_refuses_year_9999_with_a_row_error(client, world):
    text = (
        "external_id,personnummer,order_id,start,end,status\n"
        f"a,{world.person.personnummer},{world.order.pk},9999-12-31T10:00,9999-12-31T12:00,booked\n"
    )
    r = client.post("/api/v1/sessions/import", text, content_type="text/csv", **bearer(world.token))
    assert errors(r) == [(1, "start", "out_of_range"), (1, "end", "out_of_range")]


@frozen
@pytest.mark.parametrize("query", ["start_from=0001-01-01", "start_to=9999-12-31"])
def test_listing_sessions_with_an_extreme_date_is_not_a_500(client, world, query):
    r = client.get(f"/api/v1/sessions?{query}", **bearer(world.token))
    assert r.status_code == 200
    assert r.json()["count"] == 0
