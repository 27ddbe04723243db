"""Each measure's definition checked on a small hand-made city (answers worked out by hand in
folja/testing/factories_followup.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from folja.followup.selectors import Slice, measures, measures_by, quartiles, share
from folja.testing.factories_followup import SMALL_CITY_ANSWERS as A
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return build_small_city()


def test_persons_with_the_service_count_each_granted_person_once_in_the_year(city):
    assert measures(Slice.year(2024)).persons == A["persons"]


def test_applications_count_those_received_in_the_slice(city):
    assert measures(Slice.year(2024)).applications == A["applications"]


def test_rejection_share_counts_rejected_and_partly_rejected_decisions(city):
    m = measures(Slice.year(2024))
    assert (m.decisions, m.rejected_or_partly) == (A["decisions"], A["rejected_or_partly"])
    assert m.rejection_share == A["rejection_share"]


def test_granted_hours_per_decision_give_median_and_quartiles_of_non_rejected_decisions(city):
    assert measures(Slice.year(2024)).hours_per_decision == A["hours_per_decision"]


def test_granted_minutes_are_prorated_by_valid_days_as_the_rules_engine_does(city):
    m = measures(Slice.year(2024))
    assert m.sums["granted_minutes"] == A["granted_minutes"]
    jan = measures(Slice(date(2024, 1, 1), date(2024, 1, 1), district_id=city["south"].pk))
    assert jan.sums["granted_minutes"] == 155


def test_executed_minutes_and_execution_rate(city):
    m = measures(Slice.year(2024))
    assert m.sums["executed_minutes"] == A["executed_minutes"]
    assert m.execution_rate == A["execution_rate"]


def test_lapsed_minutes_are_what_each_period_left_unused(city):
    m = measures(Slice.year(2024))
    assert m.sums["lapsed_minutes"] == A["lapsed_minutes"]
    march = measures(Slice(date(2024, 3, 1), date(2024, 3, 1)))
    assert march.sums["lapsed_minutes"] == 840  # P1's three-month period ends in March


def test_flexible_use_share_is_persons_using_more_than_a_months_grant_of_flex3_persons(city):
    assert measures(Slice.year(2024)).flexible_share == A["flexible_share"]


def test_cancellations_by_cause_split_late_and_in_time_by_the_guideline_cut_off(city):
    assert measures(Slice.year(2024)).cancellations == A["cancellations"]


def test_expense_allowance_used_counts_approved_claims_only(city):
    assert measures(Slice.year(2024)).sums["expenses_sek"] == A["expenses_sek"]


def test_feedback_counts(city):
    m = measures(Slice.year(2024))
    assert (m.sums["feedback_count"], m.sums["complaint_count"]) == (
        A["feedback_count"],
        A["complaint_count"],
    )


def test_breakdown_by_district_sums_to_the_city(city):
    rows = measures_by(Slice.year(2024), "district")
    north, south = rows[city["north"].pk], rows[city["south"].pk]
    assert (north.decisions, north.rejected_or_partly) == (3, 2)
    assert north.rejection_share == Decimal("0.667")
    assert south.sums["executed_minutes"] + north.sums["executed_minutes"] == 960
    assert (north.persons, south.persons) == (2, 1)


def test_breakdown_by_sex_age_band_act_and_tertial(city):
    by_sex = measures_by(Slice.year(2024), "sex")
    assert (by_sex["female"].persons, by_sex["male"].persons) == (2, 1)
    by_age = measures_by(Slice.year(2024), "age_band")
    assert by_age["65+"].sums["executed_minutes"] == 60
    assert by_age["0-20"].decisions == 1  # P3's rejection
    by_act = measures_by(Slice.year(2024), "act")
    assert by_act["SoL"].sums["granted_minutes"] == 455
    by_tertial = measures_by(Slice.year(2024), "tertial")
    assert by_tertial[(2024, 1)].sums["granted_minutes"] == 1800 + 455 + 240
    assert by_tertial[(2024, 2)].sums["granted_minutes"] == 480


def test_a_provider_slice_holds_only_that_providers_persons(city):
    m = measures(Slice.year(2024, provider_id=city["provider"].pk))
    assert m.persons == 2 and m.sums["executed_minutes"] == 960


def test_share_rounds_half_up_to_three_decimals():
    assert share(26, 105) == Decimal("0.248")
    assert share(1, 8) == Decimal("0.125")
    assert share(1, 16) == Decimal("0.063")  # 0.0625 rounds up, not to even
    assert share(0, 0) is None


def test_quartiles_interpolate_linearly():
    assert quartiles([Decimal(4), Decimal(8), Decimal(10), Decimal(20)]) == {
        "q1": Decimal("7.00"),
        "median": Decimal("9.00"),
        "q3": Decimal("12.50"),
    }
