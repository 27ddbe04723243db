"""A full rebuild of the roll-up reads the ledger's stored results instead of evaluating every
person again (the seed has just verified them all), and gives the same figures, row for row,
as the path that evaluates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from folja.delivery.models import Session
from folja.followup import facts
from folja.followup.models import PersonMonth
from folja.followup.services import rollup_expected, rollup_snapshot, rollup_verify
from folja.guidelines.models import GuidelineVersion
from folja.ledger.changed import everyone_figures_changed, person_figures_changed
from folja.people.models import Person
from folja.testing.factories import DecisionFactory, OrderFactory, SessionFactory, reference_data
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db

# Today's demo city (flex3 under the 2018 guidelines), and one whose two years span the change
# from the 2012 guidelines (monthly) to the 2018 ones: sessions judged by two dated versions.
DEMO_CITIES = {
    "2026": (date(2026, 11, 23), {}),
    "2017-2019": (date(2019, 6, 30), {"years": 2}),
}


@pytest.fixture(params=sorted(DEMO_CITIES))
def demo_city(request):
    """A demo city, seeded inside the test's transaction (a few seconds; rolled back)."""
    today, options = DEMO_CITIES[request.param]
    with time_machine.travel(datetime.combine(today, datetime.min.time()), tick=False):
        call_command("seed", scale="demo", today=today.isoformat(), quiet=True, **options)
        yield today


def _no_engine(**_):
    raise AssertionError("the rules engine was run")


def _rows(*, stored: bool) -> list[tuple]:
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    return [
        (f.person_id, *f.as_tuple())
        for batch in facts.facts_in_batches(ids, batch=25, stored=stored)
        for f in batch
    ]


def test_the_stored_results_give_the_same_facts_as_an_evaluation_row_for_row(
    demo_city, monkeypatch
):
    evaluated = _rows(stored=False)
    with monkeypatch.context() as patch:
        patch.setattr(facts.bridge, "evaluate_rows", _no_engine)
        from_stored = _rows(stored=True)
    assert from_stored == evaluated
    # The comparison covers every kind of figure: the demo city has each of them.
    names = ("person_id", *facts.KEY_FIELDS, "has_grant", "flex3_month", "used_flexibly")
    totals = {
        name: sum(row[len(names) + i] for row in evaluated)
        for i, name in enumerate(facts.SUM_FIELDS)
    }
    for name in (
        "granted_minutes",
        "executed_minutes",
        "charged_minutes",
        "lapsed_minutes",
        "sessions_executed",
        "cancelled_in_time",
        "cancelled_late",
        "no_shows",
    ):
        assert totals[name] > 0, name
    # Some charged time is not executed time (a late cancellation, a no-show), and some
    # reports are not counted at all: the flags and kinds read back decide it as the engine.
    assert totals["charged_minutes"] > totals["executed_minutes"]
    assert Session.objects.exclude(flags=[]).exists()


def _report(order, start: datetime, minutes: int = 60, **kw) -> Session:
    return SessionFactory(order=order, start=start, end=start + timedelta(minutes=minutes), **kw)


@time_machine.travel(datetime(2027, 6, 1, 12, 0), tick=False)
def test_the_stored_results_give_the_engines_flags_kinds_and_dated_cut_offs():
    """What the demo city lacks: every kind of report the engine judges apart, and a
    cancellation judged by the version in force on its own day."""
    reference_data()
    GuidelineVersion.objects.update(late_cancellation_cutoff_hours=24)
    version = GuidelineVersion.objects.filter(valid_from__lte=date(2026, 6, 1)).first()
    version.pk, version.name, version.valid_from = None, "Riktlinjer 2027", date(2027, 1, 1)
    version.late_cancellation_cutoff_hours = 48
    version.save()
    decision = DecisionFactory(
        valid_from=date(2026, 10, 1),
        valid_to=date(2027, 3, 31),
        hours_per_month=Decimal("10"),
        model="flex3",
    )
    order = OrderFactory(decision=decision)
    first = _report(order, datetime(2026, 10, 5, 10, 0), 120)
    _report(order, datetime(2026, 10, 5, 11, 0))  # overlaps the first: charges nothing
    _report(order, first.start, 120, flags=["duplicate"])  # never given to the engine
    _report(order, datetime(2026, 10, 20, 10, 0), flags=["no_order"])  # nor this one
    _report(order, datetime(2026, 10, 22, 10, 0), status="booked")  # not a report yet
    # Cancelled 25 hours ahead: in time under 2026's 24 hours, late under 2027's 48 hours.
    for start in (datetime(2026, 11, 10, 10, 0), datetime(2027, 2, 10, 10, 0)):
        _report(
            order, start, status="cancelled_by_person", cancelled_at=start - timedelta(hours=25)
        )
    _report(order, datetime(2027, 2, 12, 10, 0), status="no_show")
    _report(order, datetime(2027, 2, 14, 10, 0), status="cancelled_by_provider")
    _report(order, datetime(2027, 4, 7, 10, 0), 90)  # after the decision ended
    person_figures_changed(person_ids=[decision.person_id])

    evaluated = _rows(stored=False)
    from_stored = _rows(stored=True)
    assert from_stored == evaluated
    months = {m.month: m for m in PersonMonth.objects.filter(person=decision.person)}
    october = months[date(2026, 10, 1)]
    assert (october.charged_minutes, october.executed_minutes, october.sessions_executed) == (
        120,
        120,
        1,
    )
    november, february = months[date(2026, 11, 1)], months[date(2027, 2, 1)]
    assert (november.cancelled_in_time, november.cancelled_late) == (1, 0)
    assert (february.cancelled_in_time, february.cancelled_late) == (0, 1)
    assert (february.no_shows, february.cancelled_by_provider) == (1, 1)
    assert months[date(2027, 4, 1)].executed_minutes == 0


def test_the_seeds_rebuild_runs_no_engine_and_equals_an_evaluation_of_everyone(
    demo_city, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(facts.bridge, "evaluate_rows", _no_engine)
        assert everyone_figures_changed() > 0
    # `rollup verify` evaluates every person afresh.
    assert rollup_verify().count == 0


def test_a_rebuild_follows_the_stored_results_and_verify_reports_a_stale_one():
    city = build_small_city()
    p1 = city["persons"][0]
    # A stored result that no longer is the engine's (written around the one path).
    Session.objects.filter(person=p1, start__month=2, status="executed").update(charged_minutes=999)
    everyone_figures_changed()
    february = PersonMonth.objects.get(person=p1, month=date(2024, 2, 1))
    assert february.charged_minutes == 999  # read from the ledger, not evaluated again
    assert rollup_snapshot() != rollup_expected()
    assert rollup_verify().count > 0
