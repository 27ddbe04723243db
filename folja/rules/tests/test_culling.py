"""Culling of SoL files: five years, by the end of the following calendar year."""

from __future__ import annotations

from datetime import date

from folja.rules.culling import culling_due_by, culling_eligible_from


def test_it_culls_by_the_end_of_the_year_after_the_five_years_end() -> None:
    assert culling_due_by(date(2019, 3, 10), date(1950, 1, 1)) == date(2025, 12, 31)
    assert culling_due_by(date(2019, 12, 31), None) == date(2025, 12, 31)


def test_it_keeps_files_of_persons_born_on_the_5th_15th_or_25th() -> None:
    for day in (5, 15, 25):
        assert culling_due_by(date(2019, 3, 10), date(1950, 1, day)) is None
    assert culling_due_by(date(2019, 3, 10), date(1950, 1, 6)) is not None


def test_it_allows_culling_from_five_years_after_the_last_entry() -> None:
    assert culling_eligible_from(date(2019, 3, 10)) == date(2024, 3, 10)
    assert culling_eligible_from(date(2020, 2, 29)) == date(2025, 3, 1)
