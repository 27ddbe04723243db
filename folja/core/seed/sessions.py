"""Orders and what was delivered: sessions from a demand process (illness, seasonality,
rigid or flexible periods), cancellations and expense claims."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from folja.core.seed import names
from folja.core.seed.config import ILLNESS_MONTHLY_PROB, SEASONALITY
from folja.core.seed.context import Ctx
from folja.core.seed.persons import PersonPlan, choose_provider
from folja.core.seed.writer import Row
from folja.delivery.models import ExpenseClaim, Session
from folja.providers.models import ImplementationPlan, Order
from folja.rules.periods import days_in_month, iter_months, month_end

DURATIONS = (90, 120, 120, 150, 180, 180, 210, 240, 300)
START_HOURS = (8, 9, 10, 10, 11, 12, 13, 13, 14, 15, 16, 17, 18, 19)
# Of the sessions a person would have used, some are cancelled late or missed: they are
# charged like executed time by the guideline, so they come out of the same budget.
LATE_CANCEL, NO_SHOW = 0.03, 0.02
# In-time cancellations and the provider's cancellations cost the person nothing.
IN_TIME_CANCEL, PROVIDER_CANCEL = 0.10, 0.03
# Share of months in which a provider reports a session beyond the plan (flagged if it exceeds
# what remains of the period).
OVER_REPORT = 0.04
# Under flex3, the share of time left over earlier in the period that gets used later: the
# executed share rose only slightly after 2018 (seed 002).
FLEX_CATCH_UP = 0.3
# Share of persons under flex3 who move time between the months of a period at all; the rest
# keep to each month's grant as under `monthly`. With the catch-up above, about half of the
# persons with a flex3 decision use it flexibly in a year (the follow-up's measure,
# folja.rules.followup.used_flexibly; seed 002), not the seven in ten all would.
FLEX_USERS = 0.68


class _Illness:
    """Illness episodes of one to three months in which little or nothing is used: the main
    reason hours lapse (seed 004)."""

    def __init__(self) -> None:
        self.left = 0

    def factor(self, rng, protect: bool) -> float:
        if self.left > 0:
            self.left -= 1
            return rng.uniform(0.0, 0.35)
        if not protect and rng.random() < ILLNESS_MONTHLY_PROB:
            self.left = rng.choice((0, 0, 1, 2))
            return rng.uniform(0.0, 0.35)
        return 1.0


def make_orders_and_sessions(ctx: Ctx, plan: PersonPlan) -> None:
    rng = ctx.rng
    horizon = ctx.today + timedelta(days=21)
    illness = _Illness()
    # Drawn from its own generator so the run's main stream (and every other figure the demo
    # data has) stays as it was.
    moves_time = random.Random(f"{ctx.seed}-flex-{plan.row['id']}").random() < FLEX_USERS
    granted = [d for d in plan.decisions if d["hours_per_month"] is not None]
    provider = plan.provider
    anchor: date | None = None
    previous: Row | None = None
    for decision in granted:
        if previous is None or decision["valid_from"] != previous["valid_to"] + timedelta(days=1):
            anchor = decision["valid_from"].replace(day=1)
        elif not plan.special and rng.random() < 0.05:
            provider = choose_provider(
                ctx, next(d for d in ctx.districts if d["id"] == plan.row["district_id"])
            )
        previous = decision
        order = _order(ctx, plan, decision, provider)
        escort = rng.choice(provider.escort_ids) if provider.escort_ids else None
        backlog, period_key = 0.0, None
        first = max(decision["valid_from"], ctx.start)
        last = min(decision["valid_to"], horizon)
        if first > last:
            continue
        for m in iter_months(first, last):
            lo, hi = max(first, m), min(last, month_end(m))
            dim = days_in_month(m.year, m.month)
            grant = float(decision["hours_per_month"]) * 60 * ((hi - lo).days + 1) / dim
            key = ((m.year - anchor.year) * 12 + m.month - anchor.month) // 3
            if decision["model"] != "flex3" or key != period_key:
                backlog, period_key = 0.0, key
            # The demo person is kept healthy in the current period so the portal shows time
            # used and time about to lapse.
            protect = plan.special is not None and m >= ctx.today.replace(day=1) - timedelta(
                days=62
            )
            demand = (
                grant
                * plan.propensity
                * SEASONALITY[m.month - 1]
                * illness.factor(rng, protect)
                * rng.lognormvariate(0, 0.2)
            )
            if decision["model"] == "flex3" and moves_time:
                # Unused time earlier in the period can still be used: some of it is.
                use = min(demand + FLEX_CATCH_UP * backlog, grant + backlog)
                backlog += grant - use
            else:
                use = min(demand, grant)
            if plan.special and m == ctx.today.replace(day=1):
                use = min(use, grant * 0.3)
            _sessions(ctx, plan, order, escort, decision, lo, hi, use)


def _order(ctx: Ctx, plan: PersonPlan, decision: Row, provider) -> Row:
    rng = ctx.rng
    sent = datetime.combine(decision["decided_on"] + timedelta(days=1), time(10, 0))
    if decision["valid_to"] < ctx.today:
        status = "ended"
    elif decision["valid_from"] > ctx.today and not plan.special:
        status = "sent"
    else:
        status = "accepted"
    language = plan.row["language"]
    order = ctx.tables.add(
        Order,
        {
            "decision_id": decision["id"],
            "person_id": plan.row["id"],
            "provider_id": provider.id,
            "status": status,
            "goals": "Att kunna delta i fritidsaktiviteter och träffa andra.",
            "activities": ", ".join(rng.sample(names.ACTIVITIES, 3)),
            "preferred_languages": [] if language == "svenska" else [language],
            "preferred_interests": rng.sample(names.INTERESTS, 2),
            "preferred_age_band": rng.choice(("", "", "18-29", "30-49", "50+")),
            "preferred_gender": rng.choice(("", "", "", "female", "male")),
            "physical_strength_needed": rng.random() < 0.15,
            "communication_needs": rng.choice(
                ("", "", "Tydligt och lugnt tal.", "Använder bildstöd.", "Tolk behövs.")
            ),
            "contact_rules": "Kontakt via sms dagen före. Ring vid förseningar.",
            "created_by_id": decision["caseworker_id"],
            "created_at": ctx.created_at,
            "sent_at": sent,
            "accepted_at": sent + timedelta(days=rng.randint(1, 3)) if status != "sent" else None,
            "ended_on": decision["valid_to"] if status == "ended" else None,
        },
    )
    if status == "accepted":
        ctx.tables.add(
            ImplementationPlan,
            {
                "order_id": order["id"],
                "version": 1,
                "goals": order["goals"],
                "activities": order["activities"],
                "who": "Ordinarie ledsagare; vikarie från samma team.",
                "when": "Varannan vecka, oftast eftermiddagar.",
                "how": "Bokning via sms minst två dagar i förväg.",
                "participation": "Planen är gjord tillsammans med den enskilde.",
                "created_at": ctx.created_at,
            },
        )
    return order


def _sessions(
    ctx: Ctx,
    plan: PersonPlan,
    order: Row,
    escort: int | None,
    decision: Row,
    lo: date,
    hi: date,
    use_minutes: float,
) -> None:
    rng = ctx.rng
    durations: list[int] = []
    left = int(use_minutes // 30) * 30
    while left >= 60:
        d = min(left, rng.choice(DURATIONS))
        durations.append(d)
        left -= d
    kinds = []
    for _ in durations:
        r = rng.random()
        kinds.append(
            "late" if r < LATE_CANCEL else "no_show" if r < LATE_CANCEL + NO_SHOW else "executed"
        )
    if durations and not plan.special and rng.random() < OVER_REPORT:
        # Now and then more time is reported than remains: the engine flags it for review.
        durations.append(rng.choice(DURATIONS))
        kinds.append("executed")
    extra = sum(1 for _ in durations if rng.random() < IN_TIME_CANCEL + PROVIDER_CANCEL)
    for _ in range(extra):
        durations.append(rng.choice(DURATIONS))
        kinds.append("in_time" if rng.random() < 0.75 else "provider")
    span = (hi - lo).days + 1
    if not durations:
        return
    days = sorted(rng.sample(range(span), min(span, len(durations))))
    pairs = list(zip(durations, kinds, strict=True))
    rng.shuffle(pairs)
    escorts = 2 if decision["double_staffing"] else 1
    for offset, (minutes, kind) in zip(days, pairs, strict=False):
        day = lo + timedelta(days=offset)
        hour = rng.choice(START_HOURS)
        hour = min(hour, 23 - (minutes + 59) // 60)
        start = datetime.combine(day, time(hour, rng.choice((0, 0, 30))))
        end = start + timedelta(minutes=minutes)
        past = day < ctx.today
        cancelled_at = None
        if not past:
            status = "booked"
        elif kind == "executed":
            status = "executed"
        elif kind == "no_show":
            status = "no_show"
        elif kind == "provider":
            status = "cancelled_by_provider"
            cancelled_at = start - timedelta(hours=rng.randint(2, 48))
        else:
            status = "cancelled_by_person"
            ahead = rng.randint(2, 20) if kind == "late" else rng.randint(26, 120)
            cancelled_at = start - timedelta(hours=ahead)
        session = ctx.tables.add(
            Session,
            {
                "person_id": plan.row["id"],
                "order_id": order["id"],
                "provider_id": order["provider_id"],
                "escort_id": escort if rng.random() < 0.8 else _any_escort(ctx, order),
                "external_id": "",
                "start": start,
                "end": end,
                "status": status,
                "cancelled_at": cancelled_at,
                "escorts": escorts,
                "activity": rng.choice(names.ACTIVITIES),
                "reported_at": end + timedelta(hours=rng.randint(1, 72)) if past else None,
                "reported_by_id": None,
                "period_start": None,
                "charged_minutes": 0,
                "payable_minutes": 0,
                "band_minutes": {},
                "payment_sek": Decimal("0.00"),
                "flags": [],
                "review_status": "",
                "review_reason": "",
                "created_at": ctx.created_at,
            },
        )
        if status == "executed" and rng.random() < 0.18:
            _expense(ctx, session)


def _any_escort(ctx: Ctx, order: Row) -> int | None:
    provider = ctx.provider_by_id()[order["provider_id"]]
    return ctx.rng.choice(provider.escort_ids) if provider.escort_ids else None


def _expense(ctx: Ctx, session: Row) -> None:
    rng = ctx.rng
    day = session["start"].date()
    age = (ctx.today - day).days
    status = "submitted" if age < 30 else ("rejected" if rng.random() < 0.03 else "approved")
    ctx.tables.add(
        ExpenseClaim,
        {
            "person_id": session["person_id"],
            "provider_id": session["provider_id"],
            "session_id": session["id"],
            "costly_activity_id": None,
            "date": day,
            "amount_sek": Decimal(rng.randint(8, 70) * 5).quantize(Decimal("0.01")),
            "description": f"Ledsagarens entré/biljett: {session['activity'].lower()}",
            "receipt": "",
            "receipt_content_type": "",
            "status": status,
            "decision_note": "",
            "created_at": ctx.created_at,
        },
    )
