"""Integrity at the door (issue 12): impossible times are refused with field errors at every
door sessions come in by — the services, the provider's forms, the bulk import and the history
import — all through the one shared check, and never with a 500."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from folja.delivery.models import Session, SessionStatus
from folja.delivery.services import (
    DeliveryError,
    ImportRejected,
    session_book,
    session_cancel,
    session_report,
    session_time_errors,
    sessions_import,
)
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db

# Early December 2024; the decision of provider_world is valid 2024-02-14..2025-02-13. The
# clock is frozen at NOW on the local wall clock (a naive time would be read as UTC).
NOW = datetime(2024, 12, 10, 9, 0)
frozen = time_machine.travel(NOW.replace(tzinfo=ZoneInfo("Europe/Stockholm")), tick=False)
CHRISTMAS_EVE = datetime(2024, 12, 24, 18, 0)


@pytest.fixture
def world():
    return provider_world()


def report(world, start, end, **kw):
    kw.setdefault("status", "executed")
    kw.setdefault("order", world.order)
    return session_report(
        user=world.staff, provider=world.provider, person=world.person, start=start, end=end, **kw
    )


def book(world, start, end):
    return session_book(user=world.staff, order=world.order, start=start, end=end)


def refused(call) -> DeliveryError:
    with pytest.raises(DeliveryError) as exc:
        call()
    return exc.value


# --- the one check -----------------------------------------------------------------------------


def test_the_shared_check_accepts_a_session_that_has_happened():
    assert (
        session_time_errors(
            now=NOW,
            start=datetime(2024, 12, 9, 18, 0),
            end=datetime(2024, 12, 9, 20, 0),
            status="executed",
        )
        == []
    )


def test_the_shared_check_lets_the_window_run_from_1900_to_the_end_of_2100():
    def codes(moment):
        return [e.code for e in session_time_errors(now=datetime(2200, 1, 1), start=moment)]

    assert codes(datetime(1900, 1, 1, 0, 0)) == []
    assert codes(datetime(2100, 12, 31, 23, 59)) == []
    assert codes(datetime(1899, 12, 31, 23, 59)) == ["out_of_range"]
    assert codes(datetime(2101, 1, 1, 0, 0)) == ["out_of_range"]


def test_the_shared_check_names_every_field_at_fault():
    errors = session_time_errors(
        now=NOW,
        start=datetime(1, 1, 1, 10, 0),
        end=datetime(9999, 12, 31, 23, 0),
        status="executed",
        cancelled_at=datetime(9999, 12, 31, 12, 0),
    )
    assert [(e.field, e.code) for e in errors] == [
        ("start", "out_of_range"),
        ("end", "out_of_range"),
        ("cancelled_at", "out_of_range"),
    ]


@frozen
def test_a_session_may_be_reported_executed_from_the_minute_it_starts():
    assert session_time_errors(now=NOW, start=NOW, status="executed") == []
    later = datetime(2024, 12, 10, 9, 1)
    assert [e.code for e in session_time_errors(now=NOW, start=later, status="executed")] == [
        "not_started"
    ]


# --- the services (and so the API and the CLI) -------------------------------------------------


@frozen
def test_it_refuses_executed_time_on_next_christmas_eve(world):
    error = refused(lambda: report(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0)))
    assert (error.field, error.code) == ("start", "not_started")
    assert "inte börjat" in error.message
    assert Session.objects.count() == 0


@frozen
def test_it_refuses_a_no_show_before_the_session_has_begun(world):
    error = refused(
        lambda: report(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0), status="no_show")
    )
    assert (error.field, error.code) == ("start", "not_started")


@frozen
def test_a_future_session_can_still_be_booked_and_cancelled_by_the_person_or_provider(world):
    s = book(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0))
    assert s.status == SessionStatus.BOOKED
    s = session_cancel(user=world.staff, session=s, cause="person", cancelled_at=NOW)
    assert s.status == SessionStatus.CANCELLED_BY_PERSON
    s = report(
        world,
        datetime(2024, 12, 27, 18, 0),
        datetime(2024, 12, 27, 20, 0),
        status="cancelled_by_provider",
    )
    assert s.status == SessionStatus.CANCELLED_BY_PROVIDER


@frozen
def test_it_refuses_to_mark_a_booked_session_a_no_show_before_it_starts(world):
    s = book(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0))
    error = refused(
        lambda: session_cancel(user=world.staff, session=s, cause="no_show", cancelled_at=NOW)
    )
    assert (error.field, error.code) == ("cause", "not_started")
    s.refresh_from_db()
    assert s.status == SessionStatus.BOOKED


@frozen
@pytest.mark.parametrize("year", [1, 1899, 2101, 9998, 9999])
def test_it_refuses_a_session_in_an_impossible_year_with_a_field_error(world, year):
    error = refused(
        lambda: report(
            world,
            datetime(year, 12, 31, 10, 0),
            datetime(year, 12, 31, 12, 0),
            status="cancelled_by_provider",
        )
    )
    assert (error.field, error.code) == ("start", "out_of_range")
    error = refused(lambda: book(world, datetime(year, 6, 1, 10, 0), datetime(year, 6, 1, 12, 0)))
    assert (error.field, error.code) == ("start", "out_of_range")
    assert Session.objects.count() == 0


@frozen
def test_a_cancellation_made_in_9999_does_not_make_a_paid_late_cancellation(world):
    error = refused(
        lambda: report(
            world,
            datetime(2024, 12, 2, 10, 0),
            datetime(2024, 12, 2, 12, 0),
            status="cancelled_by_person",
            cancelled_at=datetime(9999, 12, 31, 12, 0),
        )
    )
    assert (error.field, error.code) == ("cancelled_at", "out_of_range")
    assert Session.objects.count() == 0


@frozen
def test_it_refuses_a_cancellation_made_after_the_report_time(world):
    s = book(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0))
    tomorrow = datetime(2024, 12, 11, 9, 0)
    error = refused(
        lambda: session_cancel(user=world.staff, session=s, cause="person", cancelled_at=tomorrow)
    )
    assert (error.field, error.code) == ("cancelled_at", "in_future")
    error = refused(
        lambda: report(
            world,
            datetime(2024, 12, 2, 10, 0),
            datetime(2024, 12, 2, 12, 0),
            status="cancelled_by_person",
            cancelled_at=tomorrow,
        )
    )
    assert (error.field, error.code) == ("cancelled_at", "in_future")
    s.refresh_from_db()
    assert s.status == SessionStatus.BOOKED and s.cancelled_at is None


# --- the provider's forms ------------------------------------------------------------------------


@frozen
def test_the_report_form_shows_a_swedish_error_on_start_for_time_not_yet_executed(client, world):
    s = book(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0))
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:report", args=[s.pk]),
        {"start": "2024-12-24T18:00", "end": "2024-12-24T21:00"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="start-error"' in html and "Passet har inte börjat än" in html
    s.refresh_from_db()
    assert s.status == SessionStatus.BOOKED and s.payment_sek == 0


@frozen
@pytest.mark.parametrize("year", ["0001", "9998", "9999"])
def test_the_booking_form_refuses_impossible_years_on_the_field(client, world, year):
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:book", args=[world.order.pk]),
        {"start": f"{year}-12-31T10:00", "end": f"{year}-12-31T12:00", "escorts": "1"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="start-error"' in html and 'id="end-error"' in html
    assert "mellan år 1900 och år 2100" in html
    assert Session.objects.count() == 0


@frozen
@pytest.mark.parametrize("moment", ["9999-12-31T12:00", "2024-12-11T09:00"])
def test_the_cancel_form_refuses_a_cancellation_in_9999_or_after_now(client, world, moment):
    s = book(world, datetime(2024, 12, 12, 18, 0), datetime(2024, 12, 12, 20, 0))
    client.force_login(world.staff)
    r = client.post(
        reverse("providers:cancel", args=[s.pk]), {"cause": "person", "cancelled_at": moment}
    )
    assert r.status_code == 200
    assert 'id="cancelled_at-error"' in r.content.decode()
    s.refresh_from_db()
    assert s.status == SessionStatus.BOOKED


@frozen
def test_the_cancel_form_refuses_a_no_show_before_the_start_with_a_plain_reason(client, world):
    s = book(world, CHRISTMAS_EVE, datetime(2024, 12, 24, 21, 0))
    client.force_login(world.staff)
    r = client.post(reverse("providers:cancel", args=[s.pk]), {"cause": "no_show"})
    assert r.status_code == 200
    assert "Passet har inte börjat än" in r.content.decode()
    s.refresh_from_db()
    assert s.status == SessionStatus.BOOKED


# --- the bulk import -----------------------------------------------------------------------------


def row(world, n, **kw):
    data = {
        "external_id": f"x{n}",
        "personnummer": world.person.personnummer,
        "order_id": world.order.pk,
        "start": "2024-12-02T18:00",
        "end": "2024-12-02T20:00",
        "status": "executed",
    }
    data.update(kw)
    return data


@frozen
def test_the_bulk_import_is_all_or_nothing_with_a_row_error_for_each_impossible_time(world):
    rows = [
        row(world, 1),
        row(world, 2, start="2024-12-24T18:00", end="2024-12-24T21:00"),
        row(world, 3, start="0001-01-01T10:00", end="0001-01-01T12:00"),
        row(world, 4, start="9998-06-01T10:00", end="9998-06-01T12:00"),
        row(world, 5, start="9999-12-31T10:00", end="9999-12-31T12:00"),
        row(
            world,
            6,
            status="cancelled_by_person",
            start="2024-12-03T18:00",
            end="2024-12-03T20:00",
            cancelled_at="9999-12-31T12:00",
        ),
        row(
            world,
            7,
            status="cancelled_by_person",
            start="2024-12-04T18:00",
            end="2024-12-04T20:00",
            cancelled_at="2024-12-10T09:01",
        ),
        row(world, 8, status="no_show", start="2024-12-24T18:00", end="2024-12-24T21:00"),
    ]
    with pytest.raises(ImportRejected) as exc:
        sessions_import(user=world.staff, provider=world.provider, rows=rows)
    found = {(e.row, e.field, e.code) for e in exc.value.errors}
    assert found == {
        (2, "start", "not_started"),
        (3, "start", "out_of_range"),
        (3, "end", "out_of_range"),
        (4, "start", "out_of_range"),
        (4, "end", "out_of_range"),
        (5, "start", "out_of_range"),
        (5, "end", "out_of_range"),
        (6, "cancelled_at", "out_of_range"),
        (7, "cancelled_at", "in_future"),
        (8, "start", "not_started"),
    }
    assert all(e.message for e in exc.value.errors)
    assert Session.objects.count() == 0


@frozen
def test_the_bulk_import_still_takes_future_bookings_and_past_cancellations(world):
    result = sessions_import(
        user=world.staff,
        provider=world.provider,
        rows=[
            row(world, 1, status="booked", start="2024-12-24T18:00", end="2024-12-24T21:00"),
            row(
                world,
                2,
                status="cancelled_by_person",
                start="2024-12-27T18:00",
                end="2024-12-27T21:00",
                cancelled_at="2024-12-10T09:00",
            ),
        ],
    )
    assert result.created == 2


# --- the history import (folja import sessions) --------------------------------------------------

HEADER = "external_id,personnummer,order_id,escort_id,start,end,status,cancelled_at,escorts\n"


@frozen
def test_the_history_import_refuses_impossible_times_with_codes_and_writes_nothing(world):
    from folja.followup.imports import ImportFailed
    from folja.followup.session_import import import_sessions

    p, o = world.person.personnummer, world.order.pk
    text = HEADER + (
        f"H-1,{p},{o},,2024-12-02T10:00,2024-12-02T12:00,executed,,1\n"
        f"H-2,{p},{o},,2024-12-24T18:00,2024-12-24T21:00,executed,,1\n"
        f"H-3,{p},{o},,9999-12-31T10:00,9999-12-31T12:00,executed,,1\n"
        f"H-4,{p},{o},,2024-12-03T10:00,2024-12-03T12:00,cancelled_by_person,9999-12-31T10:00,1\n"
    )
    with pytest.raises(ImportFailed) as exc:
        import_sessions(text=text)
    lines = {(e.row, e.field, e.code) for e in exc.value.errors}
    assert lines == {
        (3, "start", "not_started"),
        (4, "start", "out_of_range"),
        (4, "end", "out_of_range"),
        (5, "cancelled_at", "out_of_range"),
    }
    assert Session.objects.count() == 0


@frozen
def test_the_history_import_command_exits_2_on_year_9999_instead_of_crashing(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    p, o = world.person.personnummer, world.order.pk
    path = tmp_path / "pass.csv"
    path.write_text(
        HEADER + f"H-1,{p},{o},,9999-12-31T10:00,9999-12-31T12:00,executed,,1\n", "utf-8"
    )
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "sessions", str(path), stderr=err)
    assert exc.value.code == 2
    assert "2, start, out_of_range:" in err.getvalue()


@frozen
@pytest.mark.parametrize("order_id", ["²", "9" * 30])
def test_the_history_import_calls_an_unreadable_order_id_unknown(world, order_id):
    from folja.followup.imports import ImportFailed
    from folja.followup.session_import import import_sessions

    text = HEADER + (
        f"H-1,{world.person.personnummer},{order_id},,2024-12-02T10:00,2024-12-02T12:00,"
        "executed,,1\n"
    )
    with pytest.raises(ImportFailed) as exc:
        import_sessions(text=text)
    assert [(e.row, e.field, e.code) for e in exc.value.errors] == [
        (2, "order_id", "unknown_order")
    ]


# --- admin calculation forms ---------------------------------------------------------------------


@frozen
@pytest.mark.parametrize("month", ["9999-12", "0001-01", "9999-99"])
def test_building_a_payment_run_for_year_9999_is_a_message_not_a_500(client, world, month):
    from folja.accounts.models import Role
    from folja.payments.models import PaymentRun
    from folja.testing.factories import make_user

    client.force_login(make_user(Role.ADMINISTRATOR))
    r = client.post(
        reverse("payments:build"), {"provider": world.provider.pk, "month": month}, follow=True
    )
    assert r.status_code == 200
    assert "ÅÅÅÅ-MM" in r.content.decode()
    assert not PaymentRun.objects.exists()


@frozen
def test_a_payment_run_within_the_window_is_still_built(client, world):
    from folja.accounts.models import Role
    from folja.payments.models import PaymentRun
    from folja.testing.factories import make_user

    client.force_login(make_user(Role.ADMINISTRATOR))
    client.post(reverse("payments:build"), {"provider": world.provider.pk, "month": "2024-11"})
    assert PaymentRun.objects.get().month == date(2024, 11, 1)


@pytest.mark.parametrize(
    "url,role", [("audit:export", "administrator"), ("audit:anomalies", "unit_manager")]
)
@pytest.mark.parametrize(
    "since,until", [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-05")]
)
def test_the_access_log_period_forms_refuse_year_9999_on_the_field(client, url, role, since, until):
    from folja.testing.factories import make_user

    client.force_login(make_user(role))
    r = client.get(reverse(url), {"since": since, "until": until, "format": "csv"})
    assert r.status_code == 200
    assert "mellan år 1900 och år 2100" in r.content.decode()
