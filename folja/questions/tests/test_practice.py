from __future__ import annotations

from datetime import date

import pytest

from folja.handbook.models import ApplicationActivity, Ruling, RulingStatus
from folja.questions.practice import grey_zone_practice
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
)
from folja.testing.factories_questions import make_activity

pytestmark = pytest.mark.django_db


def _ruling(activity, kind: str) -> Ruling:
    return Ruling.objects.create(
        activity=activity,
        version=1,
        kind=kind,
        reasoning="Exempeltext.",
        valid_from=date(2024, 1, 1),
        status=RulingStatus.PUBLISHED,
    )


def _decisions(district, activity, *, granted: int, rejected: int) -> None:
    for outcome, n in (("granted", granted), ("rejected", rejected)):
        for _ in range(n):
            person = PersonFactory(district=district)
            application = ApplicationFactory(person=person)
            ApplicationActivity.objects.create(application=application, activity=activity)
            extra = {} if outcome == "granted" else {"hours_per_month": None}
            DecisionFactory(person=person, application=application, outcome=outcome, **extra)


def _cells(practice, activity):
    row = next(p for p in practice if p.activity == activity)
    return {c.district: c for c in row.cells}


def test_a_district_granting_a_not_covered_activity_mostly_is_flagged_and_one_refusing_is_not():
    abroad = make_activity(name="Resa utomlands")
    _ruling(abroad, "not_covered")
    a, b = DistrictFactory(name="Aström"), DistrictFactory(name="Bergby")
    _decisions(a, abroad, granted=6, rejected=5)
    _decisions(b, abroad, granted=0, rejected=7)
    practice = grey_zone_practice(
        start=date(2024, 1, 1), end=date(2024, 12, 31), on=date(2024, 6, 1)
    )
    cells = _cells(practice, abroad)
    assert (cells["Aström"].decisions, cells["Aström"].granted) == (11, 6)
    assert cells["Aström"].departs and not cells["Bergby"].departs
    assert next(p for p in practice if p.activity == abroad).departing == ["Aström"]


def test_a_covered_activity_mostly_rejected_is_flagged():
    culture = make_activity(name="Kultur")
    _ruling(culture, "covered")
    a = DistrictFactory(name="Aström")
    _decisions(a, culture, granted=5, rejected=6)
    cells = _cells(
        grey_zone_practice(start=date(2024, 1, 1), end=date(2024, 12, 31), on=date(2024, 6, 1)),
        culture,
    )
    assert cells["Aström"].departs


def test_small_numbers_are_suppressed_and_never_flagged():
    abroad = make_activity(name="Resa utomlands")
    _ruling(abroad, "not_covered")
    a, b = DistrictFactory(name="Aström"), DistrictFactory(name="Bergby")
    _decisions(a, abroad, granted=4, rejected=0)  # under the threshold
    _decisions(b, abroad, granted=8, rejected=2)  # two rejected would be revealed
    cells = _cells(
        grey_zone_practice(start=date(2024, 1, 1), end=date(2024, 12, 31), on=date(2024, 6, 1)),
        abroad,
    )
    for name in ("Aström", "Bergby"):
        assert cells[name].decisions is None and cells[name].shown == ".."
        assert not cells[name].departs


def test_decisions_outside_the_period_and_activities_not_in_a_grey_zone_are_left_out():
    abroad = make_activity(name="Resa utomlands")
    shopping = make_activity(name="Handla", grey_zone=False)
    a = DistrictFactory(name="Aström")
    _decisions(a, abroad, granted=6, rejected=0)
    practice = grey_zone_practice(
        start=date(2025, 1, 1), end=date(2025, 12, 31), on=date(2025, 6, 1)
    )
    assert shopping not in [p.activity for p in practice]
    assert _cells(practice, abroad)["Aström"].decisions is None
    assert next(p for p in practice if p.activity == abroad).ruling is None
