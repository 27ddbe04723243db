"""A pilot of the free model (fri ledsagning, the Laholm model) in the seeded city, run the
way the city would run one: the analyst draws a stratified random pilot group with matched
controls through the pilot service, and at the pilot's start the caseworkers replace each
pilot member's decision by one under the free model. What the members use from then on is
generated again under that model.

It runs after every person is written and verified, since the draw reads the city's records
(`folja.simulation.services.pilot_create`, the same draw `folja pilot draw` and the pilot
page make). Only the pilot members' rows from the pilot's start change; its own random
generator keeps every other figure of the run as it was.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max

from folja.cases.models import Application, Assessment, Decision, LifeAreaRating
from folja.core.seed.cases import _application
from folja.core.seed.config import SEASONALITY
from folja.core.seed.context import Ctx
from folja.core.seed.persons import PersonPlan
from folja.core.seed.sessions import _Illness, _order, _sessions
from folja.core.seed.writer import Row, write_all
from folja.delivery.models import ExpenseClaim, Session
from folja.guidelines.models import AllocationModel
from folja.ledger.decisions import grants_time
from folja.people.models import District, Person
from folja.providers.models import ImplementationPlan, Order
from folja.rules.periods import add_months, days_in_month, iter_months, month_end, month_start

# Where the city runs its pilot: districts without the demo accounts' persons (they stay on
# the guideline's model, so the portal pages keep showing a flex3 period about to lapse).
# Hässelby-Vällingby has the demo's most persons besides Enskede-Årsta-Vantör; the city adds
# Skärholmen, whose persons the seed documents count (FACTS.md, seed 002).
PILOT_DISTRICTS = {"demo": ("HV",), "city": ("HV", "SH"), "national": ("HV", "SH")}
# FACTS.md: Värmdö's pilot had 10 randomly chosen users, 5 under and 5 over 21.
PILOT_SIZE = 10
AGE_SPLIT = 21
MIN_BALANCED = 4
# FACTS.md: Jönköping decided a one-year trial. It started nine months before the seed's
# today, so the evaluation has nine months under the free model and nine before.
PILOT_MONTHS = 12
STARTED_MONTHS_AGO = 9
# The pilot group is drawn a month before the start, when the decisions are prepared.
DRAWN_MONTHS_BEFORE = 1
# Share of the time illness put off that is made up in the following months under the free
# model (illustrative; flex3 makes up FLEX_CATCH_UP of it, within its period only).
FREE_CATCH_UP = 0.25
PILOT_ORDER = [
    Application,
    Assessment,
    LifeAreaRating,
    Decision,
    Order,
    ImplementationPlan,
    Session,
    ExpenseClaim,
]


def pilot_dates(today: date) -> tuple[date, date, date]:
    """(starts_on, ends_on, drawn_on) of the seeded pilot for a history ending on `today`."""
    starts = add_months(month_start(today), -STARTED_MONTHS_AGO)
    ends = add_months(starts, PILOT_MONTHS) - timedelta(days=1)
    return starts, ends, add_months(starts, -DRAWN_MONTHS_BEFORE)


def pilot_district_ids(ctx: Ctx) -> set[int]:
    codes = set(PILOT_DISTRICTS.get(ctx.scale.name, ()))
    return {d["id"] for d in ctx.districts if d["code"] in codes}


def _size(district: District, on: date) -> int:
    """The largest group up to PILOT_SIZE the draw can balance by age: it takes half from each
    stratum, and a stratum can give at most half its candidates (each needs a control). Where
    that is fewer than MIN_BALANCED (few children in a small district), the group is as large
    as the strata allow together, and the draw warns that it is not balanced."""
    from folja.simulation.selectors import current_decisions

    ids = set(current_decisions(on=on, district=district).values_list("person_id", flat=True))
    births = Person._base_manager.filter(pk__in=ids).values_list("birth_date", flat=True)
    over = sum(1 for b in births if (on - b).days / 365.25 >= AGE_SPLIT)
    room = ((len(ids) - over) // 2, over // 2)
    balanced = 2 * min(room)
    return min(PILOT_SIZE, balanced if balanced >= MIN_BALANCED else sum(room))


def run_pilots(ctx: Ctx, plans: Mapping[int, PersonPlan]) -> list[int]:
    """Draw the pilot in each pilot district and switch its members to the free model.
    Returns the switched persons' ids (their sessions are verified again by the caller's
    ledger call)."""
    from folja.simulation.models import MemberRole
    from folja.simulation.selectors import pilot_status
    from folja.simulation.services import pilot_create, pilot_set_status

    starts, ends, drawn = pilot_dates(ctx.today)
    if add_months(drawn, -12) < ctx.start:
        return []  # too short a history to draw on a year before the pilot
    model_from = ctx.guideline(starts).model
    if model_from == AllocationModel.FREE:
        return []
    # Its own generator: the members' new rows must not shift the run's main stream.
    pctx = replace(ctx, rng=random.Random(f"{ctx.seed}-pilot"))
    switched: list[int] = []
    for district in District.objects.filter(pk__in=pilot_district_ids(ctx)).order_by("code"):
        size = _size(district, drawn)
        if size < 2:
            continue
        group = pilot_create(
            user=None,
            district=district,
            name=f"Försök fri ledsagning {district.name} {starts.year}",
            size=size,
            starts_on=starts,
            ends_on=ends,
            seed=ctx.seed,
            drawn_on=drawn,
            age_split=AGE_SPLIT,
            model_from=model_from,
        )
        status = pilot_status(group, today=ctx.today)
        if status != group.status:
            pilot_set_status(user=None, group=group, status=status)
        members = group.members.filter(role=MemberRole.PILOT).order_by("person_id")
        for person_id in members.values_list("person_id", flat=True):
            if _switch(pctx, plans[person_id], starts=starts, ends=ends):
                switched.append(person_id)
    write_all(ctx.tables, PILOT_ORDER, created_at=ctx.created_at)
    ctx.tables.clear()
    if switched:
        _set_last_entry(switched, ctx.today)
    return switched


def _switch(ctx: Ctx, plan: PersonPlan, *, starts: date, ends: date) -> bool:
    """Replace the member's decision in force at the start by one under the free model (the
    old one ends the day before: a change of model starts a new chain, CALC.md), decide the
    renewals within the pilot under the free model, and generate the member's sessions from
    the start again. False when the member has no decision left at the start (their service
    ended before it): the evaluation names them."""
    pid = plan.row["id"]
    decisions = [
        d
        for d in Decision._base_manager.filter(person_id=pid).order_by("valid_from", "id")
        if grants_time(d) and d.valid_to >= starts and d.valid_from <= ends
    ]
    if not decisions:
        return False
    gone = Session._base_manager.filter(person_id=pid, start__gte=starts)
    ExpenseClaim._base_manager.filter(session__in=gone).delete()
    gone.delete()
    orders = {o.decision_id: o for o in Order._base_manager.filter(person_id=pid)}
    under_free: list[tuple[Row, Row]] = []
    for d in decisions:
        order = orders.get(d.pk)
        if d.valid_from < starts:
            old_to = d.valid_to
            Decision._base_manager.filter(pk=d.pk).update(valid_to=starts - timedelta(days=1))
            if order is not None:
                Order._base_manager.filter(pk=order.pk).update(
                    status="ended", ended_on=starts - timedelta(days=1)
                )
            provider = ctx.provider_by_id().get(order.provider_id if order else 0, plan.provider)
            row = _free_decision(ctx, plan, d, starts=starts, valid_to=old_to)
            under_free.append((row, _order(ctx, plan, row, provider)))
        else:
            # A renewal starting within the pilot is decided under the free model too.
            Decision._base_manager.filter(pk=d.pk).update(model=AllocationModel.FREE)
            row = {
                "valid_from": d.valid_from,
                "valid_to": d.valid_to,
                "hours_per_month": d.hours_per_month,
                "double_staffing": d.double_staffing,
            }
            if order is None:
                continue
            under_free.append((row, {"id": order.pk, "provider_id": order.provider_id}))
    _free_sessions(ctx, plan, under_free, starts=starts)
    return True


def _free_decision(ctx: Ctx, plan: PersonPlan, old: Decision, *, starts: date, valid_to: date):
    """The caseworker's new decision under the free model from the pilot's start, with the
    same planning figure as the decision it replaces, for the rest of that decision's term."""
    rng = ctx.rng
    decided_on = starts - timedelta(days=rng.randint(3, 14))
    hours = old.hours_per_month
    application = _application(ctx, plan, decided_on, hours, old.caseworker_id)
    return ctx.tables.add(
        Decision,
        {
            "person_id": plan.row["id"],
            "application_id": application,
            "district_id": old.district_id,
            "caseworker_id": old.caseworker_id,
            "decided_on": decided_on,
            "outcome": "granted",
            "legal_basis_id": ctx.legal_basis(plan.act, decided_on).pk,
            "requested_hours_per_month": hours,
            "hours_per_month": hours,
            "model": AllocationModel.FREE,
            "guideline_version_id": ctx.guideline(starts).pk,
            "double_staffing": old.double_staffing,
            "superseded_by_id": None,
            "valid_from": starts,
            "valid_to": valid_to,
            "reasons": (
                "Du är med i stadens försök med fri ledsagning. Under försöket är timmarna "
                "en planering: du kan använda den tid du behöver."
            ),
            "rejected_parts": [],
            "deviation_reason": "",
            "notified_on": decided_on + timedelta(days=rng.randint(1, 6)),
            "external_ref": "",
            "created_at": ctx.created_at,
        },
    )


def _free_sessions(
    ctx: Ctx, plan: PersonPlan, under_free: list[tuple[Row, Row]], *, starts: date
) -> None:
    """The member's sessions from the start, from the same demand process as the seed's
    (propensity, illness, seasonality), but nothing caps it and nothing lapses: a month's use
    may exceed its planning figure, and what illness put off is partly made up in the months
    after, however long ago (under flex3 only within the period). So the members use somewhat
    more than under flex3: illness is the main reason hours go unused (seed 004), and
    Laholm's users' monthly need varied widely (FACTS.md)."""
    rng = ctx.rng
    horizon = ctx.today + timedelta(days=21)
    illness = _Illness()
    put_off = 0.0
    for decision, order in under_free:
        provider = ctx.provider_by_id().get(order["provider_id"], plan.provider)
        escort = rng.choice(provider.escort_ids) if provider.escort_ids else None
        first = max(decision["valid_from"], starts)
        last = min(decision["valid_to"], horizon)
        if first > last:
            continue
        for m in iter_months(first, last):
            lo, hi = max(first, m), min(last, month_end(m))
            dim = days_in_month(m.year, m.month)
            hours = float(decision["hours_per_month"] or Decimal(0))
            grant = hours * 60 * ((hi - lo).days + 1) / dim
            demand = (
                grant
                * plan.propensity
                * SEASONALITY[m.month - 1]
                * illness.factor(rng, False)
                * rng.lognormvariate(0, 0.2)
            )
            made_up = FREE_CATCH_UP * put_off
            put_off += max(grant - demand, 0.0) - made_up
            _sessions(ctx, plan, order, escort, decision, lo, hi, demand + made_up)


def _set_last_entry(person_ids: list[int], today: date) -> None:
    """The culling clock starts at the last entry: the new decisions and sessions move it."""
    last: dict[int, date] = {}
    decided = Decision._base_manager.filter(person_id__in=person_ids).values("person_id")
    for pid, day in decided.annotate(m=Max("decided_on")).values_list("person_id", "m"):
        last[pid] = day
    started = Session._base_manager.filter(person_id__in=person_ids, start__date__lte=today)
    for pid, at in (
        started.values("person_id").annotate(m=Max("start")).values_list("person_id", "m")
    ):
        last[pid] = max(last.get(pid, at.date()), at.date())
    for pid, day in last.items():
        Person._base_manager.filter(pk=pid).update(last_entry_on=day)
