"""A person's monthly contribution to follow-up, computed with the rules engine.

Grants per month come from `folja.rules.periods.granted_minutes_by_month` (rule 2 proration),
the period grid from `build_periods`, charged time per session from the engine's
`charged_by_status` and the cancellation split from `cancellation_kind`, flexible use from
`folja.rules.followup.used_flexibly`. Nothing here re-implements a rule; this module only
groups the engine's answers by month.

Inputs are loaded in bulk for a batch of persons (a few queries per batch, not per person), so
the same code serves the incremental refresh of one person and the rebuild of 25,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from folja.cases.models import Decision, Outcome
from folja.delivery.models import ClaimStatus, ExpenseClaim, Session
from folja.guidelines.models import GuidelineVersion
from folja.people.models import Person
from folja.portal.models import Feedback
from folja.providers.models import Order
from folja.rules import stats
from folja.rules.engine import charged_by_status, governing_decision
from folja.rules.followup import used_flexibly
from folja.rules.model import (
    CANCELLED_BY_PERSON_IN_TIME,
    CANCELLED_BY_PERSON_LATE,
    CANCELLED_BY_PROVIDER,
    DECISION_START,
    EXECUTED,
    FLEX3,
    FREE,
    NO_SHOW,
    DecisionGrant,
    Guideline,
    SessionReport,
    cancellation_kind,
)
from folja.rules.periods import build_periods, granted_minutes_by_month, month_end, month_start

KEY_FIELDS = ("month", "district_id", "provider_id", "act", "model", "sex", "age_band")
SUM_FIELDS = (
    "granted_minutes",
    "executed_minutes",
    "charged_minutes",
    "lapsed_minutes",
    "sessions_executed",
    "cancelled_in_time",
    "cancelled_late",
    "no_shows",
    "cancelled_by_provider",
    "expenses_sek",
    "feedback_count",
    "complaint_count",
)
_KIND_FIELD = {
    CANCELLED_BY_PERSON_IN_TIME: "cancelled_in_time",
    CANCELLED_BY_PERSON_LATE: "cancelled_late",
    NO_SHOW: "no_shows",
    CANCELLED_BY_PROVIDER: "cancelled_by_provider",
}


def age_band(birth_date: date, on: date) -> str:
    # The one scheme (folja.rules.stats), shared with reports and decision support.
    return stats.age_band(birth_date, on)


@dataclass
class Fact:
    """One future `PersonMonth` row, as plain values."""

    person_id: int
    month: date
    district_id: int
    provider_id: int | None
    act: str
    model: str
    sex: str
    age_band: str
    has_grant: bool = False
    flex3_month: bool = False
    used_flexibly: bool = False
    sums: dict[str, int | Decimal] = field(default_factory=lambda: dict.fromkeys(SUM_FIELDS, 0))

    def key(self) -> tuple:
        return tuple(getattr(self, f) for f in KEY_FIELDS)

    def as_tuple(self) -> tuple:
        sums = tuple(Decimal(self.sums[f]) for f in SUM_FIELDS)
        return (*self.key(), self.has_grant, self.flex3_month, self.used_flexibly, *sums)


@dataclass
class _Inputs:
    person: dict
    decisions: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    expenses: list[tuple[date, Decimal]] = field(default_factory=list)
    feedback: list[tuple[datetime, str]] = field(default_factory=list)
    order_providers: dict[int, int] = field(default_factory=dict)  # decision id → provider id


def _guidelines() -> list[tuple[date, Guideline]]:
    versions = GuidelineVersion.objects.order_by("valid_from")
    return [
        (
            v.valid_from,
            Guideline(
                period_anchor=v.period_anchor,
                late_cancellation_cutoff_hours=Decimal(v.late_cancellation_cutoff_hours),
                late_cancellation_charged=v.late_cancellation_charged,
                no_show_charged=v.no_show_charged,
            ),
        )
        for v in versions
    ]


def _guideline_on(guidelines: list[tuple[date, Guideline]], day: date) -> Guideline:
    chosen = Guideline(period_anchor=DECISION_START)
    for valid_from, guideline in guidelines:
        if valid_from <= day:
            chosen = guideline
    return chosen


SESSION_FACT_FIELDS = (
    "id",
    "person_id",
    "provider_id",
    "start",
    "end",
    "status",
    "escorts",
    "cancelled_at",
)


def load_inputs(
    person_ids: Iterable[int], sessions: Mapping[int, Sequence[Any]] | None = None
) -> dict[int, _Inputs]:
    """Everything the facts need of `person_ids`. `sessions` may hand over the persons'
    complete session lists already in memory (an import has them, with the imported rows in
    place), saving the read of every session back from the database."""
    ids = list(person_ids)
    inputs = {
        p["id"]: _Inputs(person=p)
        for p in Person.objects.filter(id__in=ids).values("id", "district_id", "sex", "birth_date")
    }
    for d in (
        Decision.objects.filter(person_id__in=inputs)
        .exclude(outcome=Outcome.REJECTED)
        .filter(superseded_by__isnull=True)
        .filter(valid_from__isnull=False, valid_to__isnull=False, hours_per_month__isnull=False)
        .values(
            "id",
            "person_id",
            "district_id",
            "valid_from",
            "valid_to",
            "hours_per_month",
            "model",
            "double_staffing",
            "legal_basis__act",
        )
    ):
        inputs[d["person_id"]].decisions.append(d)
    given = sessions or {}
    for pid, rows in given.items():
        if pid in inputs:
            inputs[pid].sessions.extend(
                {name: getattr(row, name) for name in SESSION_FACT_FIELDS} for row in rows
            )
    for s in Session.objects.filter(person_id__in=[p for p in inputs if p not in given]).values(
        *SESSION_FACT_FIELDS
    ):
        inputs[s["person_id"]].sessions.append(s)
    for pid, day, amount in ExpenseClaim.objects.filter(
        person_id__in=inputs, status=ClaimStatus.APPROVED
    ).values_list("person_id", "date", "amount_sek"):
        inputs[pid].expenses.append((day, amount))
    for pid, at, kind in Feedback.objects.filter(person_id__in=inputs).values_list(
        "person_id", "created_at", "kind"
    ):
        inputs[pid].feedback.append((at, kind))
    for pid, decision_id, provider_id in (
        Order.objects.filter(person_id__in=inputs)
        .exclude(status="draft")
        .order_by("created_at", "id")
        .values_list("person_id", "decision_id", "provider_id")
    ):
        inputs[pid].order_providers[decision_id] = provider_id
    return inputs


def person_facts(data: _Inputs, guidelines: list[tuple[date, Guideline]]) -> list[Fact]:
    person = data.person
    grants = [
        DecisionGrant(
            id=str(d["id"]),
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            hours_per_month=d["hours_per_month"],
            model=d["model"],
            double_staffing=d["double_staffing"],
        )
        for d in data.decisions
    ]
    by_id = {str(d["id"]): d for d in data.decisions}
    first_day = min((g.valid_from for g in grants), default=date(2000, 1, 1))
    periods = build_periods(grants, _guideline_on(guidelines, first_day).period_anchor)
    granted = granted_minutes_by_month(grants)

    months: dict[date, dict[str, int | Decimal]] = defaultdict(lambda: dict.fromkeys(SUM_FIELDS, 0))
    provider_minutes: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    charged_by_month: dict[date, int] = defaultdict(int)
    for month, minutes in granted.items():
        months[month]["granted_minutes"] += minutes
    for s in data.sessions:
        report = SessionReport(
            id=str(s["id"]),
            start=s["start"],
            end=s["end"],
            status=s["status"],
            escorts=s["escorts"],
            cancelled_at=s["cancelled_at"],
        )
        month = month_start(report.start.date())
        guideline = _guideline_on(guidelines, report.start.date())
        row = months[month]
        provider_minutes[month][s["provider_id"]] += max(report.duration_minutes, 1)
        # Charged time only under a decision, as the engine verifies it (outside → 0).
        charged = charged_by_status(report, guideline)
        if governing_decision(grants, report.start) is None:
            charged = 0
        row["charged_minutes"] += charged
        charged_by_month[month] += charged
        if report.status == EXECUTED:
            row["executed_minutes"] += report.duration_minutes
            row["sessions_executed"] += 1
        else:
            kind = cancellation_kind(report, guideline)
            if kind in _KIND_FIELD:
                row[_KIND_FIELD[kind]] += 1
    for day, amount in data.expenses:
        months[month_start(day)]["expenses_sek"] += amount
    for at, kind in data.feedback:
        row = months[month_start(at.date())]
        row["feedback_count"] += 1
        row["complaint_count"] += 1 if kind == "complaint" else 0
    # Lapsed time: what a quota period did not use, counted in the month the period ends.
    # Free-model periods have no quota, so nothing lapses.
    for period in periods:
        if period.model == FREE:
            continue
        period_months = list(period.months())
        granted_p = sum(granted.get(m, 0) for m in period_months)
        used_p = sum(charged_by_month.get(m, 0) for m in period_months)
        if granted_p > used_p:
            months[period_months[-1]]["lapsed_minutes"] += granted_p - used_p

    facts = []
    for month in sorted(months):
        covering = [g for g in grants if g.valid_from <= month_end(month) and g.valid_to >= month]
        decision = max(covering, key=lambda g: (g.valid_from, g.id)) if covering else None
        d = by_id[decision.id] if decision else None
        providers = provider_minutes.get(month)
        if providers:
            provider_id = max(providers.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        else:
            provider_id = data.order_providers.get(d["id"]) if d else None
        fact = Fact(
            person_id=person["id"],
            month=month,
            district_id=d["district_id"] if d else person["district_id"],
            provider_id=provider_id,
            act=d["legal_basis__act"] if d else "",
            model=d["model"] if d else "",
            sex=person["sex"],
            age_band=age_band(person["birth_date"], month),
            has_grant=granted.get(month, 0) > 0 or (d is not None and d["model"] == FREE),
            sums=months[month],
        )
        if d is not None and d["model"] == FLEX3:
            fact.flex3_month = True
            fact.used_flexibly = used_flexibly([granted.get(month, 0)], [charged_by_month[month]])
        facts.append(fact)
    return facts


def facts_for(
    person_ids: Iterable[int], sessions: Mapping[int, Sequence[Any]] | None = None
) -> list[Fact]:
    guidelines = _guidelines()
    facts: list[Fact] = []
    for data in load_inputs(person_ids, sessions).values():
        facts.extend(person_facts(data, guidelines))
    return facts
