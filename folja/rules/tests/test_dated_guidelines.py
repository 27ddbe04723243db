"""Dated guideline versions and the rulings on mixed histories (CALC.md), through `calculate`.

Each expected figure is worked out by hand from the text. The point of every test: a version
that comes into force later never changes a figure of a day before its `valid_from`.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from folja.rules.errors import ScenarioError
from folja.rules.scenario import calculate

BASE = {
    "period_anchor": "decision_start",
    "late_cancellation_cutoff_hours": 24,
    "late_cancellation_charged": True,
    "no_show_charged": True,
    "expense_allowance_per_month_sek": "300.00",
    "free_review_threshold": "2.0",
    "storhelg": ["2026-12-24", "2026-12-25"],
}
RATES = [
    {"year": year, "regi": "private", "day": "434", "evening": "461", "night": "500",
     "weekend": "500", "storhelg": "569"}
    for year in (2024, 2025, 2026, 2027)
]  # fmt: skip


def version(valid_from: str, **changes: Any) -> dict[str, Any]:
    return {"valid_from": valid_from, **copy.deepcopy(BASE), **changes}


def decision(did: str, start: str, end: str, model: str = "flex3", hours: str = "10") -> dict:
    return {"id": did, "valid_from": start, "valid_to": end, "hours_per_month": hours,
            "model": model, "double_staffing": False}  # fmt: skip


def run(guidelines: list[dict] | dict, decisions: list[dict], sessions=(), expenses=(), on=None):
    key = "guidelines" if isinstance(guidelines, list) else "guideline"
    data = {key: guidelines, "rates": RATES, "decisions": decisions, "sessions": list(sessions),
            "expenses": list(expenses), "on": on}  # fmt: skip
    return calculate(data)


def cancelled(sid: str, start: str, end: str, at: str) -> dict:
    return {"id": sid, "start": start, "end": end, "status": "cancelled_by_person",
            "cancelled_at": at, "escorts": 1, "regi": "private"}  # fmt: skip


def executed(sid: str, start: str, end: str) -> dict:
    return {"id": sid, "start": start, "end": end, "status": "executed", "escorts": 1,
            "regi": "private"}  # fmt: skip


YEAR_2026 = [decision("d1", "2026-01-01", "2027-12-31", "monthly")]


def test_a_cancellation_in_time_stays_in_time_when_a_later_version_lengthens_the_cutoff() -> None:
    session = cancelled("s1", "2026-06-10T10:00", "2026-06-10T12:00", "2026-06-09T09:00")
    dated = [version("2026-01-01"), version("2027-01-01", late_cancellation_cutoff_hours=48)]
    result = run(dated, YEAR_2026, [session])
    assert result["sessions"][0]["charged_minutes"] == 0
    assert result["sessions"][0]["payment_sek"] == "0.00"
    # The same cancellation under the 2027 version (48 h) would have been a paid late one.
    later = run(version("2027-01-01", late_cancellation_cutoff_hours=48), YEAR_2026, [session])
    assert later["sessions"][0]["charged_minutes"] == 120


def test_a_session_after_the_new_version_uses_the_new_cutoff() -> None:
    session = cancelled("s1", "2027-02-10T10:00", "2027-02-10T12:00", "2027-02-09T09:00")
    dated = [version("2026-01-01"), version("2027-01-01", late_cancellation_cutoff_hours=48)]
    assert run(dated, YEAR_2026, [session])["sessions"][0]["charged_minutes"] == 120


def test_a_closed_periods_allowance_keeps_the_amount_of_its_own_months() -> None:
    dated = [version("2026-01-01"), version("2027-01-01", expense_allowance_per_month_sek="500")]
    decisions = [decision("d1", "2026-10-01", "2027-03-31")]
    periods = run(dated, decisions)["periods"]
    assert [(p["start"], p["allowance_sek"]) for p in periods] == [
        ("2026-10-01", "900.00"),
        ("2027-01-01", "1500.00"),
    ]


def test_a_version_from_mid_month_sets_the_allowance_from_the_next_month() -> None:
    # The month's amount is the version in force on its first day.
    dated = [version("2026-01-01"), version("2026-02-15", expense_allowance_per_month_sek="600")]
    decisions = [decision("d1", "2026-01-01", "2026-03-31", "monthly")]
    allowances = [p["allowance_sek"] for p in run(dated, decisions)["periods"]]
    assert allowances == ["300.00", "300.00", "600.00"]


def test_storhelg_is_the_list_of_the_version_in_force_on_that_date() -> None:
    dated = [
        version("2026-01-01", storhelg=["2026-12-24"]),
        version("2027-01-01", storhelg=["2027-12-24"]),
    ]
    sessions = [executed("s1", "2026-12-24T10:00", "2026-12-24T11:00")]
    result = run(dated, YEAR_2026, sessions)
    assert result["sessions"][0]["band_minutes"] == {"storhelg": 60}
    assert result["sessions"][0]["payment_sek"] == "569.00"


def test_before_every_version_the_earliest_is_in_force() -> None:
    session = cancelled("s1", "2025-06-10T10:00", "2025-06-10T12:00", "2025-06-09T09:00")
    dated = [version("2027-01-01", late_cancellation_cutoff_hours=48), version("2026-01-01")]
    decisions = [decision("d1", "2025-01-01", "2025-12-31", "monthly")]
    # Listed out of order on purpose: the earliest by date (24 h) is in force, so in time.
    assert run(dated, decisions, [session])["sessions"][0]["charged_minutes"] == 0


def test_each_chain_takes_the_anchor_of_the_version_in_force_on_its_first_day() -> None:
    dated = [version("2024-01-01"), version("2025-01-01", period_anchor="calendar_quarter")]
    decisions = [
        decision("d1", "2024-02-14", "2024-07-31"),
        decision("d2", "2025-05-10", "2025-09-30"),  # after a gap: a new chain
    ]
    starts = [p["start"] for p in run(dated, decisions)["periods"]]
    assert starts == ["2024-02-01", "2024-05-01", "2025-04-01", "2025-07-01"]


def test_the_free_review_threshold_of_a_month_is_the_version_in_force_on_its_first_day() -> None:
    dated = [version("2026-01-01"), version("2026-03-01", free_review_threshold="1.0")]
    decisions = [decision("d1", "2026-01-01", "2026-03-31", "free", hours="1")]
    # 60 granted minutes a month; 150 used in each month: 150..450 charged against 60..180.
    sessions = [executed(f"s{m}", f"2026-0{m}-10T10:00", f"2026-0{m}-10T12:30") for m in (1, 2, 3)]
    # Jan: 150 > 2×60; Feb: 300 > 2×120; Mar: 450 > 1×180 (with 2.0 it would be 450 > 360 too).
    assert run(dated, decisions, sessions)["follow_up"] == ["2026-01", "2026-02", "2026-03"]
    quiet = [executed("s1", "2026-03-10T10:00", "2026-03-10T13:30")]  # 210 in the window
    # March's window: 210 charged against 180 granted; 2.0 (Jan's version) would not list it.
    assert run(dated, decisions, quiet)["follow_up"] == ["2026-03"]
    assert run(version("2026-01-01"), decisions, quiet)["follow_up"] == []


def test_a_change_of_model_starts_a_new_chain_even_when_the_old_model_comes_back() -> None:
    decisions = [
        decision("d1", "2024-01-15", "2024-12-31", "flex3"),
        decision("d2", "2024-03-01", "2024-04-30", "free"),
        decision("d3", "2024-05-10", "2024-12-31", "flex3"),
    ]
    periods = [(p["start"], p["end"], p["model"]) for p in run(BASE, decisions)["periods"]]
    assert periods == [
        ("2024-01-01", "2024-02-29", "flex3"),  # cut short by the free chain's March
        ("2024-03-01", "2024-03-31", "free"),
        ("2024-04-01", "2024-04-30", "free"),  # replaces d1's April–June, which starts in it
        ("2024-05-01", "2024-07-31", "flex3"),  # d3's own grid, anchored on May
        ("2024-08-01", "2024-10-31", "flex3"),
        ("2024-11-01", "2025-01-31", "flex3"),
    ]


def test_a_later_calendar_quarter_replaces_earlier_months_it_starts_before() -> None:
    # The monthly chain's January and February start inside the flex3 chain's first quarter,
    # which starts before that chain does.
    guideline = BASE | {"period_anchor": "calendar_quarter"}
    decisions = [
        decision("d1", "2024-01-01", "2024-02-14", "monthly"),
        decision("d2", "2024-02-15", "2024-06-30", "flex3"),
    ]
    periods = run(guideline, decisions)["periods"]
    assert [(p["start"], p["end"]) for p in periods] == [
        ("2024-01-01", "2024-03-31"),
        ("2024-04-01", "2024-06-30"),
    ]
    # The quarter grants the monthly decision's January and half of February as well.
    assert periods[0]["granted_minutes"] == 600 + 290 + 310 + 600  # Feb 2024: 14 + 15 days of 29


def test_a_session_under_a_free_decision_is_payable_in_full_inside_another_models_period() -> None:
    decisions = [
        decision("d1", "2024-01-01", "2024-03-31", "flex3", hours="1"),
        decision("d2", "2024-01-01", "2024-01-31", "free", hours="1"),
    ]
    # d2 starts on the same day and is listed by id after d1: the governing decision of a
    # session is the covering one that started last, ties broken by id.
    sessions = [executed("s1", "2024-01-10T10:00", "2024-01-10T15:00")]
    result = run(BASE, decisions, sessions)
    assert result["sessions"][0]["payable_minutes"] == 300
    assert result["sessions"][0]["flags"] == []


def test_it_refuses_both_guideline_and_guidelines() -> None:
    data = {"guideline": BASE, "guidelines": [version("2024-01-01")], "rates": RATES,
            "decisions": [], "sessions": []}  # fmt: skip
    with pytest.raises(ScenarioError) as caught:
        calculate(data)
    assert caught.value.field == "guidelines"


def test_it_refuses_two_versions_from_the_same_day() -> None:
    with pytest.raises(ScenarioError) as caught:
        run([version("2024-01-01"), version("2024-01-01")], [])
    assert caught.value.field == "guidelines[1].valid_from"


def test_it_refuses_an_empty_list_of_versions_and_a_version_without_a_date() -> None:
    with pytest.raises(ScenarioError) as caught:
        run([], [])
    assert caught.value.field == "guidelines"
    with pytest.raises(ScenarioError) as caught:
        run([dict(BASE)], [])
    assert caught.value.field == "guidelines[0].valid_from"
