"""`folja calc` and `folja pnr` as a user runs them: a process, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parents[2] / "rules" / "tests" / "scenarios"


def folja(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "folja", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_calc_reproduces_the_example_in_the_contract():
    result = folja("calc", str(SCENARIOS / "calc_example.json"))
    assert result.returncode == 0, result.stderr
    expected = json.loads((SCENARIOS / "calc_example.expected.json").read_text())
    assert json.loads(result.stdout) == expected


def test_calc_reads_the_scenario_from_standard_input():
    result = folja("calc", "-", stdin=(SCENARIOS / "calc_example.json").read_text())
    assert result.returncode == 0
    assert json.loads(result.stdout)["sessions"][0]["payment_sek"] == "1586.50"


def _broken(mutate) -> subprocess.CompletedProcess:
    data = json.loads((SCENARIOS / "calc_example.json").read_text())
    mutate(data)
    return folja("calc", "-", stdin=json.dumps(data))


@pytest.mark.parametrize(
    ("mutate", "field", "value"),
    [
        (lambda d: d["sessions"][0].pop("start"), "sessions[0].start", None),
        (lambda d: d["sessions"][1].update(status="cancelled"), "sessions[1].status", "cancelled"),
        (
            lambda d: d["sessions"][0].update(end="2024-02-20T17:00"),
            "sessions[0].end",
            "2024-02-20T17:00",
        ),
        (lambda d: d["rates"][0].update(year=2019), "rates", "2024"),
        (lambda d: d["decisions"][0].update(model="laholm"), "decisions[0].model", "laholm"),
        (lambda d: d["sessions"][0].update(escorts=3), "sessions[0].escorts", "3"),
    ],
    ids=[
        "missing field",
        "unknown status",
        "end before start",
        "unknown rate year",
        "unknown model",
        "three escorts",
    ],
)
def test_calc_rejects_bad_input_with_exit_2_and_one_line_naming_field_and_value(
    mutate, field, value
):
    result = _broken(mutate)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert field in lines[0]
    if value is not None:
        assert value in lines[0]


def test_calc_says_so_when_the_file_is_not_json():
    result = folja("calc", "-", stdin="{not json")
    assert result.returncode == 2
    assert "JSON" in result.stderr


def test_calc_says_so_when_the_file_cannot_be_read(tmp_path):
    result = folja("calc", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "missing.json" in result.stderr


def _raw(tmp_path, content: bytes) -> subprocess.CompletedProcess:
    path = tmp_path / "scenario.json"
    path.write_bytes(content)
    return folja("calc", str(path))


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"x": "\u00e5"}'.encode("latin-1"), "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"guideline": ' + b"9" * 5000 + b"}", "too long"),
    ],
    ids=["latin-1 file", "deep nesting", "five-thousand-digit number"],
)
def test_calc_answers_an_unreadable_scenario_with_one_line_and_exit_2(tmp_path, content, says):
    result = _raw(tmp_path, content)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert says in result.stderr


def test_calc_names_the_field_holding_text_that_is_not_unicode(tmp_path):
    data = (SCENARIOS / "calc_example.json").read_text().replace('"id": "s1"', '"id": "\\ud800"')
    result = _raw(tmp_path, data.encode())
    assert result.returncode == 2
    assert result.stderr.startswith("sessions[0].id: not valid Unicode")


# Skatteverket's published test personnummer (and a samordningsnummer).
VALID = {
    "811218-9876": ("19811218-9876", "1981-12-18", "male", "personnummer"),
    "19811218-9876": ("19811218-9876", "1981-12-18", "male", "personnummer"),
    "8112189876": ("19811218-9876", "1981-12-18", "male", "personnummer"),
    "121212-1212": ("20121212-1212", "2012-12-12", "male", "personnummer"),
    "121212+1212": ("19121212-1212", "1912-12-12", "male", "personnummer"),
    "701063-2391": ("19701063-2391", "1970-10-03", "male", "samordningsnummer"),
    "19900101-0025": ("19900101-0025", "1990-01-01", "female", "personnummer"),
}


def test_pnr_describes_every_valid_test_number_and_exits_0():
    result = folja("pnr", *VALID)
    assert result.returncode == 0, result.stdout
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row, (number, expected) in zip(rows, VALID.items(), strict=True):
        normalized, birth, sex, kind = expected
        assert row == {
            "input": number,
            "valid": True,
            "kind": kind,
            "normalized": normalized,
            "birth_date": birth,
            "sex": sex,
        }


@pytest.mark.parametrize("number", ["811218-9875", "811318-9876", "abc", "19810230-1234", ""])
def test_pnr_reports_an_error_for_an_invalid_number_and_exits_1(number):
    result = folja("pnr", "811218-9876", number)
    assert result.returncode == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["valid"] is True
    assert rows[1]["valid"] is False and rows[1]["error"]
