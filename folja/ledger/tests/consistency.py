"""The figures every reader shows, each held against `folja calc` on `folja scenario`.

Used by the stateful test (test_ledger_state_machine.py) after every write: for one person,
the engine's answer is `calculate(person_scenario(...))`, and each check below reads the
application the way its page, file or report does and compares. Nothing here computes a
figure of its own beyond summing the engine's per-person answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from folja.api.serialize import session_dict
from folja.cases.dashboard import manager_dashboard
from folja.cases.selectors import person_file
from folja.delivery.models import Session
from folja.followup.models import PersonMonth
from folja.followup.opendata import CITY, SUPPRESSED, open_data_rows
from folja.followup.services import rollup_verify
from folja.ledger.consistency import (
    NOT_GIVEN_TO_THE_ENGINE,
    balance_json,
    engine_months,
    stored_session,
)
from folja.ledger.payable import EXCLUDING, session_due
from folja.ledger.scenario import person_scenario
from folja.payments.models import LineKind, PaymentLine, PaymentRun, RunStatus
from folja.payments.services import payment_run_build
from folja.people.models import District, Person
from folja.portal.selectors import hours_overview
from folja.providers.selectors import session_rows
from folja.rules.engine import FLAGS as ENGINE_FLAGS
from folja.rules.money import format_sek
from folja.rules.periods import month_start
from folja.rules.scenario import calculate
from folja.rules.stats import hours

ZERO = Decimal("0.00")


def same(shown, calc, *what) -> None:
    """`shown` (what a reader shows) equals `calc` (what the engine says), or a message that
    names the reader and both values."""
    if shown != calc:
        raise AssertionError(f"{' '.join(map(str, what))}:\n  shown {shown!r}\n  calc  {calc!r}")


@dataclass
class PersonFigures:
    """`folja calc` on one person's `folja scenario`, and its monthly sums for follow-up."""

    person: Person
    result: dict
    sessions: dict[int, dict]
    granted: dict[date, int] = field(default_factory=dict)
    executed: dict[date, int] = field(default_factory=dict)


def engine_figures(person: Person, on: date) -> PersonFigures:
    scenario = person_scenario(person=person, on=on)
    result = calculate(scenario)
    sessions = {int(s["id"]): s for s in result["sessions"]}
    # Rule 2 over the export's decisions, and executed time as the follow-up counts it: the
    # engine's charged minutes of executed reports (an overlap or a report outside every
    # decision charges 0), in the month each starts — the ledger's own definition.
    granted, executed = engine_months(person, result, scenario)
    return PersonFigures(
        person=person,
        result=result,
        sessions=sessions,
        granted=granted,
        executed=dict(executed),
    )


# --- one person: stored results, the person page, Mina sidor ----------------------------------


def check_stored_sessions(figures: PersonFigures, sessions: Iterable[Session]) -> None:
    """Every session's stored verification result is the engine's (what payments read)."""
    left = dict(figures.sessions)
    for session in sessions:
        calc = left.pop(session.pk, None)
        expected = NOT_GIVEN_TO_THE_ENGINE if calc is None else calc
        expected = {k: v for k, v in expected.items() if k != "id"}
        same(stored_session(session), expected, "stored session", figures.person.pk, session.pk)
    assert left == {}, ("calc lists sessions the application does not have", list(left))


def check_person_page(figures: PersonFigures, *, caseworker, on: date) -> None:
    """The caseworker's person page: the balance and every period, as calc has them."""
    page = person_file(user=caseworker, person=figures.person, today=on)
    same(balance_json(page.balance), figures.result["balance_on"], "person page balance")
    shown = [
        {
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "model": p.model,
            "granted_minutes": p.granted_minutes,
            "used_minutes": p.used_minutes,
            "remaining_minutes": p.remaining_minutes,
            "allowance_sek": format_sek(p.allowance_sek),
            "expenses_sek": format_sek(p.expenses_sek),
        }
        for p in page.periods
    ]
    # The page lists the last six periods that have begun (cases.selectors.balance_and_periods).
    calc = [
        {k: v for k, v in p.items() if k != "allowance_left_sek"}
        for p in figures.result["periods"]
        if p["start"] <= on.isoformat()
    ][-6:]
    same(shown, calc, "person page periods", figures.person.pk)


def check_mina_sidor(figures: PersonFigures, *, user, on: date) -> None:
    """Mina sidor: the balance, and the money statement's "left" of the same period."""
    overview = hours_overview(user=user, person=figures.person, on=on)
    calc = figures.result["balance_on"]
    same(balance_json(overview.balance), calc, "Mina sidor balance", figures.person.pk)
    if calc is None:
        assert overview.money is None, ("Mina sidor money without a period", figures.person.pk)
        return
    money = overview.money
    assert (money.start.isoformat(), money.end.isoformat(), format_sek(money.left)) == (
        calc["period_start"],
        calc["period_end"],
        calc["allowance_left_sek"],
    ), ("Mina sidor money left", figures.person.pk)


# --- the provider's view, the API and the payment run -----------------------------------------


def expected_payable(session: Session, calc: dict | None) -> Decimal:
    """What calc says the provider is owed for `session`: the engine's payment, unless a reason
    code (from the database's context or from the engine) keeps the session out; then 0."""
    context = [f for f in session.flags if f not in ENGINE_FLAGS]
    engine = calc["flags"] if calc is not None else []
    if set(EXCLUDING) & {*context, *engine}:
        return ZERO
    return Decimal(calc["payment_sek"]) if calc is not None else ZERO


def check_provider_views(
    *, staff_by_provider: Mapping[int, object], expected: Mapping[int, Decimal]
) -> None:
    """The provider's session tables (`session_rows` → `due`) and the API (`payable_sek`)."""
    seen: set[int] = set()
    for provider_id, staff in staff_by_provider.items():
        rows = session_rows(
            Session.objects.visible_to(staff).select_related("person").order_by("start", "id")
        )
        for s in rows:
            assert s.provider_id == provider_id, ("provider sees another's session", s.pk)
            seen.add(s.pk)
            want = expected[s.pk]
            assert s.due.amount == want, ("provider view payable", s.pk, s.due.amount, want)
            api = session_dict(s)
            assert (api["payable_sek"], api["held_back"]) == (
                f"{want:.2f}",
                bool(set(EXCLUDING) & set(s.flags)),
            ), ("API payable", s.pk, api["payable_sek"], want)
    assert seen == set(expected), ("sessions no provider sees", sorted(set(expected) - seen))


def payment_keys(sessions: Iterable[Session]) -> dict[tuple[int, date], frozenset]:
    """Per provider and month, what a payment run of it depends on (to rebuild only those
    a write touched)."""
    keys: dict[tuple[int, date], set] = defaultdict(set)
    for s in sessions:
        keys[(s.provider_id, month_start(s.start.date()))].add(
            (s.pk, s.status, tuple(s.flags), s.charged_minutes, s.payable_minutes, s.payment_sek)
        )
    return {k: frozenset(v) for k, v in keys.items()}


def check_payment_runs(
    *,
    user,
    providers: Mapping[int, object],
    months: Iterable[tuple[int, date]],
    expected: Mapping[int, Decimal],
    today: date,
) -> None:
    """`payment_run_build` for each provider and month a write touched: each session line is
    its session's `session_due` and what calc says is owed, and every session owed something
    has its line. A closed month is never rebuilt: a change to it is an adjustment line in this
    month's run. Then, over the whole payment file, the lines booked for each session (its own
    and any adjustments) add up to what calc says it is owed."""
    closed = set(
        PaymentRun.objects.filter(status=RunStatus.CLOSED).values_list("provider_id", "month")
    )
    this_month = month_start(today)
    builds = {(p, this_month) if (p, m) in closed else (p, m) for p, m in months}
    for provider_id, month in sorted(builds):
        run = payment_run_build(user=user, provider=providers[provider_id], month=month)
        lines = list(run.lines.select_related("session"))
        by_session: dict[int, list] = defaultdict(list)
        for line in lines:
            same(line.regi, providers[provider_id].regi, "payment line regi", line.pk)
            if line.kind == LineKind.ADJUSTMENT:
                continue
            by_session[line.session_id].append(line)
            same(
                (line.amount_sek, session_due(line.session).amount),
                (expected[line.session_id],) * 2,
                "payment line (amount, session_due)",
                line.session_id,
            )
        same(
            {k: len(v) for k, v in by_session.items() if len(v) > 1}, {}, "lines per session", month
        )
        owed = {
            pk
            for pk in Session.objects.filter(
                provider_id=provider_id,
                start__date__gte=month,
                start__date__lt=_next_month(month),
            ).values_list("pk", flat=True)
            if expected[pk] > 0
        }
        same(sorted(owed - set(by_session)), [], "owed but not in the payment file", month)
        total = sum((x.amount_sek for x in lines if not x.excluded), ZERO)
        same(run.total_sek, total, "payment run total", provider_id, month)
    booked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for session_id, amount in PaymentLine.objects.filter(
        excluded=False, session__isnull=False
    ).values_list("session_id", "amount_sek"):
        booked[session_id] += amount
    differ = {pk: (booked[pk], want) for pk, want in expected.items() if booked[pk] != want}
    same(differ, {}, "booked in the payment file vs owed, per session")


def _next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


# --- follow-up: the roll-up, the dashboard, open data ------------------------------------------


def check_rollup(figures: Iterable[PersonFigures]) -> None:
    """`folja rollup verify` finds nothing, and each person's months are the engine's."""
    differences = rollup_verify()
    assert differences.count == 0, ("rollup verify", differences.missing[:3], differences.extra[:3])
    rows: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for r in PersonMonth.objects.values_list(
        "person_id", "month", "granted_minutes", "executed_minutes"
    ):
        rows[(r[0], r[1])][0] += int(r[2])
        rows[(r[0], r[1])][1] += int(r[3])
    engine: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for f in figures:
        for m, minutes in f.granted.items():
            engine[(f.person.pk, m)][0] += minutes
        for m, minutes in f.executed.items():
            engine[(f.person.pk, m)][1] += minutes
    keys = set(rows) | set(engine)
    differ = {k: (rows.get(k, [0, 0]), engine.get(k, [0, 0])) for k in keys}
    differ = {k: v for k, v in differ.items() if v[0] != v[1]}
    assert differ == {}, ("PersonMonth (granted, executed) vs engine", differ)


def district_months(figures: Iterable[PersonFigures]) -> dict[tuple[int | None, date], list[int]]:
    """Σ over persons of the engine's granted and executed minutes, per district and month
    (district None: the whole city)."""
    totals: dict[tuple[int | None, date], list[int]] = defaultdict(lambda: [0, 0])
    for f in figures:
        for district in (f.person.district_id, None):
            for m, minutes in f.granted.items():
                totals[(district, m)][0] += minutes
            for m, minutes in f.executed.items():
                totals[(district, m)][1] += minutes
    return totals


def check_dashboards(
    *, districts: Iterable[District], totals: Mapping[tuple[int | None, date], list[int]], on: date
) -> None:
    """The unit manager's dashboard: each month's granted and executed minutes."""
    for district in districts:
        dashboard = manager_dashboard(district=district, today=on)
        for row in dashboard.months:
            want = totals.get((district.pk, row.month), [0, 0])
            assert [row.granted_minutes, row.executed_minutes] == want, (
                "dashboard month",
                district.name,
                row.month,
                [row.granted_minutes, row.executed_minutes],
                want,
            )


def check_open_data(
    *, districts: Iterable[District], totals: Mapping[tuple[int | None, date], list[int]]
) -> int:
    """Open data: each district's and the city's granted and executed hours of a year, where
    not suppressed. Returns how many cells were compared (suppression may hide them all)."""
    names = {d.name: d.pk for d in districts}
    years = sorted({m.year for _, m in totals})
    compared = 0
    for row in open_data_rows(years=years):
        district = None if row["district"] == CITY else names[row["district"]]
        year_totals = [0, 0]
        for (d, m), (granted, executed) in totals.items():
            if d == district and m.year == row["year"]:
                year_totals[0] += granted
                year_totals[1] += executed
        for column, minutes in zip(("granted_hours", "executed_hours"), year_totals, strict=True):
            if row[column] == SUPPRESSED:
                continue
            assert row[column] == hours(minutes), (
                "open data",
                row["year"],
                row["district"],
                column,
                row[column],
                hours(minutes),
            )
            compared += 1
    return compared
