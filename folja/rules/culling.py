"""Culling (gallring) of SoL personal files (SoL 12 kap. 1–2 §§ as in force in the seeds' time).

A file is culled five years after its last entry, at the latest by the end of the following
calendar year; files of persons born on the 5th, 15th or 25th of a month are kept for research
and never culled.
"""

from __future__ import annotations

from datetime import date

RESEARCH_BIRTH_DAYS = frozenset({5, 15, 25})
RETENTION_YEARS = 5


def is_kept_for_research(birth_date: date | None) -> bool:
    return birth_date is not None and birth_date.day in RESEARCH_BIRTH_DAYS


def culling_eligible_from(last_entry: date) -> date:
    """The day the five years since the last entry have passed and culling may start.

    An entry made on 29 February is five years old on 1 March, since the anniversary does not
    exist in a common year and the time is not complete on 28 February.
    """
    year = last_entry.year + RETENTION_YEARS
    try:
        return last_entry.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def culling_due_by(last_entry: date, birth_date: date | None) -> date | None:
    """The last day by which the file must be culled, or None if it is kept for research.

    The five years end in year(last_entry) + 5; "by the end of the following calendar year"
    makes the deadline 31 December of year(last_entry) + 6.
    """
    if is_kept_for_research(birth_date):
        return None
    return date(last_entry.year + RETENTION_YEARS + 1, 12, 31)
