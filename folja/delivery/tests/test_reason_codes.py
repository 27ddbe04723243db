"""Every verification reason code, from a report through the delivery services."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from folja.delivery.models import Session
from folja.delivery.services import (
    DUPLICATE,
    LATE_REPORT,
    NO_ORDER,
    ImportRejected,
    session_report,
    sessions_import,
)
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return provider_world()


def report(world, start, end, **kw):
    kw.setdefault("status", "executed")
    kw.setdefault("order", world.order)
    return session_report(
        user=world.staff,
        provider=world.provider,
        person=world.person,
        start=start,
        end=end,
        **kw,
    )


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_a_clean_report_has_no_flags_and_is_paid(world):
    s = report(world, datetime(2024, 2, 20, 18, 0), datetime(2024, 2, 20, 21, 30))
    assert s.flags == []
    assert s.payment_sek == Decimal("1586.50")


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_a_session_outside_the_decision_is_flagged_outside_decision(world):
    # The order's decision is valid from 2024-02-14; no other decision covers February 1st.
    s = report(world, datetime(2024, 2, 1, 10, 0), datetime(2024, 2, 1, 11, 0))
    assert "outside_decision" in s.flags


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_a_session_with_no_accepted_order_is_flagged_no_order_and_not_paid(world):
    world.order.status = "sent"
    world.order.save()
    s = report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 11, 0))
    assert NO_ORDER in s.flags
    assert s.payment_sek == 0


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_overlapping_sessions_flag_the_later_one(world):
    report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 12, 0))
    s = report(world, datetime(2024, 2, 20, 11, 0), datetime(2024, 2, 20, 13, 0))
    assert "overlap" in s.flags
    assert s.charged_minutes == 0


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_time_beyond_the_grant_is_flagged_exceeds_grant_and_waits_for_review(world):
    # 10 h/month from 2024-02-14: the first flex3 period grants far less than 40 hours.
    s = report(world, datetime(2024, 2, 20, 8, 0), datetime(2024, 2, 21, 8, 0))
    s2 = report(world, datetime(2024, 2, 22, 8, 0), datetime(2024, 2, 23, 8, 0))
    assert "exceeds_grant" in s2.flags or "exceeds_grant" in s.flags
    s2.refresh_from_db()
    assert s2.review_status == "pending"


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_two_escorts_without_double_staffing_are_flagged(world):
    s = report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 11, 0), escorts=2)
    assert "double_staffing_not_granted" in s.flags


@time_machine.travel(datetime(2024, 4, 20, 9, 0), tick=False)
def test_a_report_after_the_guidelines_deadline_is_flagged_late_report(world):
    # February's deadline is five days after the month ends (reference data).
    s = report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 11, 0))
    assert LATE_REPORT in s.flags


@time_machine.travel(datetime(2024, 3, 5, 9, 0), tick=False)
def test_a_report_on_the_deadline_day_is_in_time(world):
    s = report(world, datetime(2024, 2, 29, 10, 0), datetime(2024, 2, 29, 11, 0))
    assert LATE_REPORT not in s.flags


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_the_same_visit_under_another_external_id_is_flagged_duplicate(world):
    report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 11, 0), external_id="a")
    s = report(world, datetime(2024, 2, 20, 10, 0), datetime(2024, 2, 20, 11, 0), external_id="b")
    assert DUPLICATE in s.flags
    assert s.payment_sek == 0


@time_machine.travel(datetime(2024, 3, 1, 9, 0), tick=False)
def test_import_sets_the_database_reason_codes_too(world):
    pnr = world.person.personnummer
    rows = [
        {
            "external_id": "1",
            "personnummer": pnr,
            "start": "2024-02-20T10:00",
            "end": "2024-02-20T11:00",
            "status": "executed",
        },
        {
            "external_id": "2",
            "personnummer": pnr,
            "start": "2024-02-20T10:00",
            "end": "2024-02-20T11:00",
            "status": "executed",
        },
    ]
    sessions_import(user=world.staff, provider=world.provider, rows=rows)
    flags = dict(Session.objects.values_list("external_id", "flags"))
    assert flags["1"] == []
    assert flags["2"] == [DUPLICATE]


def test_an_import_with_an_error_stores_nothing(world):
    rows = [
        {
            "external_id": "1",
            "personnummer": world.person.personnummer,
            "start": "2024-02-20T10:00",
            "end": "2024-02-20T11:00",
            "status": "executed",
        },
        {
            "external_id": "1",
            "personnummer": world.person.personnummer,
            "start": "2024-02-20T12:00",
            "end": "nope",
            "status": "executed",
        },
    ]
    with pytest.raises(ImportRejected) as exc:
        sessions_import(user=world.staff, provider=world.provider, rows=rows)
    codes = {(e.row, e.field, e.code) for e in exc.value.errors}
    assert codes == {(2, "external_id", "duplicate_in_file"), (2, "end", "invalid_datetime")}
    assert Session.objects.count() == 0


def test_an_order_is_active_until_it_ends(world):
    from folja.delivery.services import order_covers

    assert order_covers(world.order, date(2024, 2, 14))
    world.order.ended_on = date(2024, 3, 1)
    assert order_covers(world.order, date(2024, 3, 1))
    assert not order_covers(world.order, date(2024, 3, 2))
