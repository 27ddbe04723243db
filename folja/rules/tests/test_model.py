from __future__ import annotations

from decimal import Decimal

from folja.rules.model import cancellation_kind

from .builders import guideline, session


def _cancelled(at: str):
    return session(
        "s", "2024-03-02T10:00", "2024-03-02T12:00", "cancelled_by_person", cancelled_at=at
    )


def test_it_calls_a_cancellation_less_than_the_cutoff_before_start_late() -> None:
    assert cancellation_kind(_cancelled("2024-03-01T10:01"), guideline()) == (
        "cancelled_by_person_late"
    )


def test_it_calls_a_cancellation_exactly_at_the_cutoff_in_time() -> None:
    assert cancellation_kind(_cancelled("2024-03-01T10:00"), guideline()) == (
        "cancelled_by_person_in_time"
    )


def test_it_calls_a_cancellation_after_the_start_late() -> None:
    assert cancellation_kind(_cancelled("2024-03-02T11:00"), guideline()) == (
        "cancelled_by_person_late"
    )


def test_it_reads_the_cutoff_from_the_guideline() -> None:
    g = guideline(late_cancellation_cutoff_hours=Decimal(48))
    assert cancellation_kind(_cancelled("2024-03-01T10:00"), g) == "cancelled_by_person_late"


def test_it_leaves_other_statuses_as_reported() -> None:
    s = session("s", "2024-03-02T10:00", "2024-03-02T12:00", "no_show")
    assert cancellation_kind(s, guideline()) == "no_show"


def test_it_measures_duration_in_whole_minutes() -> None:
    assert session("s", "2024-03-02T10:00", "2024-03-03T10:30").duration_minutes == 1470
