"""The bridge between the database and the rules engine (folja/rules).

Everything the application shows or pays about time and money — periods, balances, charged and
payable minutes, bands, payments, verification flags — comes from `folja.rules.engine.evaluate`
run over one person's decisions, sessions and expenses. This module only translates rows into
the engine's dataclasses and stores the engine's answers; it computes nothing itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from folja.cases.models import Decision
from folja.core import clock
from folja.delivery.bulk import update_sessions
from folja.delivery.models import ExpenseClaim, ReviewStatus, Session, SessionStatus
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.decisions import grants_time
from folja.ledger.guidelines import guideline_schedule, version_in_force
from folja.ledger.payable import DUPLICATE, NO_ORDER
from folja.ledger.store import store_periods
from folja.people.models import Person
from folja.rules.engine import EXCEEDS_GRANT, Evaluation, evaluate
from folja.rules.engine import FLAGS as ENGINE_FLAGS
from folja.rules.guidelines import GuidelineSchedule
from folja.rules.model import DecisionGrant, Expense, Guideline, Rate, SessionReport
from folja.rules.payment import RateTable

# Flags set from database context (by the delivery services) that make a report invalid as a
# whole: such a session is not given to the engine, so it charges and pays nothing.
REJECTING_FLAGS = frozenset({NO_ORDER, DUPLICATE})
# Statuses that are not yet a report: a booked session charges nothing until reported.
NOT_REPORTED = frozenset({SessionStatus.BOOKED})


def guideline_version_on(day: date) -> GuidelineVersion:
    """The version in force on `day` (model row); raises when there is no version at all."""
    version = version_in_force(day)
    if version is None:
        raise GuidelineVersion.DoesNotExist("no guideline version: load reference data first")
    return version


def rate_table(rates: Iterable[LovRate] | None = None) -> RateTable:
    rows = LovRate.objects.all() if rates is None else rates
    return RateTable(
        Rate(
            year=r.year,
            regi=r.regi,
            day=r.day,
            evening=r.evening,
            night=r.night,
            weekend=r.weekend,
            storhelg=r.storhelg,
        )
        for r in rows
    )


def decision_grants(decisions: Iterable[Decision]) -> list[DecisionGrant]:
    """The decisions that grant time (folja.ledger.decisions), as the engine's grants."""
    return [
        DecisionGrant(
            id=str(d.id),
            valid_from=d.valid_from,
            valid_to=d.valid_to,
            hours_per_month=d.hours_per_month,
            model=d.model,
            double_staffing=d.double_staffing,
        )
        for d in decisions
        if grants_time(d)
    ]


def session_reports(
    sessions: Iterable[Session], regi_by_provider: dict[int, str]
) -> list[SessionReport]:
    return [
        SessionReport(
            id=str(s.id),
            start=s.start,
            end=s.end,
            status=s.status,
            escorts=s.escorts,
            regi=regi_by_provider[s.provider_id],
            cancelled_at=s.cancelled_at,
            excess_approved=s.review_status == ReviewStatus.APPROVED,
        )
        for s in sessions
        if s.status not in NOT_REPORTED and not REJECTING_FLAGS.intersection(s.flags or ())
    ]


def expense_items(claims: Iterable[ExpenseClaim]) -> list[Expense]:
    """The part of each claim that draws on the pooled allowance (folja.ledger.expenses): a
    claim waiting for a decision draws nothing, activity money covers what is above the pool."""
    from folja.ledger.expenses import pool_expenses

    return pool_expenses(claims)


def evaluate_rows(
    *,
    decisions: Sequence[Decision],
    sessions: Sequence[Session],
    claims: Sequence[ExpenseClaim],
    guideline: Guideline | GuidelineSchedule,
    rates: RateTable,
    regi_by_provider: dict[int, str],
    on: date | None = None,
) -> Evaluation:
    """Run the engine over rows already in memory (saved or not): what bulk callers use.

    `guideline` is the schedule of all dated versions: each rule asks the version in force on
    its own day. A payable minute in a year without a LOV rate holds its session back
    (`no_rate`) instead of failing the whole person; it is paid once the rate exists.
    """
    return evaluate(
        guideline,
        rates,
        decision_grants(decisions),
        session_reports(sessions, regi_by_provider),
        expense_items(claims),
        on=on,
        hold_unknown_rate=True,
    )


def apply_evaluation(sessions: Sequence[Session], evaluation: Evaluation) -> list[Session]:
    """Copy the engine's per-session answers onto the rows; returns the rows that changed.

    A caseworker's approval of a flagged excess reaches the engine as `excess_approved`: the
    session keeps its `exceeds_grant` flag for the record and its minutes become payable.
    Flags that come from database context (`no_order`, `late_report`, `duplicate`) are kept.
    """
    by_id = {r.id: r for r in evaluation.sessions}
    changed: list[Session] = []
    for s in sessions:
        context_flags = [f for f in (s.flags or []) if f not in ENGINE_FLAGS]
        result = by_id.get(str(s.pk))
        if result is None:
            values = {
                "period_start": None,
                "charged_minutes": 0,
                "payable_minutes": 0,
                "band_minutes": {},
                "payment_sek": Decimal("0.00"),
                "flags": context_flags,
            }
        else:
            values = {
                "period_start": result.period_start,
                "charged_minutes": result.charged_minutes,
                "payable_minutes": result.payable_minutes,
                "band_minutes": dict(result.band_minutes),
                "payment_sek": result.payment,
                "flags": context_flags + list(result.flags),
            }
        review = s.review_status
        if EXCEEDS_GRANT in values["flags"] and review == ReviewStatus.NONE:
            review = ReviewStatus.PENDING
        elif EXCEEDS_GRANT not in values["flags"] and review == ReviewStatus.PENDING:
            review = ReviewStatus.NONE
        values["review_status"] = review
        if any(getattr(s, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(s, k, v)
            changed.append(s)
    return changed


VERIFICATION_FIELDS = [
    "period_start",
    "charged_minutes",
    "payable_minutes",
    "band_minutes",
    "payment_sek",
    "flags",
    "review_status",
]


# Only the columns the engine reads (and, when storing, those it writes): a person page loads
# every session of the person, and wide rows were its largest single cost.
ENGINE_SESSION_FIELDS = [
    "id",
    "person_id",
    "provider_id",
    "start",
    "end",
    "status",
    "escorts",
    "cancelled_at",
    "flags",
    "review_status",
]
DECISION_FIELDS = [
    "id",
    "superseded_by_id",
    "person_id",
    "outcome",
    "valid_from",
    "valid_to",
    "hours_per_month",
    "model",
    "double_staffing",
]
CLAIM_FIELDS = ["id", "person_id", "date", "amount_sek", "status", "costly_activity_id"]


def _person_rows(person: Person) -> tuple[list[Decision], list[Session], list[ExpenseClaim]]:
    """Model instances, for storing the engine's answers back onto the sessions."""
    fields = ENGINE_SESSION_FIELDS + VERIFICATION_FIELDS
    decisions = list(Decision.objects.filter(person=person).only(*DECISION_FIELDS))
    sessions = list(Session.objects.filter(person=person).only(*fields).order_by("start", "id"))
    claims = list(ExpenseClaim.objects.filter(person=person).only(*CLAIM_FIELDS))
    return decisions, sessions, claims


def _regi_by_provider(sessions: Iterable[Session]) -> dict[int, str]:
    from folja.providers.models import Provider

    ids = {s.provider_id for s in sessions}
    return dict(Provider.objects.filter(pk__in=ids).values_list("pk", "regi"))


def _person_rows_read_only(person: Person) -> tuple[list, list, list]:
    """The rows `_person_rows` reads, as named tuples: a page that only shows the engine's
    answer does not need model instances, and building one per session was most of the cost
    of a person page for someone with years of history."""
    return (
        list(Decision.objects.filter(person=person).values_list(*DECISION_FIELDS, named=True)),
        list(
            Session.objects.filter(person=person)
            .order_by("start", "id")
            .values_list(*ENGINE_SESSION_FIELDS, named=True)
        ),
        list(ExpenseClaim.objects.filter(person=person).values_list(*CLAIM_FIELDS, named=True)),
    )


# Reference data for pages. Every person page and "Mina timmar" view evaluates a person, and
# reading the guideline, the LOV rates and the providers' regi for each of them was a third of
# that evaluation's cost. Pages use a copy at most REFERENCE_SECONDS old; reference data changes
# a few times a year and takes effect by date, so a page may show a change up to a minute late.
# Anything that stores or pays (verify_person_sessions, the import, payments) reads afresh.
REFERENCE_SECONDS = 60.0
_reference: dict[object, tuple[float, object]] = {}


def _reference_copy(key: object, load):
    now = time.monotonic()
    hit = _reference.get(key)
    if hit is not None and now - hit[0] < REFERENCE_SECONDS:
        return hit[1]
    value = load()
    _reference[key] = (now, value)
    return value


def clear_reference_copies() -> None:
    """Forget the pages' copies (tests, and after loading reference data in this process)."""
    _reference.clear()


def page_schedule() -> GuidelineSchedule:
    """All dated versions, for display (the pages' copy)."""
    return _reference_copy("schedule", guideline_schedule)


def page_guideline(on: date) -> Guideline:
    """The guideline in force on `on`, for display (the pages' copy)."""
    return page_schedule().on(on)


def _all_regi() -> dict[int, str]:
    from folja.providers.models import Provider

    return dict(Provider.objects.values_list("pk", "regi"))


def person_evaluation(*, person: Person, on: date | None = None) -> Evaluation:
    """The engine's view of one person now (or on `on`): periods, sessions, balance. For
    display: uses the pages' copies of the reference data."""
    on = on or clock.today()
    decisions, sessions, claims = _person_rows_read_only(person)
    regi = _reference_copy("regi", _all_regi)
    if any(s.provider_id not in regi for s in sessions):  # a provider newer than the copy
        clear_reference_copies()
        regi = _reference_copy("regi", _all_regi)
    return evaluate_rows(
        decisions=decisions,
        sessions=sessions,
        claims=claims,
        guideline=page_schedule(),
        rates=_reference_copy("rates", rate_table),
        regi_by_provider=regi,
        on=on,
    )


@transaction.atomic
def verify_person_sessions(*, person: Person) -> Evaluation:
    """Re-verify all of a person's sessions and store the results.

    The person's row is locked first, so concurrent reporters for the same person are
    serialised: each verification sees every session committed before it, and the grant can
    never be overspent by two reports racing each other.
    """
    Person.objects.select_for_update().filter(pk=person.pk).first()
    today = clock.today()
    decisions, sessions, claims = _person_rows(person)
    evaluation = evaluate_rows(
        decisions=decisions,
        sessions=sessions,
        claims=claims,
        guideline=guideline_schedule(),
        rates=rate_table(),
        regi_by_provider=_regi_by_provider(sessions),
        on=today,
    )
    changed = apply_evaluation(sessions, evaluation)
    if changed:
        update_sessions(changed, VERIFICATION_FIELDS)
    store_periods({person.pk: evaluation})
    return evaluation


def verify_chunk(
    person_ids: Sequence[int],
    *,
    guideline: Guideline | GuidelineSchedule,
    rates: RateTable,
    regi_by_provider: dict[int, str],
    pending: Sequence[Session] = (),
    whole_rows: bool = False,
    rows_out: dict[int, list[Session]] | None = None,
    evaluations_out: dict[int, Evaluation] | None = None,
) -> list[Session]:
    """Verify a chunk of persons inside the caller's transaction and return the sessions whose
    result changed (not yet saved; the persons' periods are stored). The persons are locked
    first, so a concurrent report or import for the same person waits. `pending` are sessions
    not yet in the database (new or changed by an import, ids assigned): they take the place
    of their stored rows.
    `whole_rows` loads every column, for callers that write more than the results.
    `rows_out`, when given, receives each person's complete session list as verified, and
    `evaluations_out` each person's evaluation (the follow-up roll-up reuses both)."""
    lock_persons(person_ids)
    sessions_qs = Session.objects.filter(person_id__in=person_ids)
    if not whole_rows:
        sessions_qs = sessions_qs.only(*ENGINE_SESSION_FIELDS, *VERIFICATION_FIELDS)
    decisions = group_by_person(
        Decision.objects.filter(person_id__in=person_ids).only(*DECISION_FIELDS)
    )
    claims = group_by_person(
        ExpenseClaim.objects.filter(person_id__in=person_ids).only(*CLAIM_FIELDS)
    )
    overrides = {s.pk: s for s in pending}
    rows_by_person: dict[int, list[Session]] = {}
    for stored in sessions_qs:
        rows_by_person.setdefault(stored.person_id, []).append(overrides.pop(stored.pk, stored))
    for new in overrides.values():
        rows_by_person.setdefault(new.person_id, []).append(new)
    changed: list[Session] = []
    evaluations: dict[int, Evaluation] = {}
    for pid in person_ids:
        rows = sorted(rows_by_person.get(pid, []), key=lambda s: (s.start, s.pk))
        evaluation = evaluate_rows(
            decisions=decisions.get(pid, []),
            sessions=rows,
            claims=claims.get(pid, []),
            guideline=guideline,
            rates=rates,
            regi_by_provider=regi_by_provider,
        )
        changed.extend(apply_evaluation(rows, evaluation))
        evaluations[pid] = evaluation
        if rows_out is not None:
            rows_out[pid] = rows
    store_periods(evaluations)
    if evaluations_out is not None:
        evaluations_out.update(evaluations)
    return changed


def verify_sessions_bulk(person_ids: Sequence[int], *, batch: int = 500) -> int:
    """Verify many persons' sessions in batches (re-verification after a guideline or rate
    change). Returns the number of sessions whose stored result changed."""
    from folja.providers.models import Provider

    guideline = guideline_schedule()
    rates = rate_table()
    regi = dict(Provider.objects.values_list("pk", "regi"))
    total = 0
    for i in range(0, len(person_ids), batch):
        with transaction.atomic():
            changed = verify_chunk(
                list(person_ids[i : i + batch]),
                guideline=guideline,
                rates=rates,
                regi_by_provider=regi,
            )
            if changed:
                update_sessions(changed, VERIFICATION_FIELDS)
            total += len(changed)
    return total


def lock_persons(person_ids: Sequence[int]) -> None:
    """Row-lock persons in pk order (so two bulk runs cannot deadlock) for the rest of the
    transaction: whoever verifies a person's sessions holds that person."""
    list(
        Person.objects.select_for_update()
        .filter(pk__in=person_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def group_by_person(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.person_id, []).append(row)
    return grouped
