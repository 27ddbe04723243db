"""The rarer things: appeals of rejections, feedback, costly-activity applications."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from folja.cases.models import Appeal
from folja.core.seed import names
from folja.core.seed.context import Ctx
from folja.core.seed.persons import PersonPlan
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.portal.models import Feedback
from folja.rules.deadlines import appeal_deadline


def make_extras(ctx: Ctx, plan: PersonPlan) -> None:
    rng = ctx.rng
    for d in plan.decisions:
        if d["outcome"] != "granted" and rng.random() < 0.18:
            _appeal(ctx, plan, d)
    if rng.random() < 0.05:
        kind, text = rng.choice(names.FEEDBACK)
        about = "provider" if rng.random() < 0.7 else "district"
        at = ctx.day_between(ctx.start, ctx.today - timedelta(days=1))
        ctx.tables.add(
            Feedback,
            {
                "person_id": plan.row["id"],
                "about": about,
                "kind": kind,
                "provider_id": plan.provider.id if about == "provider" else None,
                "district_id": plan.row["district_id"],
                "text": text,
                "created_at": datetime.combine(at, time(rng.randint(8, 21), 0)),
                "reply": "",
            },
        )
    flex = [d for d in plan.decisions if d["model"] == "flex3" and d["hours_per_month"]]
    if flex and rng.random() < 0.06:
        _costly(ctx, plan, flex[-1])


def _appeal(ctx: Ctx, plan: PersonPlan, decision) -> None:
    rng = ctx.rng
    notified = decision["notified_on"]
    deadline = appeal_deadline(notified)
    received = notified + timedelta(days=rng.randint(3, 24))
    if received > ctx.today:
        return
    timely = received <= deadline
    if not timely:
        status = "dismissed_late"
    else:
        status = rng.choices(
            ("received", "changed", "forwarded", "court_decided"), weights=(1, 2, 3, 3)
        )[0]
        if received > ctx.today - timedelta(days=20):
            status = "received"
    ctx.tables.add(
        Appeal,
        {
            "decision_id": decision["id"],
            "person_id": plan.row["id"],
            "received_on": received,
            "deadline": deadline,
            "timely": timely,
            "grounds": "Jag behöver fler timmar för att kunna delta i mina aktiviteter.",
            "status": status,
            "reconsidered_on": received + timedelta(days=7) if status != "received" else None,
            "reconsideration_note": "Beslutet omprövat." if status != "received" else "",
            "forwarded_on": received + timedelta(days=10)
            if status in ("forwarded", "court_decided")
            else None,
            "court_reference": f"{received.year}-{rng.randint(1000, 9999)}"
            if status == "court_decided"
            else "",
            "created_at": ctx.created_at,
        },
    )


def _costly(ctx: Ctx, plan: PersonPlan, decision) -> None:
    rng = ctx.rng
    first = max(decision["valid_from"], ctx.start)
    last = min(decision["valid_to"], ctx.today + timedelta(days=40))
    if first > last:
        return
    day = ctx.day_between(first, last)
    estimated = Decimal(rng.randint(6, 30) * 100)
    decided = day - timedelta(days=14) <= ctx.today
    status = "submitted" if not decided else rng.choices(("approved", "rejected"), (4, 1))[0]
    approved = min(estimated, Decimal("3000")) if status == "approved" else None
    row = ctx.tables.add(
        CostlyActivityApplication,
        {
            "person_id": plan.row["id"],
            "activity": rng.choice(names.COSTLY),
            "date": day,
            "estimated_cost_sek": estimated.quantize(Decimal("0.01")),
            "status": status,
            "approved_amount_sek": approved,
            "decision_note": "",
            "decided_by_id": decision["caseworker_id"] if status != "submitted" else None,
            "decided_on": day - timedelta(days=14) if status != "submitted" else None,
            "created_at": ctx.created_at,
        },
    )
    if status == "approved" and day < ctx.today:
        ctx.tables.add(
            ExpenseClaim,
            {
                "person_id": plan.row["id"],
                "provider_id": plan.provider.id,
                "session_id": None,
                "costly_activity_id": row["id"],
                "date": day,
                "amount_sek": approved.quantize(Decimal("0.01")),
                "description": f"Mer kostsam aktivitet: {row['activity']}",
                "status": "approved",
                "created_at": ctx.created_at,
            },
        )


def set_last_entry(ctx: Ctx, plan: PersonPlan, sessions_from: int) -> None:
    """The culling clock starts at the last entry in the file."""
    dates = [d["decided_on"] for d in plan.decisions]
    rows = ctx.tables.rows.get(Session, [])
    dates += [s["start"].date() for s in rows[sessions_from:] if s["start"].date() <= ctx.today]
    plan.row["last_entry_on"] = max(dates) if dates else None
