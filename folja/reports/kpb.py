"""Cost per person (KPB, kostnad per brukare): a year's paid LOV amounts and expense money per
person and per district, in the shape the municipalities' cost comparisons use (RKA/SKR's KPB:
de-identified individual rows with sex, age group, service and regi, cost and volume, summed
per unit).

Paid LOV amounts are the lines of the closed payment runs of the year's months (a closed run is
the payment file sent to the provider; folja.payments), adjustments included, lines kept out of
the payment excluded: the sum over the file is the sum of the closed runs' totals. Hours are
the lines' payable minutes. Expense money is what the ledger's expense split
(folja.ledger.expenses) lets a claim of the year draw on the pooled allowance or on an approved
costly activity; what waits for a caseworker and what was rejected is not money spent.

Beside what was paid, each row has what the year's sessions are owed by the ledger
(folja.ledger.payable.session_due: the stored verification results, sessions kept out of the
payment at 0) whether or not a closed run has paid it yet, "upparbetat": the year's cost on an
accrual basis, and the one figure there is before any payment run is closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from folja.ledger.expenses import CLAIM_READ_FIELDS
from folja.ledger.payable import session_due
from folja.reports.files import Progress
from folja.reports.kommunkoder import municipality_code
from folja.rules.stats import age_band, hours, quartiles

ZERO = Decimal("0.00")

PERSON_HEADER = (
    "ar",
    "kommunkod",
    "stadsdel_kod",
    "stadsdel",
    "brukare",
    "kon",
    "aldersgrupp",
    "insats",
    "timmar",
    "lov_kommunal_regi_kr",
    "lov_enskild_regi_kr",
    "lov_kr",
    "omkostnader_kr",
    "kostnad_kr",
    "kostnad_per_timme_kr",
    "upparbetade_timmar",
    "lov_upparbetat_kr",
)
DISTRICT_HEADER = (
    "ar",
    "kommunkod",
    "stadsdel_kod",
    "stadsdel",
    "brukare",
    "timmar",
    "lov_kr",
    "omkostnader_kr",
    "kostnad_kr",
    "kostnad_per_brukare_kr",
    "median_kostnad_per_brukare_kr",
    "kostnad_per_timme_kr",
    "upparbetade_timmar",
    "lov_upparbetat_kr",
)


@dataclass
class PersonCost:
    person_id: int
    acts: set[str] = field(default_factory=set)
    minutes: int = 0
    lov_municipal: Decimal = ZERO
    lov_private: Decimal = ZERO
    expenses: Decimal = ZERO
    accrued: Decimal = ZERO  # what the year's sessions are owed (session_due), paid or not
    accrued_minutes: int = 0

    @property
    def lov(self) -> Decimal:
        return self.lov_municipal + self.lov_private

    @property
    def total(self) -> Decimal:
        return self.lov + self.expenses


def _per_hour(amount: Decimal, minutes: int) -> Decimal | None:
    if not minutes:
        return None
    return (amount * 60 / minutes).quantize(Decimal("0.01"))


def paid_lines(year: int):
    """The paid payment lines of the year: closed runs of its months, lines not excluded."""
    from folja.payments.models import PaymentLine, RunStatus

    return PaymentLine.objects.filter(
        run__status=RunStatus.CLOSED, run__month__year=year, excluded=False, person__isnull=False
    )


def person_costs(year: int, *, progress: Progress | None = None) -> dict[int, PersonCost]:
    costs: dict[int, PersonCost] = {}
    rows = (
        paid_lines(year)
        .values("person_id", "legal_basis", "regi")
        .annotate(amount=Sum("amount_sek"), minutes=Sum("payable_minutes"))
        .order_by()
    )
    for row in rows:
        cost = costs.setdefault(row["person_id"], PersonCost(row["person_id"]))
        act = (row["legal_basis"] or "").split(" ")[0]
        if act:
            cost.acts.add(act)
        cost.minutes += row["minutes"] or 0
        if row["regi"] == "municipal":
            cost.lov_municipal += row["amount"] or ZERO
        else:
            cost.lov_private += row["amount"] or ZERO
    _accrued(year, costs)
    _expense_money(year, costs, progress)
    return costs


@dataclass(frozen=True)
class _Charged:
    """Sessions that charged minutes as `session_due` reads them: summed per person, service
    and reason codes, since what a session is owed is its stored payment and payable minutes
    unless its reason codes keep it out, so the sum of the group's dues is the due of the
    group's sums. The times are read only when a session charged nothing (`charged_minutes or
    duration`), and those sessions are read one by one (`_accrued`)."""

    flags: list
    charged_minutes: int
    payable_minutes: int
    payment_sek: Decimal
    band_minutes: None = None
    start: None = None
    end: None = None


def _accrued(year: int, costs: dict[int, PersonCost]) -> None:
    """What the sessions that began in the year are owed by the ledger, per person."""
    from folja.delivery.models import Session, SessionStatus

    sessions = Session.objects.filter(start__year=year).exclude(status=SessionStatus.BOOKED)
    act = "order__decision__legal_basis__act"
    charged = (
        sessions.filter(charged_minutes__gt=0)
        .values("person_id", act, "flags")
        .annotate(
            charged=Sum("charged_minutes"), payable=Sum("payable_minutes"), paid=Sum("payment_sek")
        )
        .order_by()
    )
    rest = sessions.filter(charged_minutes__lte=0).values_list(
        "person_id",
        act,
        "flags",
        "charged_minutes",
        "payable_minutes",
        "payment_sek",
        "start",
        "end",
        "band_minutes",
        named=True,
    )

    def add(person_id: int, act_name: str | None, due) -> None:
        if not due.amount and not due.payable_minutes:
            return
        cost = costs.setdefault(person_id, PersonCost(person_id))
        cost.accrued += due.amount
        cost.accrued_minutes += due.payable_minutes
        if act_name:
            cost.acts.add(act_name)

    for g in charged.iterator(chunk_size=10000):
        due = session_due(_Charged(g["flags"], g["charged"], g["payable"], g["paid"]))
        add(g["person_id"], g[act], due)
    for row in rest.iterator(chunk_size=10000):
        add(row.person_id, getattr(row, act), session_due(row))


def _expense_money(year: int, costs: dict[int, PersonCost], progress: Progress | None) -> None:
    """The expense money each person's claims of the year draw (pool and costly-activity
    parts of the ledger's split). The split of a claim depends on the person's earlier claims
    in its period, and a period can begin the year before, so each person's claims are split
    whole; the approved activities are read once for everyone, and the engine's periods only
    for a person with a claim linked to one (as split_person_claims does)."""
    from folja.delivery.models import ClaimStatus, ExpenseClaim
    from folja.ledger.expenses import (
        allowance_periods,
        approved_activities,
        claim_row,
        split_claims,
    )

    claimants = set(
        ExpenseClaim.objects.filter(date__year=year).values_list("person_id", flat=True)
    )
    claims = defaultdict(list)
    for claim in (
        ExpenseClaim.objects.filter(person_id__in=claimants)
        .values_list(*CLAIM_READ_FIELDS, named=True)
        .iterator(chunk_size=10000)
    ):
        claims[claim.person_id].append(claim_row(claim))
    activities = approved_activities(
        r.activity_id
        for rows in claims.values()
        for r in rows
        if r.activity_id and r.status != ClaimStatus.REJECTED
    )
    total = len(claims)
    for done, (person_id, rows) in enumerate(claims.items(), start=1):
        mine = {
            r.activity_id: activities[r.activity_id] for r in rows if r.activity_id in activities
        }
        periods = allowance_periods(person_id) if mine else ()
        money = sum(
            (
                s.pool + s.activity
                for s in split_claims(rows, periods=periods, activities=mine)
                if s.date.year == year
            ),
            ZERO,
        )
        if money:
            costs.setdefault(person_id, PersonCost(person_id)).expenses += money
        if progress is not None and (done % 200 == 0 or done == total):
            progress(done, total)


@dataclass(frozen=True)
class KpbReport:
    year: int
    persons: list[tuple]  # rows under PERSON_HEADER
    districts: list[tuple]  # rows under DISTRICT_HEADER


def kpb_report(year: int, *, progress: Progress | None = None) -> KpbReport:
    from folja.people.models import Person

    costs = person_costs(year, progress=progress)
    year_end = date(year, 12, 31)
    persons = (
        Person.objects.filter(pk__in=list(costs))
        .select_related("district")
        .only(
            "pk",
            "pseudonym",
            "sex",
            "birth_date",
            "district__code",
            "district__name",
            "district__municipality",
        )
    )
    person_rows = []
    by_district: dict[tuple, list[PersonCost]] = defaultdict(list)
    for person in persons.iterator(chunk_size=2000):
        cost = costs[person.pk]
        district = person.district
        key = (municipality_code(district.municipality) or "", district.code, district.name)
        by_district[key].append(cost)
        person_rows.append(
            (
                year,
                *key,
                person.pseudonym,
                person.sex,
                age_band(person.birth_date, year_end),
                "+".join(sorted(cost.acts)),
                hours(cost.minutes, 2),
                cost.lov_municipal,
                cost.lov_private,
                cost.lov,
                cost.expenses,
                cost.total,
                _per_hour(cost.lov, cost.minutes),
                hours(cost.accrued_minutes, 2),
                cost.accrued,
            )
        )
    person_rows.sort(key=lambda r: (r[1], r[2], r[4]))
    district_rows = []
    for key in sorted(by_district):
        group = by_district[key]
        minutes = sum(c.minutes for c in group)
        lov = sum((c.lov for c in group), ZERO)
        expenses = sum((c.expenses for c in group), ZERO)
        total = lov + expenses
        middle = quartiles([c.total for c in group], places=2)
        district_rows.append(
            (
                year,
                *key,
                len(group),
                hours(minutes, 2),
                lov,
                expenses,
                total,
                (total / len(group)).quantize(Decimal("0.01")),
                middle["median"] if middle else None,
                _per_hour(lov, minutes),
                hours(sum(c.accrued_minutes for c in group), 2),
                sum((c.accrued for c in group), ZERO),
            )
        )
    return KpbReport(year=year, persons=person_rows, districts=district_rows)


# --- the validator ------------------------------------------------------------------------


def validate_kpb(report: KpbReport) -> list:
    """Every way the report breaks its shape: field counts, code lists (kommunkod, sex, age
    group, service), amounts that do not add up (LOV by regi, LOV + expenses, each district's
    rows against its persons), one row per person."""
    from folja.reports.files import Problem
    from folja.reports.kommunkoder import MUNICIPALITY_CODES
    from folja.rules.stats import AGE_BAND_KEYS

    problems: list[Problem] = []
    seen: set[str] = set()
    sums: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO, ZERO])
    for row_number, row in enumerate(report.persons, start=2):
        if len(row) != len(PERSON_HEADER):
            problems.append(Problem(row_number, "record", "field_count", "fel antal fält"))
            continue
        value = dict(zip(PERSON_HEADER, row, strict=True))
        if value["ar"] != report.year:
            problems.append(Problem(row_number, "ar", "wrong_year", f"ska vara {report.year}"))
        if value["kommunkod"] not in MUNICIPALITY_CODES:
            problems.append(Problem(row_number, "kommunkod", "code_list", "okänd kommunkod"))
        if value["kon"] not in ("female", "male"):
            problems.append(Problem(row_number, "kon", "code_list", "female eller male"))
        if value["aldersgrupp"] not in AGE_BAND_KEYS:
            problems.append(Problem(row_number, "aldersgrupp", "code_list", "okänd åldersgrupp"))
        if value["insats"] not in ("", "LSS", "SoL", "LSS+SoL"):
            problems.append(Problem(row_number, "insats", "code_list", "LSS, SoL eller båda"))
        if value["brukare"] in seen:
            problems.append(Problem(row_number, "brukare", "duplicate", "brukaren finns redan"))
        seen.add(value["brukare"])
        if value["lov_kr"] != value["lov_kommunal_regi_kr"] + value["lov_enskild_regi_kr"]:
            problems.append(Problem(row_number, "lov_kr", "sum", "LOV per regi går inte ihop"))
        if value["kostnad_kr"] != value["lov_kr"] + value["omkostnader_kr"]:
            problems.append(Problem(row_number, "kostnad_kr", "sum", "kostnaden går inte ihop"))
        if value["omkostnader_kr"] < 0:
            problems.append(Problem(row_number, "omkostnader_kr", "negative", "negativt belopp"))
        group = sums[value["stadsdel_kod"]]
        group[0] += 1
        group[1] += value["lov_kr"]
        group[2] += value["omkostnader_kr"]
        group[3] += value["lov_upparbetat_kr"]
    for row_number, row in enumerate(report.districts, start=2):
        value = dict(zip(DISTRICT_HEADER, row, strict=True))
        expected = tuple(sums.pop(value["stadsdel_kod"], (0, ZERO, ZERO, ZERO)))
        found = (
            value["brukare"],
            value["lov_kr"],
            value["omkostnader_kr"],
            value["lov_upparbetat_kr"],
        )
        if found != expected:
            problems.append(
                Problem(row_number, "stadsdel_kod", "sum", "stadsdelens rad går inte ihop")
            )
    for code in sums:
        problems.append(Problem(0, "stadsdel_kod", "missing", f"stadsdel {code} saknas"))
    return problems
