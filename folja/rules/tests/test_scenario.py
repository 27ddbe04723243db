"""`calculate`: input validation names the field at fault, and nothing escapes as a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folja.rules.errors import ScenarioError
from folja.rules.scenario import calculate

EXAMPLE = json.loads((Path(__file__).parent / "scenarios" / "calc_example.json").read_text())


@pytest.fixture
def scenario() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def _error(data: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        calculate(data)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(caught.value.field)
    return caught.value


def test_it_names_a_missing_field(scenario) -> None:
    del scenario["sessions"][1]["status"]
    err = _error(scenario)
    assert err.field == "sessions[1].status"
    assert "missing" in str(err)


def test_it_names_a_missing_top_level_field(scenario) -> None:
    del scenario["rates"]
    assert _error(scenario).field == "rates"


def test_it_names_a_missing_guideline_field(scenario) -> None:
    del scenario["guideline"]["no_show_charged"]
    assert _error(scenario).field == "guideline.no_show_charged"


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("sessions", 0, "escorts"), "1", "sessions[0].escorts"),
        (("sessions", 0, "escorts"), True, "sessions[0].escorts"),
        (("decisions", 0, "double_staffing"), "no", "decisions[0].double_staffing"),
        (("decisions", 0, "hours_per_month"), "ten", "decisions[0].hours_per_month"),
        (("decisions", 0, "hours_per_month"), "NaN", "decisions[0].hours_per_month"),
        (("decisions", 0, "hours_per_month"), "-1", "decisions[0].hours_per_month"),
        (("rates", 0, "day"), None, "rates[0].day"),
        (("rates", 0, "year"), "2024", "rates[0].year"),
        (("expenses", 0, "amount_sek"), "12,50", "expenses[0].amount_sek"),
        (("guideline", "storhelg"), "2024-12-24", "guideline.storhelg"),
        (("guideline", "storhelg", 0), "24/12/2024", "guideline.storhelg[0]"),
        (("sessions",), {}, "sessions"),
        (("sessions", 0), "s1", "sessions[0]"),
    ],
)
def test_it_names_a_field_of_the_wrong_type(scenario, path, value, field) -> None:
    target = scenario
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    err = _error(scenario)
    assert err.field == field
    assert repr(value)[:20] in str(err)


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("sessions", 1, "status"), "done", "sessions[1].status"),
        (("decisions", 0, "model"), "weekly", "decisions[0].model"),
        (("guideline", "period_anchor"), "fiscal_year", "guideline.period_anchor"),
        (("sessions", 0, "regi"), "public", "sessions[0].regi"),
        (("rates", 0, "regi"), "public", "rates[0].regi"),
        (("sessions", 0, "escorts"), 3, "sessions[0].escorts"),
        (("sessions", 0, "escorts"), 0, "sessions[0].escorts"),
    ],
)
def test_it_names_an_unknown_choice(scenario, path, value, field) -> None:
    target = scenario
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    err = _error(scenario)
    assert (err.field, err.value) == (field, value)


@pytest.mark.parametrize("end", ["2024-02-20T18:00", "2024-02-20T17:59"])
def test_it_rejects_a_session_ending_at_or_before_its_start(scenario, end) -> None:
    scenario["sessions"][0]["end"] = end
    err = _error(scenario)
    assert (err.field, err.value) == ("sessions[0].end", end)


def test_it_rejects_a_decision_ending_before_it_starts(scenario) -> None:
    scenario["decisions"][0]["valid_to"] = "2024-02-13"
    assert _error(scenario).field == "decisions[0].valid_to"


@pytest.mark.parametrize(
    "value", ["2024-02-30", "2024-13-01", "20240201", "2024-2-1", 20240201, ""]
)
def test_it_rejects_bad_dates(scenario, value) -> None:
    scenario["decisions"][0]["valid_from"] = value
    assert _error(scenario).field == "decisions[0].valid_from"


@pytest.mark.parametrize(
    "value", ["2024-02-20", "2024-02-20T25:00", "2024-02-20T18:00+01:00", "2024-02-20T18:00:30"]
)
def test_it_rejects_bad_times(scenario, value) -> None:
    scenario["sessions"][0]["start"] = value
    assert _error(scenario).field == "sessions[0].start"


def test_it_requires_cancelled_at_for_a_cancellation_by_the_person(scenario) -> None:
    del scenario["sessions"][1]["cancelled_at"]
    assert _error(scenario).field == "sessions[1].cancelled_at"
    scenario["sessions"][1]["cancelled_at"] = None
    assert _error(scenario).field == "sessions[1].cancelled_at"


def test_it_names_rates_and_the_year_when_a_payable_minute_has_no_rate(scenario) -> None:
    scenario["sessions"][0]["start"] = "2025-01-20T18:00"
    scenario["sessions"][0]["end"] = "2025-01-20T19:00"
    err = _error(scenario)
    assert (err.field, err.value) == ("rates", 2025)
    assert "2025" in str(err) and "private" in str(err)


def test_it_rejects_two_rates_for_the_same_year_and_regi(scenario) -> None:
    scenario["rates"].append(copy.deepcopy(scenario["rates"][0]))
    assert _error(scenario).field == "rates[1]"


def test_it_rejects_a_scenario_that_is_not_an_object() -> None:
    assert _error([1, 2]).field == "scenario"


def test_it_accepts_numbers_for_decimals_and_null_for_on(scenario) -> None:
    scenario["decisions"][0]["hours_per_month"] = 10
    scenario["guideline"]["expense_allowance_per_month_sek"] = 300.0
    scenario["on"] = None
    result = calculate(scenario)
    assert result["periods"][0]["granted_minutes"] == 1531
    assert result["balance_on"] is None


def test_it_treats_missing_expenses_and_on_as_none_asked_for(scenario) -> None:
    del scenario["expenses"], scenario["on"]
    result = calculate(scenario)
    assert result["balance_on"] is None
    assert result["periods"][0]["expenses_sek"] == "0.00"


def test_it_gives_null_balance_when_on_is_in_no_period(scenario) -> None:
    scenario["on"] = "2023-01-01"
    assert calculate(scenario)["balance_on"] is None


def test_it_lists_follow_up_months_as_year_and_month(scenario) -> None:
    scenario["decisions"][0]["model"] = "free"
    scenario["decisions"][0]["hours_per_month"] = "1"
    result = calculate(scenario)
    assert result["follow_up"] == ["2024-02", "2024-03", "2024-04"]


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


_PATHS = [
    ("guideline", "period_anchor"),
    ("guideline", "late_cancellation_cutoff_hours"),
    ("guideline", "storhelg"),
    ("guideline", "free_review_threshold"),
    ("rates", 0, "year"),
    ("rates", 0, "evening"),
    ("decisions", 0, "valid_from"),
    ("decisions", 0, "valid_to"),
    ("decisions", 0, "hours_per_month"),
    ("decisions",),
    ("sessions", 0, "start"),
    ("sessions", 1, "cancelled_at"),
    ("sessions", 0, "id"),
    ("expenses", 0),
    ("on",),
    ("sessions", 0, "end"),
    ("guideline",),
]


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(path=st.sampled_from(_PATHS), value=_json_values())
def test_it_never_lets_a_malformed_field_escape_as_a_traceback(path, value) -> None:
    data = copy.deepcopy(EXAMPLE)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        result = calculate(data)
    except ScenarioError as err:
        assert "\n" not in str(err)
    else:
        json.dumps(result)
