"""The follow-up reads the decisions that grant time (a decision replaced on reconsideration
is not among them) and rounds its figures half-up, in every path: the database's quartiles,
Python's, the histogram and the equality analysis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from folja.followup.dashboards import hours_histogram, overview
from folja.followup.equality import hours_equality, spread
from folja.followup.selectors import Slice, measures_by
from folja.testing.factories import DecisionFactory, DistrictFactory, PersonFactory, reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def north():
    """Norrby decided 10 h and 12 h in 2024; the 12 h was reconsidered to 30 h."""
    reference_data()
    district = DistrictFactory(code="NOR", name="Norrby")
    DecisionFactory(
        person=PersonFactory(district=district, birth_date=date(1980, 1, 1)),
        decided_on=date(2024, 1, 10),
        hours_per_month=Decimal("10"),
    )
    person = PersonFactory(district=district, birth_date=date(1981, 1, 1))
    replaced = DecisionFactory(
        person=person, decided_on=date(2024, 2, 1), hours_per_month=Decimal("12")
    )
    replaced.superseded_by = DecisionFactory(
        person=person, decided_on=date(2024, 3, 1), hours_per_month=Decimal("30")
    )
    replaced.save(update_fields=["superseded_by"])
    return district


def test_hours_per_decision_leave_out_the_replaced_decision(north):
    # Grouped in the database (by district) and in Python (by year): both read 10 and 30.
    by_district = measures_by(Slice.year(2024), "district")[north.pk]
    by_year = measures_by(Slice.year(2024), "year")[2024]
    for m in (by_district, by_year):
        assert m.decisions == 3  # three decisions were made
        assert m.hours_per_decision == {
            "q1": Decimal("15.00"),
            "median": Decimal("20.00"),
            "q3": Decimal("25.00"),
        }


def test_the_hours_histogram_leaves_out_the_replaced_decision(north):
    bins = {b["label"]: b["count"] for b in hours_histogram(Slice.year(2024))}
    assert bins["10–15"] == 1  # the 10 h decision; the replaced 12 h no longer
    assert bins["30–40"] == 1


def test_the_equality_analysis_compares_only_decisions_that_grant_time(north):
    (norrby,) = hours_equality(Slice.year(2024))
    assert norrby.n == 2


def test_the_follow_up_rounds_a_share_and_a_spread_half_up(north):
    assert spread([0.0, 0.0625]) == Decimal("0.063")  # round() gave 0.062 (half-even)
    assert spread([0.0, 1.0005]) == Decimal("1.001")  # round() gave 1.0
    data = overview(Slice.year(2024))
    assert data["total"]["median_hours"] == Decimal("20.00")
