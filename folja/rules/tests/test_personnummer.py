"""Personnummer and samordningsnummer, checked against Skatteverket's published test numbers."""

from __future__ import annotations

from datetime import date

import pytest

from folja.rules.errors import InvalidPersonnummer
from folja.rules.luhn import luhn_check_digit
from folja.rules.personnummer import describe, parse

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize("text", ["811218-9876", "19811218-9876", "8112189876", "198112189876"])
def test_it_accepts_every_written_form_of_a_test_number(text: str) -> None:
    number = parse(text, today=TODAY)
    assert number.normalized == "19811218-9876"
    assert number.birth_date == date(1981, 12, 18)
    assert number.sex == "male"


def test_it_infers_the_century_of_a_ten_digit_number_from_today() -> None:
    assert parse("121212-1212", today=TODAY).birth_date == date(2012, 12, 12)


def test_it_reads_plus_as_a_person_aged_100_or_more() -> None:
    assert parse("121212+1212", today=TODAY).birth_date == date(1912, 12, 12)
    assert parse("19121212+1212", today=TODAY).normalized == "19121212-1212"


def test_it_rejects_plus_for_a_person_under_100() -> None:
    with pytest.raises(InvalidPersonnummer):
        parse("20121212+1212", today=TODAY)


def test_it_picks_the_previous_century_for_a_birthday_later_this_year() -> None:
    # Born 1 December: on 1 June 2025 the most recent such date not in the future is in 1925.
    nine = "251201123"
    text = f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"
    assert parse(text, today=TODAY).birth_date == date(1925, 12, 1)


def test_it_reads_a_samordningsnummer_as_day_plus_60() -> None:
    result = describe("701063-2391")
    assert result == {
        "input": "701063-2391",
        "valid": True,
        "kind": "samordningsnummer",
        "normalized": "19701063-2391",
        "birth_date": "1970-10-03",
        "sex": "male",
    }


def test_it_reads_sex_from_the_ninth_digit() -> None:
    nine = "811218988"
    number = parse(nine[:6] + "-" + nine[6:] + str(luhn_check_digit(nine)), today=TODAY)
    assert number.sex == "female"


def test_it_rejects_a_wrong_check_digit() -> None:
    result = describe("811218-9875")
    assert result["valid"] is False
    assert "check digit" in result["error"]


@pytest.mark.parametrize(
    "text", ["", "abc", "81121-9876", "811218--9876", "811218 9876", "1981121898760"]
)
def test_it_rejects_text_that_is_not_a_number_of_10_or_12_digits(text: str) -> None:
    assert describe(text)["valid"] is False


def test_it_validates_the_date_including_leap_years() -> None:
    def with_check(nine: str, century: str = "") -> str:
        return f"{century}{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}"

    assert parse(with_check("000229123", "20"), today=TODAY).birth_date == date(2000, 2, 29)
    for bad in (
        with_check("000229123", "19"),
        with_check("010229123"),
        with_check("811318123"),
        with_check("811232123"),
        with_check("811200123"),
    ):
        with pytest.raises(InvalidPersonnummer):
            parse(bad, today=TODAY)


def test_it_rejects_birth_number_000_which_is_never_issued() -> None:
    # A published test vector (personnummer/meta): the check digit is right, the number is not.
    for text in ("201509160006", "1509160006", "150916-0006", "20150916-0006"):
        result = describe(text)
        assert result["valid"] is False
        assert "000" in result["error"]


def test_it_rejects_a_twelve_digit_number_from_before_1800() -> None:
    for century in ("00", "17"):
        nine = "990101123"
        with pytest.raises(InvalidPersonnummer, match="before 1800"):
            parse(f"{century}{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}", today=TODAY)


def test_it_rejects_a_birth_date_in_the_future() -> None:
    nine = "300101123"
    with pytest.raises(InvalidPersonnummer, match="future"):
        parse(f"20{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}", today=TODAY)


def test_it_describes_an_invalid_number_without_raising() -> None:
    assert describe("19811218-9876x") == {
        "input": "19811218-9876x",
        "valid": False,
        "error": "expected 10 or 12 digits, like YYMMDD-NNNN or YYYYMMDD-NNNN",
    }
