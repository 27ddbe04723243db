"""Writes of the follow-up area: keeping the monthly roll-up current, and rebuilding it.

Who calls what: no business area calls this module. Every write that can change a person's
figures calls the ledger's one path, `folja.ledger.changed.person_figures_changed`, in its own
transaction; that re-verifies the persons and then calls `rollup_refresh` here. The refresh
recomputes the persons' `PersonMonth` rows from one rules-engine evaluation each
(folja.followup.facts) and re-aggregates only the roll-up rows whose key (month, district,
provider, act, model, sex, age band) the persons' old or new rows touch — never the whole
table. `rollup_rebuild()` recomputes everything from scratch out of the ledger's stored
verification results, and `rollup_verify()` (behind `folja rollup verify`) compares the kept
roll-up with a from-scratch computation that evaluates every person afresh — so it checks the
stored results against the engine too.

The incremental refresh is not itself audited: it is bookkeeping of derived figures inside the
caller's audited transaction. The rebuild is an explicit administrative act and is audited.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from folja.accounts.models import Role
from folja.audit.services import audit_record
from folja.core import clock
from folja.core.bulk import copy_insert
from folja.followup.facts import (
    KEY_FIELDS,
    SUM_FIELDS,
    Fact,
    Reference,
    facts_for,
    facts_in_batches,
)
from folja.followup.models import (
    MonthlyRollup,
    PersonMonth,
    PersonPeriod,
    ReportStatus,
    TertialReportRun,
)
from folja.followup.reports import write_tertial_report
from folja.people.models import District, Person
from folja.rules.engine import Evaluation

BATCH = 500
# Above this many touched keys, re-aggregating whole months is cheaper than OR-ing keys.
MAX_KEYS = 400


def _row_tuple(row: PersonMonth) -> tuple:
    sums = tuple(Decimal(getattr(row, f)) for f in SUM_FIELDS)
    key = tuple(getattr(row, f) for f in KEY_FIELDS)
    return (*key, row.has_grant, row.flex3_month, row.used_flexibly, *sums)


def _person_month(fact: Fact) -> PersonMonth:
    return PersonMonth(
        person_id=fact.person_id,
        has_grant=fact.has_grant,
        flex3_month=fact.flex3_month,
        used_flexibly=fact.used_flexibly,
        **{f: getattr(fact, f) for f in KEY_FIELDS},
        **fact.sums,
    )


PERIOD_KEY = ("district_id", "provider_id", "act", "model", "sex", "age_band")


def _person_periods(facts: list[Fact]) -> list[PersonPeriod]:
    """Distinct slice values per person and year / tertial, flags OR-ed (see PersonPeriod)."""
    merged: dict[tuple, list[bool]] = {}
    for f in facts:
        values = tuple(getattr(f, k) for k in PERIOD_KEY)
        for tertial in (0, (f.month.month - 1) // 4 + 1):
            key = (f.person_id, f.month.year, tertial, *values)
            flags = merged.setdefault(key, [False, False, False])
            flags[0] |= f.has_grant
            flags[1] |= f.flex3_month
            flags[2] |= f.used_flexibly
    return [
        PersonPeriod(
            person_id=key[0],
            year=key[1],
            tertial=key[2],
            **dict(zip(PERIOD_KEY, key[3:], strict=True)),
            has_grant=flags[0],
            flex3_month=flags[1],
            used_flexibly=flags[2],
        )
        for key, flags in merged.items()
    ]


def _aggregate_query(queryset):
    """The roll-up rows of `queryset`'s person-months, as a query (not yet run)."""
    sums = {f: Sum(f) for f in SUM_FIELDS}
    return queryset.values(*KEY_FIELDS).annotate(
        persons=Count("id", filter=Q(has_grant=True)),
        flex3_persons=Count("id", filter=Q(flex3_month=True)),
        flexible_persons=Count("id", filter=Q(used_flexibly=True)),
        **sums,
    )


def _aggregate(queryset) -> list[MonthlyRollup]:
    """The same rows as unsaved instances (bench/bench_followup.py builds its roll-up so)."""
    return [MonthlyRollup(**row) for row in _aggregate_query(queryset)]


ROLLUP_COLUMNS = (*KEY_FIELDS, "persons", "flex3_persons", "flexible_persons", *SUM_FIELDS)


def _insert_aggregate(queryset) -> None:
    """Write the roll-up rows of `queryset`'s person-months with one INSERT … SELECT: the
    database groups and sums, and no row travels through Python (building the rows as model
    instances and copying them back cost a rebuild seconds at city scale). The grouping query
    is Django's own; its output columns are picked by name, whatever order it selects them in.
    """
    sql, params = _aggregate_query(queryset).query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(MonthlyRollup._meta.get_field(f).column) for f in ROLLUP_COLUMNS
    )
    picked = ", ".join(connection.ops.quote_name(f) for f in ROLLUP_COLUMNS)
    table = connection.ops.quote_name(MonthlyRollup._meta.db_table)
    # Names from the model, the rest Django's compiled query with its parameters.
    statement = f"INSERT INTO {table} ({columns}) SELECT {picked} FROM ({sql}) AS aggregated"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _key_q(key: tuple) -> Q:
    return Q(**dict(zip(KEY_FIELDS, key, strict=True)))


def _reaggregate(keys: set[tuple]) -> None:
    if not keys:
        return
    if len(keys) > MAX_KEYS:
        months = sorted({k[0] for k in keys})
        MonthlyRollup.objects.filter(month__in=months).delete()
        _insert_aggregate(PersonMonth.objects.filter(month__in=months))
        return
    keys_list = sorted(keys, key=lambda k: tuple(str(x) for x in k))
    for i in range(0, len(keys_list), 100):
        chunk = keys_list[i : i + 100]
        q = Q()
        for key in chunk:
            q |= _key_q(key)
        MonthlyRollup.objects.filter(q).delete()
        _insert_aggregate(PersonMonth.objects.filter(q))


@transaction.atomic
def rollup_refresh(
    *,
    person_ids: Iterable[int],
    months: Iterable[date] | None = None,
    sessions: Mapping[int, Sequence[Any]] | None = None,
    reference: Reference | None = None,
    evaluations: Mapping[int, Evaluation] | None = None,
) -> int:
    """Recompute the named persons' contributions and the roll-up rows they touch.

    `months` is accepted as a hint from callers but the whole history of each person is
    recomputed: lapsed time and flexible use are per period, and a change in one month can move
    a three-month period's figures. A person has at most a few dozen months, so this is cheap.
    `sessions` may hand over persons' complete session lists already in memory, `reference`
    the reference data the caller has just verified them with and `evaluations` the engine's
    evaluations of exactly those rows (see `facts_for`).
    Returns the number of roll-up keys re-aggregated.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    old_rows = list(PersonMonth.objects.filter(person_id__in=ids))
    old = {(r.person_id, r.month): _row_tuple(r) for r in old_rows}
    new_facts = facts_for(ids, sessions, reference=reference, evaluations=evaluations)
    new = {(f.person_id, f.month): f.as_tuple() for f in new_facts}
    touched: set[tuple] = set()
    for k in old.keys() | new.keys():
        if old.get(k) != new.get(k):
            for row in (old.get(k), new.get(k)):
                if row is not None:
                    touched.add(row[: len(KEY_FIELDS)])
    if not touched:
        return 0
    PersonMonth.objects.filter(person_id__in=ids).delete()
    copy_insert(PersonMonth, [_person_month(f) for f in new_facts])
    PersonPeriod.objects.filter(person_id__in=ids).delete()
    copy_insert(PersonPeriod, _person_periods(new_facts))
    _reaggregate(touched)
    return len(touched)


@transaction.atomic
def rollup_rebuild(*, user=None, progress=None) -> int:
    """Recompute every person's facts and the whole roll-up from scratch.

    The facts come from the ledger's stored results (`stored=True`), not from evaluating
    everyone again: each person was verified when their rows were written, and the stored
    results are that verification's answers, so the figures are the same (tested row for
    row on the demo city) at a fraction of the cost — re-evaluating made the city seed's
    roll-up step 1.75× slower. Stored results that lag the engine (rows written around the
    one figures-changed path) stay lagging here: `folja rollup verify` evaluates and shows
    them, and `folja recalc` re-verifies."""
    PersonMonth.objects.all().delete()
    PersonPeriod.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    for i, facts in enumerate(facts_in_batches(ids, batch=BATCH, stored=True)):
        copy_insert(PersonMonth, [_person_month(f) for f in facts])
        copy_insert(PersonPeriod, _person_periods(facts))
        if progress is not None:
            progress(min((i + 1) * BATCH, len(ids)), len(ids))
    _insert_aggregate(PersonMonth.objects.all())
    count = MonthlyRollup.objects.count()
    audit_record(
        user=user, action="followup.rollup_rebuild", obj=MonthlyRollup(), details={"rows": count}
    )
    return count


def rollup_snapshot() -> list[tuple]:
    """The roll-up as sorted plain tuples, to compare an incremental state with a rebuild."""
    fields = (*KEY_FIELDS, "persons", "flex3_persons", "flexible_persons", *SUM_FIELDS)
    rows = MonthlyRollup.objects.values_list(*fields)
    return sorted(
        (tuple(Decimal(v) if isinstance(v, int | Decimal) else v for v in r) for r in rows),
        key=lambda r: tuple(str(x) for x in r),
    )


def rollup_expected() -> list[tuple]:
    """The roll-up a from-scratch computation would give, computed in memory without writing
    (for `rollup_verify`). Every person is evaluated here, rather than read from the stored
    results as a rebuild does: the check then also covers the stored results themselves."""
    totals: dict[tuple, list] = {}
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    for facts in facts_in_batches(ids, batch=BATCH):
        for f in facts:
            agg = totals.setdefault(f.key(), [0, 0, 0] + [Decimal(0)] * len(SUM_FIELDS))
            agg[0] += 1 if f.has_grant else 0
            agg[1] += 1 if f.flex3_month else 0
            agg[2] += 1 if f.used_flexibly else 0
            for j, name in enumerate(SUM_FIELDS):
                agg[3 + j] += Decimal(f.sums[name])
    rows = [(*key, *(Decimal(v) for v in values)) for key, values in totals.items()]
    return sorted(rows, key=lambda r: tuple(str(x) for x in r))


@dataclass(frozen=True)
class RollupDifferences:
    """What `folja rollup verify` reports: roll-up rows a from-scratch computation has and the
    kept roll-up lacks (`missing`), and rows the kept roll-up has that it should not (`extra`).
    A row whose sums differ is both missing (as it should be) and extra (as it is)."""

    rows: int
    missing: tuple[tuple, ...]
    extra: tuple[tuple, ...]

    @property
    def count(self) -> int:
        return len(self.missing) + len(self.extra)


def rollup_verify() -> RollupDifferences:
    """Compare the kept roll-up with a from-scratch computation, without writing."""
    expected = rollup_expected()
    actual = rollup_snapshot()
    have, want = set(actual), set(expected)
    return RollupDifferences(
        rows=len(actual),
        missing=tuple(r for r in expected if r not in have),
        extra=tuple(r for r in actual if r not in want),
    )


# --- the tertial report asked for in the browser ---------------------------------------------

REPORT_STEPS = (
    gettext_lazy("Rapporten väntar på sin tur"),
    gettext_lazy("Siffrorna läses ur uppföljningen och filerna skrivs"),
    gettext_lazy("Rapporten är klar"),
)


def tertial_report_request(
    *, user, year: int, tertial: int, district: District | None
) -> TertialReportRun:
    """Record a request for a tertial report and queue its job once this transaction commits.
    A unit manager's report is always of their own district (their scope), whatever was
    asked; an analyst may ask for the city (None) or any district."""
    if user.role == Role.UNIT_MANAGER:
        district = user.district
        if district is None:
            raise PermissionDenied
    with transaction.atomic():
        run = TertialReportRun.objects.create(
            requested_by=user,
            year=year,
            tertial=tertial,
            district=district,
            created_at=clock.now(),
        )
        audit_record(
            user=user,
            action="followup.tertial_report",
            obj=run,
            details={
                "year": year,
                "tertial": tertial,
                "district": district.pk if district else None,
            },
        )
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue_report(run_id))
    return run


def _enqueue_report(run_id: int) -> None:
    from folja.followup.jobs import make_tertial_report

    result = make_tertial_report.enqueue(run_id)
    TertialReportRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def tertial_report_run(*, run_id: int) -> TertialReportRun:
    """The job's work: write the report through `write_tertial_report` (the CLI's) and keep
    both files on the run. The step is saved as it is reached, for the progress page."""
    run = TertialReportRun.objects.select_related("district").get(pk=run_id)
    if run.status != ReportStatus.QUEUED:
        return run

    TertialReportRun.objects.filter(pk=run_id).update(status=ReportStatus.RUNNING, step=1)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pdf, xlsx = write_tertial_report(
                year=run.year, tertial=run.tertial, district=run.district, out=Path(tmp)
            )
            run.pdf, run.xlsx, run.stem = pdf.read_bytes(), xlsx.read_bytes(), pdf.stem
    except Exception:
        # Recorded for the page ("Avbröts"), and re-raised so the job backend logs it.
        TertialReportRun.objects.filter(pk=run_id).update(
            status=ReportStatus.FAILED, finished_at=clock.now()
        )
        raise
    run.status = ReportStatus.DONE
    run.step = len(REPORT_STEPS) - 1
    run.finished_at = clock.now()
    run.save(update_fields=["pdf", "xlsx", "stem", "status", "step", "finished_at"])
    return run
