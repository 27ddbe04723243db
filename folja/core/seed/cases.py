"""Applications, DUR assessments and decisions: unbroken chains of time-limited decisions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from folja.cases.models import Application, Assessment, Decision, LifeAreaRating, OtherService
from folja.core.seed import names
from folja.core.seed.config import BASE_HOURS, HOURS_TREND_PER_YEAR, YEARLY_EXIT
from folja.core.seed.context import Ctx
from folja.core.seed.persons import PersonPlan
from folja.rules.periods import add_months, month_start


def plus_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day): a decision for 12
    months from 14 February runs to 13 February the next year."""
    first = add_months(month_start(day), months)
    last_day = (add_months(first, 1) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))


def _clamp(x: float, lo: int = 1, hi: int = 7) -> int:
    return int(min(hi, max(lo, round(x))))


def aligned_chain_start(today: date) -> date:
    """A chain start whose three-month period grid ends with the current month, so the demo
    person's hours are about to lapse (the 1st of the month 20 months before today's)."""
    return add_months(month_start(today), -20)


def _first_valid_from(ctx: Ctx, plan: PersonPlan) -> date:
    if plan.special:
        return aligned_chain_start(ctx.today)
    if ctx.rng.random() < 0.55:
        # Already receiving the service when the synthetic history starts.
        return ctx.start - timedelta(days=ctx.rng.randint(0, 330))
    return ctx.day_between(ctx.start, ctx.today - timedelta(days=45))


def _half_hours(x: float) -> Decimal:
    return Decimal(max(2.0, round(x * 2) / 2)).quantize(Decimal("0.01"))


def make_decisions(ctx: Ctx, plan: PersonPlan) -> None:
    rng = ctx.rng
    profile = ctx.district_profile[plan.row["district_id"]]
    district_id = plan.row["district_id"]
    caseworkers = ctx.staff.caseworkers[district_id]
    caseworker = rng.choice(caseworkers)
    double = not plan.special and rng.random() < 0.03
    valid_from = _first_valid_from(ctx, plan)
    first, previous_hours = True, None
    while True:
        decided_on = valid_from - timedelta(days=rng.randint(5, 25))
        if decided_on > ctx.today:
            break
        if plan.special:
            months = 12
        elif plan.age_at_start < 18 and rng.random() < 0.3:
            months = 24
        else:
            months = rng.choices((12, 6), weights=(9, 1))[0]
        valid_to = plus_months(valid_from, months) - timedelta(days=1)
        share = 0.0 if plan.special else profile.rejection_share
        # New applications are rejected more often than renewals; renewals are mostly cut
        # (partly rejected) rather than refused outright. Overall ≈ the district's share.
        if first:
            outcome = _outcome(rng, min(0.9, share * 1.5), 0.5)
        else:
            outcome = _outcome(rng, share * 0.8, 0.12)
        years_in = decided_on.year - ctx.start.year
        trend = 1 + HOURS_TREND_PER_YEAR * years_in
        if previous_hours is None or plan.special:
            base = plan.special.hours if plan.special else BASE_HOURS[plan.act]
            requested = base * (
                1
                if plan.special
                else (
                    (plan.need / 4.2) ** 1.2
                    * rng.lognormvariate(0, 0.3)
                    * profile.hours_factor
                    * trend
                )
            )
        else:
            requested = previous_hours * rng.uniform(0.95, 1.25) * (1 + HOURS_TREND_PER_YEAR)
        requested_d = _half_hours(requested)
        if outcome == "granted":
            hours = requested_d
        elif outcome == "partly_rejected":
            hours = _half_hours(float(requested_d) * rng.uniform(0.45, 0.85))
        else:
            hours = None
        cw = caseworker if rng.random() < 0.85 else rng.choice(caseworkers)
        application = _application(ctx, plan, decided_on, requested_d, cw)
        ctx.tables.add(
            Decision,
            {
                "person_id": plan.row["id"],
                "application_id": application,
                "district_id": district_id,
                "caseworker_id": cw,
                "decided_on": decided_on,
                "outcome": outcome,
                "legal_basis_id": ctx.legal_basis(plan.act, decided_on).pk,
                "requested_hours_per_month": requested_d,
                "hours_per_month": hours,
                "model": ctx.guideline(valid_from).model,
                "guideline_version_id": ctx.guideline(valid_from).pk,
                "double_staffing": double and hours is not None,
                "superseded_by_id": None,
                "valid_from": valid_from if hours is not None else None,
                "valid_to": valid_to if hours is not None else None,
                "reasons": _reasons(outcome, plan.act),
                "rejected_parts": (
                    []
                    if outcome == "granted"
                    else [
                        {
                            "part": f"{requested_d - (hours or 0)} timmar per månad",
                            "reason": rng.choice(names.REJECTION_REASONS),
                        }
                    ]
                ),
                "deviation_reason": "",
                "notified_on": decided_on + timedelta(days=rng.randint(1, 6)),
                "external_ref": "",
                "created_at": ctx.created_at,
            },
        )
        plan.decisions.append(ctx.tables.rows[Decision][-1])
        if outcome == "rejected":
            if first and rng.random() < 0.3:
                # Applies again some months later, possibly with a better-documented need.
                valid_from = valid_from + timedelta(days=rng.randint(100, 240))
                continue
            break
        previous_hours = float(hours)
        first = False
        if not plan.special and rng.random() < YEARLY_EXIT * months / 12:
            break
        valid_from = valid_to + timedelta(days=1)


def _outcome(rng, reject_share: float, refused_part: float) -> str:
    if rng.random() >= reject_share:
        return "granted"
    return "rejected" if rng.random() < refused_part else "partly_rejected"


def _reasons(outcome: str, act: str) -> str:
    law = "LSS 9 § 3" if act == "LSS" else "socialtjänstlagen"
    if outcome == "granted":
        return f"Behovet av ledsagning bedöms skäligt och beviljas enligt {law}."
    if outcome == "partly_rejected":
        return f"Ledsagning beviljas enligt {law} men med färre timmar än sökt."
    return f"Ansökan om ledsagning enligt {law} avslås."


def _application(
    ctx: Ctx, plan: PersonPlan, decided_on: date, requested: Decimal, caseworker: int
) -> int:
    rng = ctx.rng
    kind = "open" if rng.random() < 0.8 else "specific"
    app = ctx.tables.add(
        Application,
        {
            "person_id": plan.row["id"],
            "district_id": plan.row["district_id"],
            "received_on": decided_on - timedelta(days=rng.randint(14, 50)),
            "kind": kind,
            "activities": ", ".join(rng.sample(names.ACTIVITIES, 3)) if kind == "specific" else "",
            "requested_act": plan.act,
            "requested_hours_per_month": requested,
            "status": "decided",
            "caseworker_id": caseworker,
            "created_at": ctx.created_at,
        },
    )
    ratings = [_clamp(rng.gauss(plan.need, 0.9)) for _ in ctx.life_areas]
    score = Decimal(sum(ratings) / len(ratings)).quantize(Decimal("0.01")) if ratings else None
    assessment = ctx.tables.add(
        Assessment,
        {
            "application_id": app["id"],
            "person_id": plan.row["id"],
            "assessed_on": decided_on - timedelta(days=rng.randint(1, 10)),
            "needs": rng.choice(names.NEEDS),
            "other_services": rng.sample(OtherService.values, rng.randint(0, 2)),
            "free_text": "",
            "need_score": score,
            "caseworker_id": caseworker,
            "created_at": ctx.created_at,
        },
    )
    for area, rating in zip(ctx.life_areas, ratings, strict=True):
        ctx.tables.add(
            LifeAreaRating,
            {
                "assessment_id": assessment["id"],
                "life_area_id": area,
                "caseworker_rating": rating,
                "person_rating": _clamp(rating + rng.gauss(0.3, 1.0)),
                "comment": "",
            },
        )
    return app["id"]
