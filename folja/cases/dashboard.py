"""Reads for the unit manager's dashboard: aggregates for one district, compared with the city.

Only figures leave here (counts, minutes, shares); no person is named. Granted minutes come
from the rules engine (`granted_minutes_by_month`), never from arithmetic of our own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth

from folja.cases.models import Decision, Outcome, Task
from folja.delivery.models import Session, SessionStatus
from folja.people.models import District
from folja.providers.models import Order, OrderStatus
from folja.rules.followup import execution_rate
from folja.rules.model import DecisionGrant
from folja.rules.periods import decision_month_minutes

MONTHS = 12


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    first = today.replace(day=1)
    out = []
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        out.append(date(index // 12, index % 12 + 1, 1))
    return out


def _grant(d, since: date, until: date) -> DecisionGrant:
    # Clipped to the window: its edges are month boundaries, so each month inside it keeps
    # exactly the valid days (and so the minutes) the whole decision gives it.
    return DecisionGrant(
        id=str(d["pk"]),
        valid_from=max(d["valid_from"], since),
        valid_to=min(d["valid_to"], until),
        hours_per_month=d["hours_per_month"],
        model=d["model"],
    )


@dataclass(frozen=True)
class MonthRow:
    month: date
    decisions: int
    rejected: int
    granted_minutes: int
    executed_minutes: int

    @property
    def rejection_share(self) -> Decimal | None:
        if not self.decisions:
            return None
        return (Decimal(self.rejected) / Decimal(self.decisions)).quantize(Decimal("0.001"))

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


def _comparison(label: str, rows: list[tuple[str, Decimal | None]]) -> Comparison:
    rejected = sum(1 for outcome, _ in rows if outcome != Outcome.GRANTED)
    hours = [h for outcome, h in rows if outcome != Outcome.REJECTED and h is not None]
    return Comparison(
        label=label,
        decisions=len(rows),
        rejection_share=(
            (Decimal(rejected) / Decimal(len(rows))).quantize(Decimal("0.001")) if rows else None
        ),
        median_hours=Decimal(median(hours)).quantize(Decimal("0.1")) if hours else None,
    )


CACHE_SECONDS = 300


def cached_manager_dashboard(*, district: District, today: date) -> Dashboard:
    """The dashboard's figures, at most five minutes old: the page and its three charts read
    the same figures, and a unit manager's month-level view does not need the last second."""
    key = f"cases:dashboard:{district.pk}:{today.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = manager_dashboard(district=district, today=today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def manager_dashboard(*, district: District, today: date) -> Dashboard:
    months = month_starts(today)
    since, until = months[0], today
    window_end = (months[-1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    by_month = {
        row["m"].date() if hasattr(row["m"], "date") else row["m"]: row
        for row in Decision.objects.filter(district=district, decided_on__gte=since)
        .annotate(m=TruncMonth("decided_on"))
        .values("m")
        .annotate(n=Count("pk"), rejected=Count("pk", filter=~Q(outcome=Outcome.GRANTED)))
    }

    granted_rows = list(
        Decision.objects.filter(district=district, valid_from__lte=window_end, valid_to__gte=since)
        .exclude(outcome=Outcome.REJECTED)
        .exclude(hours_per_month__isnull=True)
        .values("pk", "valid_from", "valid_to", "hours_per_month", "model")
    )
    granted_month: dict[date, int] = defaultdict(int)
    granted_by_decision: dict[int, int] = {}
    for d in granted_rows:
        minutes = decision_month_minutes(_grant(d, since, window_end))
        granted_by_decision[d["pk"]] = sum(minutes.values())
        for m, v in minutes.items():
            granted_month[m] += v

    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    executed = Session.objects.filter(
        person__district=district,
        status=SessionStatus.EXECUTED,
        start__gte=since,
        start__lt=window_end + timedelta(days=1),
    )
    executed_month: dict[date, int] = {}
    for row in executed.annotate(m=TruncMonth("start")).values("m").annotate(t=Sum(duration)):
        m = row["m"].date() if hasattr(row["m"], "date") else row["m"]
        executed_month[m] = int(row["t"].total_seconds() // 60) if row["t"] else 0

    month_rows = [
        MonthRow(
            month=m,
            decisions=by_month.get(m, {}).get("n", 0),
            rejected=by_month.get(m, {}).get("rejected", 0),
            granted_minutes=granted_month.get(m, 0),
            executed_minutes=executed_month.get(m, 0),
        )
        for m in months
    ]

    # A decision's granted time belongs to the provider its latest sent order went to.
    provider_of: dict[int, tuple[int, str]] = {}
    for decision_id, provider_id, name in (
        Order.objects.filter(decision_id__in=list(granted_by_decision))
        .exclude(status=OrderStatus.DRAFT)
        .order_by("decision_id", "created_at", "id")
        .values_list("decision_id", "provider_id", "provider__name")
    ):
        provider_of[decision_id] = (provider_id, name)
    granted_provider: dict[tuple[int, str], int] = defaultdict(int)
    for decision_id, minutes in granted_by_decision.items():
        if decision_id in provider_of:
            granted_provider[provider_of[decision_id]] += minutes
    executed_provider: dict[tuple[int, str], int] = defaultdict(int)
    for row in executed.values("provider_id", "provider__name").annotate(t=Sum(duration)):
        key = (row["provider_id"], row["provider__name"])
        executed_provider[key] = int(row["t"].total_seconds() // 60) if row["t"] else 0
    providers = sorted(
        (
            ProviderRow(
                name=key[1],
                granted_minutes=granted_provider.get(key, 0),
                executed_minutes=executed_provider.get(key, 0),
            )
            for key in set(granted_provider) | set(executed_provider)
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
    for district_id, outcome, hours in Decision.objects.filter(
        decided_on__gte=since, decided_on__lte=until
    ).values_list("district_id", "outcome", "hours_per_month"):
        city.append((outcome, hours))
        per_district[district_id].append((outcome, hours))
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
