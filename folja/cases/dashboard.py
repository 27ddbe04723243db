"""Reads for the unit manager's dashboard: aggregates for one district, compared with the city.

Only figures leave here (counts, minutes, shares); no person is named. Granted and executed
minutes are read from the follow-up roll-up through its measures layer, exactly as the
follow-up page reads them, so the two pages show the same month the same way; the roll-up
itself comes from the rules engine over the decisions that grant time (a decision replaced on
reconsideration grants nothing).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from folja.cases.models import Decision, Outcome, Task
from folja.core.cachekeys import text_cache_key
from folja.followup.selectors import Slice, measures_many, provider_names
from folja.ledger.decisions import GRANTING_FIELDS, grants_time
from folja.people.models import District
from folja.rules.followup import execution_rate
from folja.rules.stats import percentile, share

MONTHS = 12


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    first = today.replace(day=1)
    out = []
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


@dataclass(frozen=True)
class MonthRow:
    month: date
    decisions: int
    rejected: int
    granted_minutes: int
    executed_minutes: int

    @property
    def rejection_share(self) -> Decimal | None:
        return share(self.rejected, self.decisions)

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.executed_minutes, self.granted_minutes)


@dataclass(frozen=True)
class ProviderRow:
    name: str
    granted_minutes: int
    executed_minutes: int

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.executed_minutes, self.granted_minutes)


@dataclass(frozen=True)
class Comparison:
    label: str
    decisions: int
    rejection_share: Decimal | None
    median_hours: Decimal | None


@dataclass(frozen=True)
class Dashboard:
    district: District
    since: date
    until: date
    months: list[MonthRow]
    providers: list[ProviderRow]
    open_tasks: list[tuple[str, int]]
    district_row: Comparison
    city_row: Comparison
    districts: list[Comparison]

    @property
    def has_decisions(self) -> bool:
        # A period without decisions says so beside its chart, not as a table of zeros.
        return any(m.decisions for m in self.months)

    @property
    def has_hours(self) -> bool:
        return any(m.granted_minutes or m.executed_minutes for m in self.months)


def _comparison(label: str, rows: list[tuple[str, Decimal | None]]) -> Comparison:
    """`rows` are (outcome, hours granted): hours None for a decision that grants no time."""
    rejected = sum(1 for outcome, _ in rows if outcome != Outcome.GRANTED)
    return Comparison(
        label=label,
        decisions=len(rows),
        rejection_share=share(rejected, len(rows)),
        median_hours=percentile((h for _, h in rows if h is not None), 50, places=1),
    )


CACHE_SECONDS = 300


def cached_manager_dashboard(*, district: District, today: date) -> Dashboard:
    """The dashboard's figures, at most five minutes old: the page and its three charts read
    the same figures, and a unit manager's month-level view does not need the last second."""
    key = text_cache_key("cases:dashboard", district.pk, today.isoformat())
    data = cache.get(key)
    if data is None:
        data = manager_dashboard(district=district, today=today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def manager_dashboard(*, district: District, today: date) -> Dashboard:
    months = month_starts(today)
    since, until = months[0], today

    by_month = {
        row["m"].date() if hasattr(row["m"], "date") else row["m"]: row
        for row in Decision.objects.filter(district=district, decided_on__gte=since)
        .annotate(m=TruncMonth("decided_on"))
        .values("m")
        .annotate(n=Count("pk"), rejected=Count("pk", filter=~Q(outcome=Outcome.GRANTED)))
    }

    # Granted and executed time per month and per provider: the follow-up's own figures.
    measures = measures_many(
        Slice(months[0], months[-1], district_id=district.pk), ["month", "provider"]
    )
    by_month_measures = measures["month"]
    month_rows = []
    for m in months:
        sums = by_month_measures[m].sums if m in by_month_measures else {}
        month_rows.append(
            MonthRow(
                month=m,
                decisions=by_month.get(m, {}).get("n", 0),
                rejected=by_month.get(m, {}).get("rejected", 0),
                granted_minutes=int(sums.get("granted_minutes", 0)),
                executed_minutes=int(sums.get("executed_minutes", 0)),
            )
        )

    # A person's month belongs to the provider that executed most of it, else to the one
    # their order went to (the roll-up's rule); months with neither have no provider row.
    by_provider = {k: m for k, m in measures["provider"].items() if k is not None}
    provider_labels = provider_names(by_provider)
    providers = sorted(
        (
            ProviderRow(
                name=provider_labels.get(pk, str(pk)),
                granted_minutes=int(m.sums["granted_minutes"]),
                executed_minutes=int(m.sums["executed_minutes"]),
            )
            for pk, m in by_provider.items()
            if m.sums["granted_minutes"] or m.sums["executed_minutes"]
        ),
        key=lambda r: r.name,
    )

    open_tasks = [
        (
            " ".join(filter(None, [r["assigned_to__first_name"], r["assigned_to__last_name"]]))
            or r["assigned_to__username"]
            or "",
            r["n"],
        )
        for r in Task.objects.filter(district=district, closed_at__isnull=True)
        .values("assigned_to__first_name", "assigned_to__last_name", "assigned_to__username")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]

    city: list[tuple[str, Decimal | None]] = []
    per_district: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
    for d in Decision.objects.filter(decided_on__gte=since, decided_on__lte=until).values(
        "district_id", *GRANTING_FIELDS
    ):
        row = (d["outcome"], d["hours_per_month"] if grants_time(d) else None)
        city.append(row)
        per_district[d["district_id"]].append(row)
    names = dict(District.objects.filter(pk__in=list(per_district)).values_list("pk", "name"))
    districts = sorted(
        (_comparison(names.get(pk, str(pk)), rows) for pk, rows in per_district.items()),
        key=lambda c: c.label,
    )
    return Dashboard(
        district=district,
        since=since,
        until=until,
        months=month_rows,
        providers=providers,
        open_tasks=open_tasks,
        district_row=_comparison(district.name, per_district.get(district.pk, [])),
        city_row=_comparison("", city),
        districts=districts,
    )
