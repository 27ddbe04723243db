"""THE measures layer (DESIGN.md "Follow-up measures"). Every page, report, CLI command and
the open-data export reads its figures here, for any slice.

Where each measure comes from:
- time-based measures (granted/executed/lapsed minutes, cancellations by cause, expenses,
  feedback) are sums over `MonthlyRollup`, the incrementally kept monthly roll-up;
- counts of distinct persons (persons with the service, flexible use) come from `PersonMonth`,
  because a person counted in several months must be counted once per period;
- decision measures (decisions, rejection share, granted hours per decision and its quartiles)
  and applications are read from the decisions and applications themselves, since medians are
  not additive.

All of it is aggregates: nothing here returns a name, personnummer or address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from folja.cases.models import Application, Decision, Outcome
from folja.followup.facts import SUM_FIELDS
from folja.followup.models import MonthlyRollup, PersonMonth, PersonPeriod
from folja.ledger.decisions import GRANTING_FIELDS, granting_sql, grants_time
from folja.rules.followup import execution_rate
from folja.rules.stats import age_band, age_band_sql, quartiles, round_half_up, share
from folja.rules.stats import hours as stats_hours

DIMENSIONS = ("district", "provider", "act", "model", "sex", "age_band")
TIME_DIMENSIONS = ("month", "tertial", "year")


@dataclass(frozen=True)
class Slice:
    """Which part of the data a measure covers: months `start..end` (1st days, inclusive) and
    any of the dimensions fixed to one value."""

    start: date
    end: date
    district_id: int | None = None
    provider_id: int | None = None
    act: str | None = None
    model: str | None = None
    sex: str | None = None
    age_band: str | None = None

    @classmethod
    def year(cls, year: int, **kw) -> Slice:
        return cls(date(year, 1, 1), date(year, 12, 1), **kw)

    @classmethod
    def tertial(cls, year: int, tertial: int, **kw) -> Slice:
        first = (tertial - 1) * 4 + 1
        return cls(date(year, first, 1), date(year, first + 3, 1), **kw)


def tertial_of(month: int) -> int:
    """T1 January–April, T2 May–August, T3 September–December."""
    return (month - 1) // 4 + 1


@dataclass
class Measures:
    """All measures of one slice (or one group of a breakdown)."""

    key: object = None
    persons: int = 0
    applications: int = 0
    decisions: int = 0
    rejected_or_partly: int = 0
    granted_hours: list[Decimal] = field(default_factory=list, repr=False)
    flex3_persons: int = 0
    flexible_persons: int = 0
    sums: dict[str, int | Decimal] = field(default_factory=lambda: dict.fromkeys(SUM_FIELDS, 0))

    @property
    def rejection_share(self) -> Decimal | None:
        return share(self.rejected_or_partly, self.decisions)

    # Set when the database computed the quartiles (PostgreSQL path of measures_many).
    hours_quartiles: dict[str, Decimal] | None = None

    @property
    def hours_per_decision(self) -> dict[str, Decimal] | None:
        if self.hours_quartiles is not None:
            return self.hours_quartiles
        return quartiles(self.granted_hours)

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(int(self.sums["executed_minutes"]), int(self.sums["granted_minutes"]))

    @property
    def flexible_share(self) -> Decimal | None:
        return share(self.flexible_persons, self.flex3_persons)

    def hours(self, name: str) -> Decimal:
        return stats_hours(self.sums[name])

    @property
    def cancellations(self) -> dict[str, int]:
        return {
            k: int(self.sums[k])
            for k in ("cancelled_in_time", "cancelled_late", "no_shows", "cancelled_by_provider")
        }


# --- slicing ---------------------------------------------------------------------------------


def _period_of(s: Slice) -> tuple[int, int] | None:
    """(year, 0) for a whole calendar year, (year, tertial) for a tertial, else None."""
    if s.start.year != s.end.year or s.start.day != 1 or s.end.day != 1:
        return None
    if (s.start.month, s.end.month) == (1, 12):
        return (s.start.year, 0)
    if s.start.month in (1, 5, 9) and s.end.month == s.start.month + 3:
        return (s.start.year, tertial_of(s.start.month))
    return None


def _filter_facts(qs: QuerySet, s: Slice) -> QuerySet:
    return _filter_dims(qs.filter(month__gte=s.start, month__lte=s.end), s)


def _filter_dims(qs: QuerySet, s: Slice) -> QuerySet:
    for dim in DIMENSIONS:
        value = getattr(s, f"{dim}_id" if dim in ("district", "provider") else dim)
        if value is not None:
            qs = qs.filter(**{f"{dim}_id" if dim in ("district", "provider") else dim: value})
    return qs


def _time_annotations(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        _year=ExtractYear("month"),
        _tertial=Case(
            When(month__month__lte=4, then=Value(1)),
            When(month__month__lte=8, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        _m=ExtractMonth("month"),
    )


def _group_fields(by: str | None) -> list[str]:
    if by is None:
        return []
    if by in ("district", "provider"):
        return [f"{by}_id"]
    if by == "month":
        return ["month"]
    if by == "tertial":
        return ["_year", "_tertial"]
    if by == "year":
        return ["_year"]
    if by in DIMENSIONS:
        return [by]
    raise ValueError(f"unknown dimension {by!r}")


def _key(row: dict, fields: list[str]):
    if not fields:
        return None
    values = tuple(row[f] for f in fields)
    return values[0] if len(values) == 1 else values


def _decision_key_function(by: str | None):
    if by is None:
        return lambda d: None
    if by == "month":
        return lambda d: d["decided_on"].replace(day=1)
    if by == "tertial":
        return lambda d: (d["decided_on"].year, tertial_of(d["decided_on"].month))
    if by == "year":
        return lambda d: d["decided_on"].year
    if by == "age_band":
        return lambda d: age_band(d["person__birth_date"], d["decided_on"])
    if by == "provider":
        return lambda d: None  # a provider does not decide
    column = {
        "district": "district_id",
        "act": "legal_basis__act",
        "model": "model",
        "sex": "person__sex",
    }[by]
    return lambda d: d[column]


def _decisions(s: Slice) -> Iterable[dict]:
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    qs = Decision.objects.filter(decided_on__gte=s.start, decided_on__lt=last)
    if s.district_id is not None:
        qs = qs.filter(district_id=s.district_id)
    if s.provider_id is not None:
        # A provider does not decide; its slice is the decisions it received orders for.
        qs = qs.filter(orders__provider_id=s.provider_id).distinct()
    if s.act is not None:
        qs = qs.filter(legal_basis__act=s.act)
    if s.model is not None:
        qs = qs.filter(model=s.model)
    if s.sex is not None:
        qs = qs.filter(person__sex=s.sex)
    rows = qs.order_by().values(
        *GRANTING_FIELDS,
        "decided_on",
        "district_id",
        "model",
        "legal_basis__act",
        "person__sex",
        "person__birth_date",
    )
    for d in rows.iterator(chunk_size=5000):
        if (
            s.age_band is not None
            and age_band(d["person__birth_date"], d["decided_on"]) != s.age_band
        ):
            continue
        yield d


APPLICATION_BYS = (None, "district", "act", "sex", "age_band", "month", "tertial", "year")


def _application_rows(s: Slice) -> list[tuple]:
    """(received on, district, act, sex, age band) of the slice's applications, read once for
    every breakdown (the age band on the day it was received, through the one scheme of
    folja.rules.stats)."""
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    qs = Application.objects.filter(received_on__gte=s.start, received_on__lt=last)
    if s.district_id is not None:
        qs = qs.filter(district_id=s.district_id)
    if s.act is not None:
        qs = qs.filter(requested_act=s.act)
    if s.sex is not None:
        qs = qs.filter(person__sex=s.sex)
    rows = []
    for day, district_id, act, sex, born in qs.values_list(
        "received_on", "district_id", "requested_act", "person__sex", "person__birth_date"
    ):
        band = age_band(born, day) if born is not None else None
        if s.age_band is not None and band != s.age_band:
            continue
        rows.append((day, district_id, act, sex, band))
    return rows


def _applications(rows: list[tuple], by: str | None) -> dict:
    # An application has no model and no provider yet; every other breakdown has its key.
    if by not in APPLICATION_BYS:
        return {}
    counts: dict = defaultdict(int)
    for day, district_id, act, sex, band in rows:
        key = {
            None: None,
            "district": district_id,
            "act": act,
            "sex": sex,
            "age_band": band,
            "month": day.replace(day=1),
            "tertial": (day.year, tertial_of(day.month)),
            "year": day.year,
        }[by]
        counts[key] += 1
    return counts


def _grouped(qs: QuerySet, fields: list[str], aggregates: dict) -> list[dict]:
    # `.values()` with no fields would group by every column; the whole slice is `.aggregate()`.
    if not fields:
        return [qs.aggregate(**aggregates)]
    return list(qs.values(*fields).annotate(**aggregates).order_by())


def measures_by(s: Slice, by: str | None = None) -> dict[object, Measures]:
    """Every measure of slice `s`, broken down by one dimension (`district`, `provider`,
    `act`, `model`, `sex`, `age_band`, `month`, `tertial`, `year`), or the whole slice when
    `by` is None (then the only key is None)."""
    return measures_many(s, [by])[by]


_PERSON_DIMS = {"district": "district_id", "provider": "provider_id"}


def measures_many(s: Slice, bys: list[str | None]) -> dict[str | None, dict[object, Measures]]:
    """`measures_by` for several breakdowns at once, reading decisions, applications and the
    distinct persons of the slice once and distributing them, so a dashboard showing five
    breakdowns costs about one breakdown's reading of the detail rows. On PostgreSQL the
    breakdowns of the roll-up are one GROUPING SETS query."""
    results: dict[str | None, dict[object, Measures]] = {by: defaultdict(Measures) for by in bys}
    sums = {f: Sum(f) for f in SUM_FIELDS}
    plain = [by for by in bys if by not in ("tertial", "year")]
    if connection.vendor == "postgresql" and plain:
        where, params = _where_sql(s, month=True)
        aggregates = [f"SUM({f})" for f in SUM_FIELDS]
        for by, key, values in _grouping_sets(
            MonthlyRollup._meta.db_table, where, params, plain, aggregates
        ):
            m = results[by][key]
            for f, v in zip(SUM_FIELDS, values, strict=True):
                m.sums[f] = v or 0
        rest = [by for by in bys if by not in plain]
    else:
        rest = bys
    for by in rest:
        fields = _group_fields(by)
        rollup = _filter_facts(MonthlyRollup.objects.all(), s)
        if by in ("tertial", "year"):
            rollup = _time_annotations(rollup)
        for row in _grouped(rollup, fields, sums):
            m = results[by][_key(row, fields)]
            for f in SUM_FIELDS:
                m.sums[f] = row[f] or 0

    _persons(s, bys, results)

    in_sql = [by for by in bys if by not in ("tertial", "year")]
    if connection.vendor == "postgresql" and s.provider_id is None and in_sql:
        _decisions_pg(s, in_sql, results)
        decision_bys = [by for by in bys if by in ("tertial", "year")]
    else:
        decision_bys = bys
    decisions = sorted(
        _decisions(s) if decision_bys else [],
        key=lambda d: d["hours_per_month"] if d["hours_per_month"] is not None else Decimal(0),
    )
    rejected = (Outcome.REJECTED, Outcome.PARTLY_REJECTED)
    applications = _application_rows(s) if any(by in APPLICATION_BYS for by in bys) else []
    for by in bys:
        key_of = _decision_key_function(by)
        group = results[by]
        for d in decisions if by in decision_bys else []:
            m = group[key_of(d)]
            m.decisions += 1
            outcome = d["outcome"]
            if outcome in rejected:
                m.rejected_or_partly += 1
            if grants_time(d):
                m.granted_hours.append(d["hours_per_month"])
        for key, n in _applications(applications, by).items():
            group[key].applications = n
        for key, m in group.items():
            m.key = key
    return {by: dict(r) for by, r in results.items()}


_AGE_BAND_SQL = age_band_sql("date_part('year', age(d.decided_on, p.birth_date))")
_HOURS = granting_sql("d")


def _decisions_pg(s: Slice, bys: list, results: dict) -> None:
    """Decision counts and hour quartiles per breakdown in one GROUPING SETS query.
    `percentile_cont` interpolates linearly between order statistics, the same "inclusive"
    method as `quartiles`; float noise is rounded off before the half-up rounding."""
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    clauses = ["d.decided_on >= %s", "d.decided_on < %s"]
    params: list = [s.start, last]
    for column, value in (
        ("d.district_id", s.district_id),
        ("lb.act", s.act),
        ("d.model", s.model),
        ("p.sex", s.sex),
        (_AGE_BAND_SQL, s.age_band),
    ):
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    inner = (
        "(SELECT d.district_id, lb.act, d.model, p.sex, "
        f"{_AGE_BAND_SQL} AS age_band, "
        "date_trunc('month', d.decided_on)::date AS month, NULL::bigint AS provider_id, "
        "d.outcome, CASE WHEN " + _HOURS + " THEN d.hours_per_month::float8 END AS hours "
        "FROM cases_decision d JOIN people_person p ON p.id = d.person_id "
        "JOIN guidelines_legalbasis lb ON lb.id = d.legal_basis_id "
        f"WHERE {' AND '.join(clauses)}) AS x"
    )
    aggregates = [
        "COUNT(*)",
        "COUNT(*) FILTER (WHERE outcome IN ('rejected', 'partly_rejected'))",
        "percentile_cont(0.25) WITHIN GROUP (ORDER BY hours)",
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)",
        "percentile_cont(0.75) WITHIN GROUP (ORDER BY hours)",
    ]
    for by, key, (n, rejected, q1, q2, q3) in _grouping_sets(
        inner, "TRUE", params, bys, aggregates
    ):
        m = results[by][key]
        m.decisions, m.rejected_or_partly = n, rejected
        if q2 is not None:
            m.hours_quartiles = {
                name: round_half_up(round_half_up(v, 6), 2)
                for name, v in (("q1", q1), ("median", q2), ("q3", q3))
            }


_COLUMN = {
    "month": "month",
    "district": "district_id",
    "provider": "provider_id",
    "act": "act",
    "model": "model",
    "sex": "sex",
    "age_band": "age_band",
}


def _where_sql(s: Slice, *, month: bool) -> tuple[str, list]:
    clauses, params = [], []
    if month:
        clauses.append("month BETWEEN %s AND %s")
        params += [s.start, s.end]
    for dim in DIMENSIONS:
        value = getattr(s, f"{dim}_id" if dim in ("district", "provider") else dim)
        if value is not None:
            clauses.append(f"{_COLUMN[dim]} = %s")
            params.append(value)
    return " AND ".join(clauses) or "TRUE", params


def _grouping_sets(table: str, where: str, params: list, bys: list, aggregates: list[str]):
    """One scan, several breakdowns: yields (by, key, aggregate values) per group."""
    if not bys:
        return
    columns = sorted({_COLUMN[by] for by in bys if by is not None})
    n = len(columns)
    full = (1 << n) - 1
    mask_of = {}
    sets = []
    for by in bys:
        if by is None:
            mask_of[full] = None
            sets.append("()")
        else:
            i = columns.index(_COLUMN[by])
            mask_of[full ^ (1 << (n - 1 - i))] = by
            sets.append(f"({_COLUMN[by]})")
    grouping = f"GROUPING({', '.join(columns)})" if columns else "0"
    # Identifiers come from the fixed _COLUMN table and SQL fragments written here; every
    # value is a bound parameter.
    sql = (
        f"SELECT {grouping}, {', '.join(columns + aggregates)} FROM {table} "  # noqa: S608
        f"WHERE {where} GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            by = mask_of.get(row[0], "?")
            if by == "?":
                continue
            key = None if by is None else row[1 + columns.index(_COLUMN[by])]
            yield by, key, row[1 + n :]


def _persons(s: Slice, bys: list[str | None], results: dict) -> None:
    """Distinct persons (with the service, with flex3, using flexibility) per group."""
    facts = _filter_facts(PersonMonth.objects.all(), s)
    dims = [by for by in bys if by is None or by in DIMENSIONS]
    period = _period_of(s)
    if dims and period is not None:
        # A whole year or tertial: count over the few PersonPeriod rows (see the model).
        if connection.vendor == "postgresql" and dims:
            where, params = _where_sql(s, month=False)
            aggregates = [
                f"COUNT(DISTINCT person_id) FILTER (WHERE {flag})"
                for flag in ("has_grant", "flex3_month", "used_flexibly")
            ]
            for by, key, values in _grouping_sets(
                PersonPeriod._meta.db_table,
                f"year = %s AND tertial = %s AND {where}",
                [period[0], period[1], *params],
                dims,
                aggregates,
            ):
                m = results[by][key]
                m.persons, m.flex3_persons, m.flexible_persons = values
            dims = []
        periods = _filter_dims(PersonPeriod.objects.filter(year=period[0], tertial=period[1]), s)
        counts = {
            "persons": Count("person_id", distinct=True, filter=Q(has_grant=True)),
            "flex3": Count("person_id", distinct=True, filter=Q(flex3_month=True)),
            "flexible": Count("person_id", distinct=True, filter=Q(used_flexibly=True)),
        }
        for by in dims:
            fields = _group_fields(by)
            for row in _grouped(periods, fields, counts):
                m = results[by][_key(row, fields)]
                m.persons, m.flex3_persons, m.flexible_persons = (
                    row["persons"],
                    row["flex3"],
                    row["flexible"],
                )
        dims = []
    if dims:
        # One pass over the distinct (person, dimension values, flags) rows of the slice.
        columns = ["person_id", "has_grant", "flex3_month", "used_flexibly"] + [
            _PERSON_DIMS.get(by, by) for by in dims if by is not None
        ]
        sets: dict = defaultdict(lambda: (set(), set(), set()))
        for row in facts.values_list(*columns).distinct().order_by().iterator(chunk_size=20000):
            record = dict(zip(columns, row, strict=True))
            for by in dims:
                key = None if by is None else record[_PERSON_DIMS.get(by, by)]
                granted, flex3, flexible = sets[(by, key)]
                if record["has_grant"]:
                    granted.add(record["person_id"])
                if record["flex3_month"]:
                    flex3.add(record["person_id"])
                if record["used_flexibly"]:
                    flexible.add(record["person_id"])
        for (by, key), (granted, flex3, flexible) in sets.items():
            m = results[by][key]
            m.persons, m.flex3_persons, m.flexible_persons = len(granted), len(flex3), len(flexible)
    counts = {
        "persons": Count("person_id", distinct=True, filter=Q(has_grant=True)),
        "flex3": Count("person_id", distinct=True, filter=Q(flex3_month=True)),
        "flexible": Count("person_id", distinct=True, filter=Q(used_flexibly=True)),
    }
    for by in bys:
        if by not in TIME_DIMENSIONS:
            continue
        if by == "month":
            # A person has one PersonMonth row per month, so the roll-up's sums are exact.
            monthly = _filter_facts(MonthlyRollup.objects.all(), s)
            for row in _grouped(
                monthly,
                ["month"],
                {"p": Sum("persons"), "f3": Sum("flex3_persons"), "fl": Sum("flexible_persons")},
            ):
                m = results[by][row["month"]]
                m.persons, m.flex3_persons, m.flexible_persons = row["p"], row["f3"], row["fl"]
            continue
        fields = _group_fields(by)
        for row in _grouped(_time_annotations(facts), fields, counts):
            m = results[by][_key(row, fields)]
            m.persons, m.flex3_persons, m.flexible_persons = (
                row["persons"],
                row["flex3"],
                row["flexible"],
            )


def measures(s: Slice) -> Measures:
    """All measures of one slice."""
    return measures_by(s).get(None, Measures())


def rejections_table(*, year: int) -> list[dict]:
    """The seed report's table: per district {district, decisions, rejected_or_partly, share},
    districts sorted by name (Swedish alphabet: å, ä, ö after z)."""
    from folja.people.models import District

    # Decisions only: the report needs none of the time measures.
    rows: dict[int, Measures] = defaultdict(Measures)
    if connection.vendor == "postgresql":
        results: dict = {"district": rows}
        _decisions_pg(Slice.year(year), ["district"], results)
    for d in _decisions(Slice.year(year)) if connection.vendor != "postgresql" else []:
        m = rows[d["district_id"]]
        m.decisions += 1
        m.rejected_or_partly += d["outcome"] in (Outcome.REJECTED, Outcome.PARTLY_REJECTED)
    names = dict(District.objects.filter(id__in=[k for k in rows if k]).values_list("id", "name"))
    table = [
        {
            "district": names[k],
            "decisions": m.decisions,
            "rejected_or_partly": m.rejected_or_partly,
            "share": m.rejection_share,
        }
        for k, m in rows.items()
        if k is not None and m.decisions
    ]
    return sorted(table, key=lambda r: swedish_key(r["district"]))


_SV = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y", "æ": "|", "ø": "}"})


def swedish_key(text: str) -> str:
    return text.lower().translate(_SV)


def district_names(ids: Iterable[int | None]) -> dict[int, str]:
    from folja.people.models import District

    return dict(District.objects.filter(id__in=[i for i in ids if i]).values_list("id", "name"))


def provider_names(ids: Iterable[int | None]) -> dict[int, str]:
    from folja.providers.models import Provider

    return dict(Provider.objects.filter(id__in=[i for i in ids if i]).values_list("id", "name"))


def with_district(s: Slice, district_id: int | None) -> Slice:
    return replace(s, district_id=district_id)
