"""LOV time bands and their priority (CALC.md rule 5)."""

from __future__ import annotations

from datetime import date, datetime

from folja.rules.bands import band_at, band_minutes, band_minutes_by_year

from .builders import STORHELG_2024

NONE: frozenset[date] = frozenset()


def _bands(start: str, end: str, storhelg=NONE) -> dict[str, int]:
    return band_minutes(datetime.fromisoformat(start), datetime.fromisoformat(end), storhelg)


def test_it_puts_weekday_07_to_19_in_the_day_band() -> None:
    assert _bands("2024-03-05T07:00", "2024-03-05T19:00") == {"day": 720}


def test_it_puts_weekday_19_to_22_in_the_evening_band() -> None:
    assert _bands("2024-03-05T18:00", "2024-03-05T22:30") == {
        "day": 60,
        "evening": 180,
        "night": 30,
    }


def test_it_splits_a_night_session_across_midnight() -> None:
    assert _bands("2024-03-05T21:00", "2024-03-06T08:00") == {
        "day": 60,
        "evening": 60,
        "night": 540,
    }


def test_it_starts_the_weekend_on_friday_at_19() -> None:
    assert _bands("2024-03-01T18:00", "2024-03-01T23:00") == {"day": 60, "weekend": 240}


def test_it_ends_the_weekend_on_monday_at_07() -> None:
    assert _bands("2024-03-04T06:00", "2024-03-04T08:00") == {"day": 60, "weekend": 60}


def test_it_counts_a_whole_weekend() -> None:
    assert _bands("2024-03-01T19:00", "2024-03-04T07:00") == {"weekend": 60 * 60}


def test_it_gives_storhelg_the_whole_listed_day_above_every_other_band() -> None:
    assert _bands("2024-12-24T20:00", "2024-12-27T08:00", STORHELG_2024) == {
        "day": 60,
        "night": 420,
        "storhelg": 240 + 1440 + 1440,
    }


def test_it_ranks_storhelg_above_weekend() -> None:
    saturday = frozenset({date(2024, 3, 2)})
    assert _bands("2024-03-01T22:00", "2024-03-03T01:00", saturday) == {
        "weekend": 120 + 60,
        "storhelg": 1440,
    }


def test_it_ends_at_the_end_minute_exclusive() -> None:
    assert _bands("2024-03-05T18:59", "2024-03-05T19:00") == {"day": 1}
    assert _bands("2024-03-05T19:00", "2024-03-05T19:00") == {}


def test_it_splits_minutes_by_year() -> None:
    assert band_minutes_by_year(
        datetime(2024, 12, 31, 23, 0), datetime(2025, 1, 1, 1, 0), NONE
    ) == {(2024, "night"): 60, (2025, "night"): 60}


def test_it_names_the_band_of_a_single_minute() -> None:
    assert band_at(datetime(2024, 3, 1, 18, 59), NONE) == "day"
    assert band_at(datetime(2024, 3, 1, 19, 0), NONE) == "weekend"
    assert band_at(datetime(2024, 3, 5, 6, 59), NONE) == "night"
    assert band_at(datetime(2024, 12, 25, 12, 0), STORHELG_2024) == "storhelg"
