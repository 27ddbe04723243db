"""The edges of CALC.md through `calculate`, each answer worked out by hand from the text. An
independent implementation written from CALC.md alone agreed with every one of them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from folja.rules.scenario import calculate

EXAMPLE = json.loads((Path(__file__).parent / "scenarios" / "calc_example.json").read_text())
MONTHLY_2024 = {
    "id": "d1",
    "valid_from": "2024-01-01",
    "valid_to": "2024-12-31",
    "hours_per_month": "10",
    "model": "monthly",
    "double_staffing": False,
}


def scenario(
    decisions: list[dict] | None = None, sessions: list[dict] = (), **guideline: Any
) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["decisions"] = decisions or [dict(MONTHLY_2024)]
    data["sessions"] = list(sessions)
    data["expenses"] = []
    data["on"] = None
    data["guideline"].update(guideline)
    return data


def session(sid: str, start: str, end: str, status: str = "executed", **kw: Any) -> dict:
    return {"id": sid, "start": start, "end": end, "status": status, "escorts": 1} | {
        "regi": "private",
        **kw,
    }


def by_id(result: dict) -> dict[str, dict]:
    return {s["id"]: s for s in result["sessions"]}


def test_a_cancellation_exactly_at_the_cutoff_is_in_time_and_one_minute_later_is_late() -> None:
    # "start − cancelled_at < cutoff": 24 h before is not less than 24 h.
    result = calculate(
        scenario(
            sessions=[
                session("a", "2024-03-05T10:00", "2024-03-05T11:00", "cancelled_by_person")
                | {"cancelled_at": "2024-03-04T10:00"},
                session("b", "2024-03-06T10:00", "2024-03-06T11:00", "cancelled_by_person")
                | {"cancelled_at": "2024-03-05T10:01"},
            ]
        )
    )
    assert by_id(result)["a"]["charged_minutes"] == 0
    assert by_id(result)["b"]["charged_minutes"] == 60


def test_granted_minutes_and_allowance_round_half_up_per_month() -> None:
    # A decision from 16 April: 15 of April's 30 days. 1.01 kr × 15/30 = 0.505 → 0.51 kr.
    result = calculate(
        scenario(
            decisions=[MONTHLY_2024 | {"valid_from": "2024-04-16", "hours_per_month": "0.25"}],
            expense_allowance_per_month_sek="1.01",
        )
    )
    april = result["periods"][0]
    assert (april["start"], april["granted_minutes"], april["allowance_sek"]) == (
        "2024-04-01",
        8,  # 0.25 × 60 × 15/30 = 7.5 → 8
        "0.51",
    )


def test_a_session_is_wall_clock_minutes_even_across_the_summer_time_change() -> None:
    result = calculate(scenario(sessions=[session("a", "2024-03-31T01:00", "2024-03-31T04:00")]))
    # Sunday: weekend band for all 180 wall-clock minutes.
    assert by_id(result)["a"]["band_minutes"] == {"weekend": 180}


def test_follow_up_needs_more_than_the_threshold_not_exactly_it() -> None:
    free = [MONTHLY_2024 | {"model": "free", "hours_per_month": "1"}]
    # Granted Nov–Jan for January's window: only January 2024 has a grant, 60 minutes.
    exactly = calculate(
        scenario(decisions=free, sessions=[session("a", "2024-01-05T10:00", "2024-01-05T12:00")])
    )
    above = calculate(
        scenario(decisions=free, sessions=[session("a", "2024-01-05T10:00", "2024-01-05T12:01")])
    )
    assert exactly["follow_up"] == []
    assert above["follow_up"] == ["2024-01"]


def test_a_missing_rate_year_matters_only_for_payable_minutes() -> None:
    one_hour_december = [
        MONTHLY_2024 | {"valid_from": "2024-12-01", "hours_per_month": "1"},
    ]
    over_new_year = session("a", "2024-12-31T23:00", "2025-01-01T01:00")
    # 60 minutes granted: the first 60 (all in 2024) are payable, the 2025 hour is not.
    result = calculate(scenario(decisions=one_hour_december, sessions=[over_new_year]))
    a = by_id(result)["a"]
    assert (a["payable_minutes"], a["flags"]) == (60, ["exceeds_grant"])
    assert a["band_minutes"] == {"storhelg": 60}
    assert a["payment_sek"] == "569.00"


def test_overlap_is_judged_against_earlier_charged_sessions_only() -> None:
    result = calculate(
        scenario(
            sessions=[
                session("a", "2024-03-05T10:00", "2024-03-05T12:00", "cancelled_by_provider"),
                session("b", "2024-03-05T11:00", "2024-03-05T13:00"),
                session("c", "2024-03-05T13:00", "2024-03-05T14:00"),  # touches b: no overlap
                session("d", "2024-03-05T13:30", "2024-03-05T15:00"),
            ]
        )
    )
    flags = {sid: s["flags"] for sid, s in by_id(result).items()}
    assert flags == {"a": [], "b": [], "c": [], "d": ["overlap"]}


def test_equal_starts_are_ordered_by_id_as_text() -> None:
    # "s10" < "s9" as text: s10 is taken first and s9 overlaps it.
    result = calculate(
        scenario(
            sessions=[
                session("s9", "2024-03-05T10:00", "2024-03-05T12:00"),
                session("s10", "2024-03-05T10:00", "2024-03-05T11:00"),
            ]
        )
    )
    assert by_id(result)["s9"]["flags"] == ["overlap"]
    assert by_id(result)["s10"]["charged_minutes"] == 60


def test_double_staffing_is_paid_for_two_when_any_covering_decision_grants_it() -> None:
    decisions = [
        dict(MONTHLY_2024),
        MONTHLY_2024 | {"id": "d2", "valid_from": "2024-03-01", "double_staffing": True},
    ]
    result = calculate(
        scenario(
            decisions=decisions,
            sessions=[session("a", "2024-03-05T10:00", "2024-03-05T11:00", escorts=2)],
        )
    )
    a = by_id(result)["a"]
    assert (a["flags"], a["payment_sek"]) == ([], "868.00")  # 434 kr × 2 escorts × 1 h


def test_a_storhelg_day_outranks_the_weekend_and_the_weekend_starts_friday_at_19() -> None:
    # Thursday 26 Dec (storhelg) 18:00 to Friday 27 Dec 20:00, all 1,560 minutes payable.
    result = calculate(
        scenario(
            decisions=[MONTHLY_2024 | {"hours_per_month": "100"}],
            sessions=[session("a", "2024-12-26T18:00", "2024-12-27T20:00")],
        )
    )
    assert by_id(result)["a"]["band_minutes"] == {
        "storhelg": 360,  # 18:00–24:00 on the 26th
        "night": 420,  # 00:00–07:00 on Friday
        "day": 720,  # 07:00–19:00
        "weekend": 60,  # 19:00–20:00
    }
