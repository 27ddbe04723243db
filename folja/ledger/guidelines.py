"""Which guideline version is in force: the one lookup for the whole application.

Every question of the form "what did the guideline say on this day?" is answered here, by the
rule GuidelineVersion states: the version with the latest `valid_from` on or before the day,
and before every version the earliest (as CALC.md rules for `folja calc`). The rules engine is
given all versions as a `GuidelineSchedule` and asks each rule's own day, so a version from
2027 never changes a 2026 figure.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from folja.guidelines.models import GuidelineVersion
from folja.rules.guidelines import GuidelineSchedule
from folja.rules.model import Guideline


def rules_guideline(version: GuidelineVersion) -> Guideline:
    """The rules' view of one version (only the parameters the engine reads)."""
    return Guideline(
        period_anchor=version.period_anchor,
        late_cancellation_cutoff_hours=Decimal(version.late_cancellation_cutoff_hours),
        late_cancellation_charged=version.late_cancellation_charged,
        no_show_charged=version.no_show_charged,
        expense_allowance_per_month=version.expense_allowance_per_month,
        free_review_threshold=version.free_review_threshold,
        storhelg=frozenset(date.fromisoformat(d) for d in version.storhelg),
    )


class GuidelineVersions:
    """All versions, read once (or given): the version in force on any day, and the schedule
    for the engine. Bulk callers (imports, payment runs, re-verification) keep one instance."""

    def __init__(self, versions: Iterable[GuidelineVersion] | None = None) -> None:
        rows = GuidelineVersion.objects.order_by("valid_from") if versions is None else versions
        self.versions: list[GuidelineVersion] = sorted(rows, key=lambda v: v.valid_from)
        self._starts = [v.valid_from for v in self.versions]
        self._schedule: GuidelineSchedule | None = None

    def on(self, day: date) -> GuidelineVersion | None:
        """The version in force on `day`; None only when no version exists at all."""
        if not self.versions:
            return None
        index = bisect.bisect_right(self._starts, day) - 1
        return self.versions[max(index, 0)]

    def require(self, day: date) -> GuidelineVersion:
        version = self.on(day)
        if version is None:
            raise GuidelineVersion.DoesNotExist("no guideline version: load reference data first")
        return version

    def schedule(self) -> GuidelineSchedule:
        if self._schedule is None:
            if not self.versions:
                raise GuidelineVersion.DoesNotExist(
                    "no guideline version: load reference data first"
                )
            self._schedule = GuidelineSchedule.of(
                (v.valid_from, rules_guideline(v)) for v in self.versions
            )
        return self._schedule


def version_in_force(day: date) -> GuidelineVersion | None:
    """The version in force on `day` (one query; None when there is no version at all)."""
    version = GuidelineVersion.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    return version or GuidelineVersion.objects.order_by("valid_from").first()


def guideline_schedule() -> GuidelineSchedule:
    """Every version, read afresh, for the engine: what stores or pays uses this."""
    return GuidelineVersions().schedule()
