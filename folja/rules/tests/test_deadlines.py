"""Appeal deadline: three weeks, moved past non-working days."""

from __future__ import annotations

from datetime import date

from folja.rules.deadlines import appeal_deadline, is_swedish_non_working_day, midsommarafton


def test_it_gives_three_weeks_when_the_last_day_is_a_working_day() -> None:
    assert appeal_deadline(date(2024, 3, 4)) == date(2024, 3, 25)


def test_it_moves_a_deadline_on_a_saturday_to_monday() -> None:
    assert appeal_deadline(date(2024, 2, 10)) == date(2024, 3, 4)


def test_it_moves_a_deadline_past_easter() -> None:
    # 29 March 2024 is Good Friday, then Saturday, Easter Sunday and Easter Monday.
    assert appeal_deadline(date(2024, 3, 8)) == date(2024, 4, 2)


def test_it_moves_a_deadline_past_christmas() -> None:
    assert appeal_deadline(date(2024, 12, 3)) == date(2024, 12, 27)


def test_it_moves_a_deadline_on_nyarsafton_past_new_years_day() -> None:
    assert appeal_deadline(date(2024, 12, 10)) == date(2025, 1, 2)


def test_it_moves_a_deadline_on_midsommarafton_to_the_next_monday() -> None:
    assert midsommarafton(2024) == date(2024, 6, 21)
    assert appeal_deadline(date(2024, 5, 31)) == date(2024, 6, 24)


def test_it_knows_the_swedish_non_working_days() -> None:
    assert is_swedish_non_working_day(date(2024, 6, 6))  # National Day, a Thursday
    assert is_swedish_non_working_day(date(2024, 3, 3))  # a Sunday
    assert is_swedish_non_working_day(date(2024, 12, 24))
    assert not is_swedish_non_working_day(date(2024, 6, 20))  # the Thursday before midsummer
    assert not is_swedish_non_working_day(date(2024, 3, 4))
