"""Does the application show and store what `folja calc` computes? The check behind the tests
and `bench/check_ledger.py`, for any person and for the follow-up's district totals.

For a person: `folja calc` on the person's export (`folja scenario`) against every stored
session result, the periods the ledger stored, the person page (balance and periods) and Mina
sidor (balance). For the follow-up: each district's monthly granted and executed minutes in the
roll-up against the sum over its persons of the engine's. Each returns the differences found,
as lines a person can read; an empty list means the figures agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from folja.accounts.models import Role, User
from folja.delivery.models import Session
from folja.followup.models import PersonMonth
from folja.ledger.scenario import person_scenario
from folja.people.models import Person
from folja.rules.engine import FLAGS as ENGINE_FLAGS
from folja.rules.model import DecisionGrant
from folja.rules.money import format_sek
from folja.rules.periods import granted_minutes_by_month, month_start
from folja.rules.scenario import calculate

# What a session the engine never sees (not yet reported, no order, a duplicate) stores.
NOT_GIVEN_TO_THE_ENGINE = {
    "period_start": None,
    "charged_minutes": 0,
    "payable_minutes": 0,
    "band_minutes": {},
    "payment_sek": "0.00",
    "flags": [],
}


def stored_session(session: Session) -> dict[str, Any]:
    """What the application stored for a session, in `folja calc`'s output terms; flags set
    from database context (late_report, no_order, duplicate) are not the engine's."""
    return {
        "period_start": None if session.period_start is None else session.period_start.isoformat(),
        "charged_minutes": session.charged_minutes,
        "payable_minutes": session.payable_minutes,
        "band_minutes": dict(session.band_minutes or {}),
        "payment_sek": format_sek(session.payment_sek),
        "flags": [f for f in (session.flags or []) if f in ENGINE_FLAGS],
    }


def _reader(person: Person, role: str) -> User:
    # An unsaved user of the role, only for scoping the page selectors to this person.
    if role == Role.PERSON:
        return User(role=role, person=person, is_active=True)
    return User(role=role, district_id=person.district_id, is_active=True)


def balance_json(balance) -> dict[str, Any] | None:
    if balance is None:
        return None
    return {
        "date": balance.on.isoformat(),
        "period_start": balance.period_start.isoformat(),
        "period_end": balance.period_end.isoformat(),
        "remaining_minutes": balance.remaining_minutes,
        "allowance_left_sek": format_sek(balance.allowance_left_sek),
    }


def _period_json(p) -> dict[str, Any]:
    return {
        "end": p.end.isoformat(),
        "model": p.model,
        "granted_minutes": p.granted_minutes,
        "used_minutes": p.used_minutes,
        "remaining_minutes": p.remaining_minutes,
        "allowance_sek": format_sek(p.allowance_sek),
        "expenses_sek": format_sek(p.expenses_sek),
        "allowance_left_sek": format_sek(p.allowance_sek - p.expenses_sek),
    }


def person_differences(person: Person, on: date) -> tuple[dict[str, Any], list[str]]:
    """`folja calc` on the person's export, and every way the application differs from it."""
    from folja.cases.selectors import person_file  # pages sit above the ledger
    from folja.delivery.selectors import person_periods
    from folja.portal.selectors import hours_overview

    result = calculate(person_scenario(person=person, on=on))
    differences: list[str] = []
    calc_sessions = {s["id"]: s for s in result["sessions"]}
    for session in Session.objects.filter(person=person).order_by("start", "id"):
        calc = calc_sessions.pop(session.pk, None)
        expected = dict(NOT_GIVEN_TO_THE_ENGINE)
        if calc is not None:
            expected = {k: v for k, v in calc.items() if k != "id"}
        kept = stored_session(session)
        if kept != expected:
            differences.append(f"session {session.pk}: stored {kept}, calc {expected}")
    differences += [f"session {sid}: in calc, not in the application" for sid in calc_sessions]

    calc_periods = {
        p["start"]: {k: v for k, v in p.items() if k != "start"} for p in result["periods"]
    }
    shown_all = {p.start.isoformat(): _period_json(p) for p in person_periods(person=person, on=on)}
    if shown_all != calc_periods:
        differences.append(f"stored periods {shown_all} differ from calc {calc_periods}")
    page = person_file(user=_reader(person, Role.CASEWORKER), person=person, today=on)
    for shown in page.periods:
        if _period_json(shown) != calc_periods.get(shown.start.isoformat()):
            differences.append(f"person page period {shown.start} differs from calc")
    mina_sidor = hours_overview(user=_reader(person, Role.PERSON), person=person, on=on).balance
    for where, balance in (("person page", page.balance), ("Mina sidor", mina_sidor)):
        if balance_json(balance) != result["balance_on"]:
            differences.append(
                f"{where} balance {balance_json(balance)}, calc {result['balance_on']}"
            )
    return result, differences


def engine_months(person: Person, result: dict[str, Any], scenario: dict[str, Any]):
    """Granted minutes per month (rule 2 over the export's decisions) and executed minutes per
    month (the engine's charged minutes of executed sessions, in the month each starts)."""
    grants = [
        DecisionGrant(
            id=str(d["id"]),
            valid_from=date.fromisoformat(d["valid_from"]),
            valid_to=date.fromisoformat(d["valid_to"]),
            hours_per_month=Decimal(d["hours_per_month"]),
            model=d["model"],
            double_staffing=d["double_staffing"],
        )
        for d in scenario["decisions"]
    ]
    charged = {s["id"]: s["charged_minutes"] for s in result["sessions"]}
    executed: dict[date, int] = defaultdict(int)
    for s in scenario["sessions"]:
        if s["status"] == "executed":
            executed[month_start(date.fromisoformat(s["start"][:10]))] += charged[s["id"]]
    return granted_minutes_by_month(grants), executed


def district_month_differences(persons: Iterable[Person], on: date) -> tuple[int, list[str]]:
    """Each district's monthly granted and executed minutes in the roll-up against the sum over
    its persons of the engine's; returns (district-months compared, differences)."""
    engine: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for person in persons:
        scenario = person_scenario(person=person, on=on)
        granted, executed = engine_months(person, calculate(scenario), scenario)
        for month, minutes in granted.items():
            engine[(person.district_id, month)][0] += minutes
        for month, minutes in executed.items():
            engine[(person.district_id, month)][1] += minutes
    followup: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for row in PersonMonth.objects.values("district_id", "month").annotate(
        granted=Sum("granted_minutes"), executed=Sum("executed_minutes")
    ):
        followup[(row["district_id"], row["month"])] = [row["granted"], row["executed"]]
    keys = sorted(set(engine) | set(followup), key=lambda k: (k[1], k[0]))
    differences = [
        f"district {k[0]} {k[1]:%Y-%m}: engine {engine.get(k, [0, 0])}, follow-up "
        f"{followup.get(k, [0, 0])} (granted, executed minutes)"
        for k in keys
        if engine.get(k, [0, 0]) != followup.get(k, [0, 0])
    ]
    return len(keys), differences
