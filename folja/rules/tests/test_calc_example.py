"""The worked example of CALC.md, end to end through `calculate`."""

from __future__ import annotations

import json
from pathlib import Path

from folja.rules.scenario import calculate

SCENARIOS = Path(__file__).parent / "scenarios"


def _load(name: str) -> dict:
    return json.loads((SCENARIOS / name).read_text(encoding="utf-8"))


def test_it_reproduces_the_calc_md_example_exactly() -> None:
    result = calculate(_load("calc_example.json"))
    assert result == _load("calc_example.expected.json")


def test_it_returns_json_serialisable_output() -> None:
    result = calculate(_load("calc_example.json"))
    assert json.loads(json.dumps(result)) == result


def test_it_matches_the_figures_printed_in_calc_md() -> None:
    result = calculate(_load("calc_example.json"))
    first = result["periods"][0]
    assert (first["granted_minutes"], first["allowance_sek"]) == (1531, "765.52")
    assert (first["remaining_minutes"], first["allowance_left_sek"]) == (1201, "515.52")
    assert len(result["periods"]) == 5
    last = result["periods"][-1]
    assert (last["start"], last["end"], last["granted_minutes"]) == (
        "2025-02-01",
        "2025-04-30",
        279,
    )
    s1, s2 = result["sessions"]
    assert s1["band_minutes"] == {"day": 60, "evening": 150}
    assert s1["payment_sek"] == "1586.50"
    assert s2["band_minutes"] == {"weekend": 120}
    assert s2["payment_sek"] == "1000.00"
