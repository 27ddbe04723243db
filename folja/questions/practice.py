"""Equal treatment (likställighet) of grey-zone activities: per district, how often the
applications naming each grey-zone activity of the catalogue were granted, set against the
ruling the handbook publishes for it.

An aggregate of the whole city for the central administration: it reads decisions unscoped,
as the rest of the follow-up does, and shows counts only, with the open data's small-number
suppression (a count under the threshold is never shown, nor anything derived from it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef

from folja.cases.models import Decision
from folja.followup.opendata import SUPPRESSED, THRESHOLD
from folja.handbook.models import Activity, ApplicationActivity, Ruling, RulingKind
from folja.handbook.selectors import published
from folja.ledger.decisions import GRANTING_FIELDS, grants_time
from folja.people.models import District
from folja.rules.stats import percent_of

# A district departs from the ruling when more than half its decisions go the other way: a
# `not_covered` activity mostly granted, a `covered` one mostly rejected. Rulings with
# conditions or case-by-case assessment are judgements; no share contradicts them.
DEPARTURE_PERCENT = Decimal(50)


@dataclass(frozen=True)
class PracticeCell:
    district: str
    decisions: int | None  # None: suppressed
    granted: int | None
    granted_percent: Decimal | None
    granted_share: Decimal | None  # for the percent filter
    departs: bool

    @property
    def shown(self) -> str:
        return SUPPRESSED if self.decisions is None else str(self.decisions)


@dataclass(frozen=True)
class ActivityPractice:
    activity: Activity
    ruling: Ruling | None
    cells: list[PracticeCell]

    @property
    def departing(self) -> list[str]:
        return [c.district for c in self.cells if c.departs]


def _departs(kind: str | None, granted_percent: Decimal | None) -> bool:
    if granted_percent is None or kind is None:
        return False
    if kind == RulingKind.NOT_COVERED:
        return granted_percent > DEPARTURE_PERCENT
    if kind == RulingKind.COVERED:
        return 100 - granted_percent > DEPARTURE_PERCENT
    return False


def grey_zone_practice(*, start: date, end: date, on: date) -> list[ActivityPractice]:
    """Decisions made `start`..`end` (inclusive) on applications naming a grey-zone activity,
    per district, against the ruling published on `on`. A decision replaced on
    reconsideration or appeal counts through its replacement only (as `grants_time` says)."""
    districts = list(District.objects.order_by("name"))
    rulings = {
        r.activity_id: r for r in Ruling.objects.filter(published(on)).select_related("activity")
    }
    result = []
    for activity in Activity.objects.filter(grey_zone=True):
        names = ApplicationActivity.objects.filter(
            application_id=OuterRef("application_id"), activity=activity
        )
        rows = Decision.objects.filter(
            Exists(names),
            decided_on__gte=start,
            decided_on__lte=end,
            superseded_by__isnull=True,
        ).values("district_id", *GRANTING_FIELDS)
        counts: dict[int, list[int]] = {}
        for row in rows:
            c = counts.setdefault(row["district_id"], [0, 0])
            c[0] += 1
            c[1] += 1 if grants_time(row) else 0
        ruling = rulings.get(activity.pk)
        cells = []
        for d in districts:
            decisions, granted = counts.get(d.pk, [0, 0])
            # Primary suppression as open data. The rejected count (decisions - granted) is
            # revealed with the granted one, so a small group on either side hides the cell;
            # none or all granted describes a group of at least the threshold, never a few.
            if decisions < THRESHOLD or min(granted, decisions - granted) in range(1, THRESHOLD):
                cells.append(PracticeCell(d.name, None, None, None, None, False))
                continue
            share = percent_of(granted, decisions)
            cells.append(
                PracticeCell(
                    d.name,
                    decisions,
                    granted,
                    share,
                    Decimal(granted) / Decimal(decisions),
                    _departs(ruling.kind if ruling else None, share),
                )
            )
        result.append(ActivityPractice(activity=activity, ruling=ruling, cells=cells))
    return result
