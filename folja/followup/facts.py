"""A person's monthly contribution to follow-up: the rules engine's answers, grouped by month.

Every minute figure comes from ONE engine evaluation per person through the ledger's bridge
(`folja.ledger.bridge.evaluate_rows`), given exactly what verification gives it: the decisions
that grant time, the session reports (a booked session, and one flagged `no_order` or
`duplicate`, is not a report and is left out), the expense items, every dated guideline
version and the LOV rates. So the follow-up can never count time the engine does not: an
overlapping or duplicate report charges nothing here either.

What each figure is:
- `granted_minutes`: rule 2 per month (`granted_minutes_by_month`, the function the engine
  sums into its periods) over the same grants.
- `charged_minutes`: Σ `SessionResult.charged_minutes` of the sessions starting in the month.
- `executed_minutes` / `sessions_executed` — executed time *that counts*: the charged minutes
  and the number of sessions the engine classed `executed` and did not flag `overlap` or
  `outside_decision`. A second report of the same time, or time outside every decision, was
  not executed under the grant, so it is neither charged nor counted as executed. (An executed
  session beyond what remains of its period is executed and charged: its excess waits for the
  caseworker as a payment question, not as a question of whether it happened.) Execution rate
  = executed / granted therefore compares like with like.
- cancellation counts: the engine's `kind` of every reported session (in time / late split by
  the guideline version in force on the session's day).
- `lapsed_minutes`: for each of the engine's periods under a quota model (not `free`), what
  the period did not use (granted − used, when positive), counted in the period's last month.
- `expenses_sek`: approved expense claims, by the month of their date.
- feedback and complaints: by the month they were given.

The slice of a month (district, act, model) is the covering decision that started last, as the
engine's governing decision is chosen; the provider is the one that executed most of the
month's counted time, else the one with most reports that month, else the provider of the
decision's order.

Inputs are loaded in bulk for a batch of persons (a few queries per batch, not per person), and
the reference data (guideline versions, rates, providers' regi) once per refresh or rebuild, so
the same code serves the refresh of one person and the rebuild of 25,000.

Two sources of the engine's answers, giving the same facts row for row:
- an evaluation (`_evaluated`): the one the caller has just made while verifying (a write, the
  import), or one made here (`rollup verify`, which checks the kept roll-up against the engine
  afresh);
- the ledger's stored results (`_stored`, `stored=True`): what verification wrote — each
  reported session's `charged_minutes` and `flags`, each period's granted and used minutes
  (`PeriodBalance`) — with the cancellation kind worked out by the engine's own function over
  the same report and guideline version. A full rebuild reads these: every person was verified
  when their rows were written (the seed verifies each session before writing it), so
  evaluating everyone again would only repeat that work — it made the city seed's roll-up
  step 1.75× slower. The stored results are current because every write re-verifies in its
  own transaction (folja.ledger.changed); `rollup verify` evaluates, so it would report a
  difference if they ever were not.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from folja.cases.models import Decision
from folja.delivery.models import ClaimStatus, ExpenseClaim, Session
from folja.guidelines.models import GuidelineVersion
from folja.ledger import bridge
from folja.ledger.guidelines import GuidelineVersions
from folja.ledger.models import PeriodBalance
from folja.people.models import Person
from folja.portal.models import Feedback
from folja.providers.models import Order, Provider
from folja.rules.engine import OUTSIDE_DECISION, OVERLAP, Evaluation
from folja.rules.followup import used_flexibly
from folja.rules.guidelines import GuidelineSchedule
from folja.rules.model import (
    CANCELLED_BY_PERSON_IN_TIME,
    CANCELLED_BY_PERSON_LATE,
    CANCELLED_BY_PROVIDER,
    EXECUTED,
    FLEX3,
    FREE,
    NO_SHOW,
    cancellation_kind,
)
from folja.rules.payment import RateTable
from folja.rules.periods import granted_minutes_by_month, month_end, month_start
from folja.rules.stats import age_band

__all__ = [
    "KEY_FIELDS",
    "SUM_FIELDS",
    "Fact",
    "Reference",
    "facts_for",
    "facts_in_batches",
]

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
# Flags under which an executed report is not executed time under the grant (see above).
NOT_EXECUTED_FLAGS = frozenset({OVERLAP, OUTSIDE_DECISION})


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


@dataclass(frozen=True)
class Reference:
    """What the engine needs besides a person's own rows, read once for a whole run: the
    same reference data verification reads (every dated guideline version, the LOV rates,
    each provider's regi)."""

    schedule: GuidelineSchedule | None  # None only when no guideline version exists at all
    rates: RateTable
    regi_by_provider: dict[int, str]

    @classmethod
    def load(cls) -> Reference:
        versions = GuidelineVersions()
        return cls(
            schedule=versions.schedule() if versions.versions else None,
            rates=bridge.rate_table(),
            regi_by_provider=dict(Provider.objects.values_list("pk", "regi")),
        )


@dataclass
class _Inputs:
    person: dict
    decisions: list[Any] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)
    claims: list[Any] = field(default_factory=list)
    feedback: list[tuple[datetime, str]] = field(default_factory=list)
    order_providers: dict[int, int] = field(default_factory=dict)  # decision id → provider id
    periods: list[Any] = field(default_factory=list)  # stored periods (only with `stored`)


# The bridge's columns, and the slice columns follow-up adds. Rows are named tuples: model
# instances cost several times more to build, and a rebuild reads every session.
# A session row also carries its stored `charged_minutes`, which the stored-results source
# reads (one integer column; the evaluation source ignores it).
FACT_DECISION_FIELDS = (*bridge.DECISION_FIELDS, "district_id", "legal_basis__act")
FACT_SESSION_FIELDS = (*bridge.ENGINE_SESSION_FIELDS, "charged_minutes")
PERIOD_FIELDS = ("person_id", "end", "model", "granted_minutes", "used_minutes")
DecisionRow = namedtuple("DecisionRow", FACT_DECISION_FIELDS)
SessionRow = namedtuple("SessionRow", FACT_SESSION_FIELDS)
ClaimRow = namedtuple("ClaimRow", bridge.CLAIM_FIELDS)
PeriodRow = namedtuple("PeriodRow", PERIOD_FIELDS)


def load_inputs(
    person_ids: Iterable[int],
    sessions: Mapping[int, Sequence[Any]] | None = None,
    *,
    stored: bool = False,
) -> dict[int, _Inputs]:
    """Everything the facts need of `person_ids`, one query per kind of row. `sessions` may
    hand over persons' complete session lists already in memory (an import has them, just
    verified, with the imported rows in place), saving the read of their sessions. `stored`
    also reads the persons' stored periods (for the stored-results source)."""
    ids = list(person_ids)
    inputs = {
        p["id"]: _Inputs(person=p)
        for p in Person.objects.filter(id__in=ids).values("id", "district_id", "sex", "birth_date")
    }
    for d in map(
        DecisionRow._make,
        Decision.objects.filter(person_id__in=inputs).values_list(*FACT_DECISION_FIELDS),
    ):
        inputs[d.person_id].decisions.append(d)
    given = {pid: rows for pid, rows in (sessions or {}).items() if pid in inputs}
    for pid, rows in given.items():
        inputs[pid].sessions.extend(rows)
    # In no particular order: the engine takes sessions in its own order (start, id), and the
    # facts only sum them; sorting every session in the database cost a rebuild time.
    for s in map(
        SessionRow._make,
        Session.objects.filter(person_id__in=[p for p in inputs if p not in given]).values_list(
            *FACT_SESSION_FIELDS
        ),
    ):
        inputs[s.person_id].sessions.append(s)
    for c in map(
        ClaimRow._make,
        ExpenseClaim.objects.filter(person_id__in=inputs).values_list(*bridge.CLAIM_FIELDS),
    ):
        inputs[c.person_id].claims.append(c)
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
    if stored:
        for p in map(
            PeriodRow._make,
            PeriodBalance.objects.filter(person_id__in=inputs).values_list(*PERIOD_FIELDS),
        ):
            inputs[p.person_id].periods.append(p)
    return inputs


def _needs_engine(data: _Inputs, reference: Reference) -> bool:
    """Whether the person has anything the engine judges (decisions or sessions); refuses,
    as verification does, to judge anything without a guideline version."""
    if not data.decisions and not data.sessions:
        return False
    if reference.schedule is None:
        raise GuidelineVersion.DoesNotExist("no guideline version: load reference data first")
    return True


def _evaluate(data: _Inputs, reference: Reference) -> Evaluation | None:
    """The person's one engine evaluation, as verification runs it; None for a person with
    nothing to evaluate (no decisions and no sessions)."""
    if not _needs_engine(data, reference):
        return None
    return bridge.evaluate_rows(
        decisions=data.decisions,
        sessions=data.sessions,
        claims=data.claims,
        guideline=reference.schedule,
        rates=reference.rates,
        regi_by_provider=reference.regi_by_provider,
    )


# What the facts read of the engine's answers, whichever the source: per reported session
# (the session row, charged minutes, flags, kind), and per period (its end, model, granted and
# used minutes).
Outcome = namedtuple("Outcome", ("row", "charged_minutes", "flags", "kind"))
PeriodOutcome = namedtuple("PeriodOutcome", ("end", "model", "granted_minutes", "used_minutes"))
Answers = tuple[list[Outcome], list[PeriodOutcome]]


def _evaluated(data: _Inputs, evaluation: Evaluation | None) -> Answers:
    """The answers of an evaluation of exactly `data`."""
    if evaluation is None:
        return [], []
    rows = {str(s.id): s for s in data.sessions}
    outcomes = [
        Outcome(rows[r.id], r.charged_minutes, r.flags, r.kind) for r in evaluation.sessions
    ]
    periods = [
        PeriodOutcome(p.end, p.model, p.granted_minutes, p.used_minutes) for p in evaluation.periods
    ]
    return outcomes, periods


def _stored(data: _Inputs, reference: Reference) -> Answers:
    """The same answers from what verification stored, without running the engine.

    The sessions are those the bridge gives the engine (`bridge.session_reports`: a booked
    session, and one flagged `no_order` or `duplicate`, is not a report), each with the
    charged minutes and flags verification stored on it (context flags such as `late_report`
    beside the engine's; the facts only ask about the engine's). The kind is what the engine
    computes for the same report: `cancellation_kind` with the guideline version in force on
    the day the session starts. The periods are the stored `PeriodBalance` rows, which are the
    engine's `PeriodResult`s (folja.ledger.store)."""
    if not _needs_engine(data, reference):
        return [], []
    schedule = reference.schedule
    rows = {str(s.id): s for s in data.sessions}
    outcomes = []
    for report in bridge.session_reports(data.sessions, reference.regi_by_provider):
        s = rows[report.id]
        kind = cancellation_kind(report, schedule.on(report.start.date()))
        outcomes.append(Outcome(s, s.charged_minutes, s.flags or (), kind))
    periods = [
        PeriodOutcome(p.end, p.model, p.granted_minutes, p.used_minutes) for p in data.periods
    ]
    return outcomes, periods


def person_facts(
    data: _Inputs,
    reference: Reference,
    evaluation: Evaluation | None = None,
    *,
    stored: bool = False,
) -> list[Fact]:
    """The person's months. `evaluation` is the engine's evaluation of exactly `data` (the
    verification that just ran over the same rows); else, with `stored`, the answers are
    read from what verification stored, and otherwise the person is evaluated here."""
    person = data.person
    grants = bridge.decision_grants(data.decisions)
    by_id = {str(d.id): d for d in data.decisions}
    granted = granted_minutes_by_month(grants)
    if evaluation is not None:
        outcomes, periods = _evaluated(data, evaluation)
    elif stored:
        outcomes, periods = _stored(data, reference)
    else:
        outcomes, periods = _evaluated(data, _evaluate(data, reference))

    months: dict[date, dict[str, int | Decimal]] = defaultdict(lambda: dict.fromkeys(SUM_FIELDS, 0))
    # Per month and provider: (counted executed minutes, reports), to name the month's provider.
    provider_weight: dict[date, dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    charged_by_month: dict[date, int] = defaultdict(int)
    for month, minutes in granted.items():
        months[month]["granted_minutes"] += minutes
    for result in outcomes:
        s = result.row
        month = month_start(s.start.date())
        row = months[month]
        weight = provider_weight[month][s.provider_id]
        row["charged_minutes"] += result.charged_minutes
        charged_by_month[month] += result.charged_minutes
        weight[1] += 1
        if result.kind == EXECUTED:
            if not NOT_EXECUTED_FLAGS.intersection(result.flags):
                row["executed_minutes"] += result.charged_minutes
                row["sessions_executed"] += 1
                weight[0] += result.charged_minutes
        elif result.kind in _KIND_FIELD:
            row[_KIND_FIELD[result.kind]] += 1
    # Lapsed time: what a quota period did not use, counted in the month it ends. A
    # free-model period has no quota, so nothing lapses.
    for period in periods:
        if period.model != FREE and period.granted_minutes > period.used_minutes:
            lapsed = period.granted_minutes - period.used_minutes
            months[month_start(period.end)]["lapsed_minutes"] += lapsed
    for c in data.claims:
        if c.status == ClaimStatus.APPROVED:
            months[month_start(c.date)]["expenses_sek"] += c.amount_sek
    for at, kind in data.feedback:
        row = months[month_start(at.date())]
        row["feedback_count"] += 1
        row["complaint_count"] += 1 if kind == "complaint" else 0

    facts = []
    for month in sorted(months):
        last = month_end(month)
        covering = [g for g in grants if g.valid_from <= last and g.valid_to >= month]
        decision = max(covering, key=lambda g: (g.valid_from, g.id)) if covering else None
        d = by_id[decision.id] if decision else None
        providers = provider_weight.get(month)
        if providers:
            provider_id = max(providers.items(), key=lambda kv: (*kv[1], -kv[0]))[0]
        else:
            provider_id = data.order_providers.get(d.id) if d else None
        fact = Fact(
            person_id=person["id"],
            month=month,
            district_id=d.district_id if d else person["district_id"],
            provider_id=provider_id,
            act=d.legal_basis__act if d else "",
            model=d.model if d else "",
            sex=person["sex"],
            age_band=age_band(person["birth_date"], month),
            has_grant=granted.get(month, 0) > 0 or (d is not None and d.model == FREE),
            sums=months[month],
        )
        if d is not None and d.model == FLEX3:
            fact.flex3_month = True
            fact.used_flexibly = used_flexibly([granted.get(month, 0)], [charged_by_month[month]])
        facts.append(fact)
    return facts


def facts_for(
    person_ids: Iterable[int],
    sessions: Mapping[int, Sequence[Any]] | None = None,
    *,
    reference: Reference | None = None,
    evaluations: Mapping[int, Evaluation] | None = None,
    stored: bool = False,
) -> list[Fact]:
    """The facts of `person_ids` (one batch). A caller running many batches passes one
    `reference`, or uses `facts_in_batches`. A caller that has just verified persons hands
    over their session lists as `sessions` and the engine's evaluations of exactly those rows
    as `evaluations`, so each person is evaluated once for verification and follow-up.
    `stored` reads the ledger's stored results instead of evaluating (see the module's
    docstring); it does not combine with `sessions`, whose rows may not be stored yet."""
    if stored and sessions:
        raise ValueError("stored results are read from the database, not from given rows")
    reference = reference or Reference.load()
    evaluations = evaluations or {}
    given = sessions or {}
    facts: list[Fact] = []
    for pid, data in load_inputs(person_ids, sessions, stored=stored).items():
        # An evaluation is only reused with the rows it was made from.
        evaluation = evaluations.get(pid) if pid in given else None
        facts.extend(person_facts(data, reference, evaluation, stored=stored))
    return facts


def facts_in_batches(
    person_ids: Sequence[int], *, batch: int, stored: bool = False
) -> Iterator[list[Fact]]:
    """The facts of `person_ids`, one list per `batch` persons, in order, with the reference
    data read once for the whole run: a rebuild (`stored`: from the ledger's stored results)
    or `folja rollup verify` (evaluating every person afresh)."""
    reference = Reference.load()
    for i in range(0, len(person_ids), batch):
        yield facts_for(person_ids[i : i + batch], reference=reference, stored=stored)
