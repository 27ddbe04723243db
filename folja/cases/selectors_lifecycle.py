"""Reads for a decision's lifecycle: what replaced it, what it replaced and why (a
reconsideration or a court's judgment), so every page shows a replaced decision as replaced."""

from __future__ import annotations

from django.db.models import Q

from folja.cases.models import Appeal, Decision
from folja.providers.models import Order
from folja.providers.selectors import decisions_in_force


def replacing_appeal(*, decision: Decision, user) -> Appeal | None:
    """The appeal whose reconsideration or judgment made `decision`, if any."""
    return (
        Appeal.objects.visible_to(user)
        .filter(Q(new_decision=decision) | Q(court_decision=decision))
        .first()
    )


def decision_chain(*, decision: Decision, user) -> dict:
    """For the decision page: `replaced_by` (the decision now in its place, with the appeal
    that replaced it) and `replaces` (the decision this one replaced, with its appeal)."""
    visible = Decision.objects.visible_to(user)
    replaced_by = (
        visible.filter(pk=decision.superseded_by_id).first() if decision.superseded_by_id else None
    )
    replaces = visible.filter(superseded_by=decision).first()
    return {
        "replaced_by": replaced_by,
        "replaced_by_appeal": replacing_appeal(decision=replaced_by, user=user)
        if replaced_by
        else None,
        "replaces": replaces,
        "replaces_appeal": replacing_appeal(decision=decision, user=user) if replaces else None,
    }


def orders_standing_on(*, decision: Decision, user) -> list[Order]:
    """The person's orders whose decision in force is `decision`: its own, and those made on a
    decision it replaced (an order follows the decision that replaced its own)."""
    orders = list(
        Order.objects.visible_to(user)
        .filter(person_id=decision.person_id)
        .select_related("provider")
        .order_by("-created_at", "-id")
    )
    in_force = decisions_in_force(orders)
    return [o for o in orders if o.decision_id == decision.pk or in_force[o.pk].pk == decision.pk]
