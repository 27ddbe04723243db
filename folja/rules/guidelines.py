"""Dated guideline versions (CALC.md "Dated guideline versions").

A city changes its guidelines from a date; a new version must never change a figure of a day
before it came into force. So the engine never asks "what is the guideline?" but "what was the
guideline on this day?", and each rule names the day it asks about: the session's start day for
its cut-off and charging, the date itself for storhelg, the first day of a month for that month's
allowance and free-model threshold, and the first day of a chain for its period anchor.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from folja.rules.model import Guideline


@dataclass(frozen=True)
class GuidelineSchedule:
    """Guideline versions by the day they come into force, sorted, no two on the same day.

    The version in force on a day is the one with the latest `valid_from` on or before it;
    before every version, the earliest (a history older than the first recorded version is
    judged by the oldest rules known, rather than refused).
    """

    valid_from: tuple[date, ...]
    versions: tuple[Guideline, ...]

    @classmethod
    def of(cls, versions: Iterable[tuple[date, Guideline]]) -> GuidelineSchedule:
        ordered = sorted(versions, key=lambda item: item[0])
        if not ordered:
            raise ValueError("a guideline schedule needs at least one version")
        days = tuple(day for day, _ in ordered)
        if len(set(days)) != len(days):
            raise ValueError("two guideline versions from the same day")
        return cls(days, tuple(version for _, version in ordered))

    @classmethod
    def single(cls, guideline: Guideline) -> GuidelineSchedule:
        """One version in force on every day (CALC.md's single `guideline`)."""
        return cls((date.min,), (guideline,))

    def on(self, day: date) -> Guideline:
        if len(self.versions) == 1:
            return self.versions[0]
        index = bisect.bisect_right(self.valid_from, day) - 1
        return self.versions[max(index, 0)]

    def is_storhelg(self, day: date) -> bool:
        return day in self.on(day).storhelg

    @property
    def storhelg(self) -> StorhelgDays:
        return StorhelgDays(self)


@dataclass(frozen=True)
class StorhelgDays:
    """`day in storhelg` as the payment bands ask it: listed by the version in force that day."""

    schedule: GuidelineSchedule

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.schedule.is_storhelg(day)


def as_schedule(guideline: Guideline | GuidelineSchedule) -> GuidelineSchedule:
    if isinstance(guideline, GuidelineSchedule):
        return guideline
    return GuidelineSchedule.single(guideline)
