"""Orders: list, get, accept. Only the provider's own orders (never drafts). Each shows the
decision in force for it: after a reconsideration, the new hours, validity and model."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from folja.api.auth import actor
from folja.api.schemas import Errors, Id, OrderOut
from folja.api.serialize import order_dict
from folja.audit.services import log_access, log_access_many
from folja.providers.models import Order, OrderStatus
from folja.providers.selectors import decision_in_force, with_decisions_in_force
from folja.providers.services import ProviderError, order_accept

router = Router()


def _orders(request: HttpRequest):
    return Order.objects.visible_to(actor(request)).select_related("person", "decision")


@router.get("", response={200: list[OrderOut], 422: Errors}, summary="List orders")
def list_orders(request: HttpRequest, status: Query[OrderStatus | None] = None):
    qs = _orders(request)
    if status:
        qs = qs.filter(status=status)
    orders = with_decisions_in_force(qs[:1000])
    log_access_many(
        user=actor(request),
        persons={o.person_id: o.person for o in orders}.values(),
        what="api: orders",
        path=request.path,
    )
    return [order_dict(o, o.decision_in_force) for o in orders]


@router.get("/{order_id}", response={200: OrderOut, 404: Errors, 422: Errors}, summary="Get")
def get_order(request: HttpRequest, order_id: Path[Id]):
    order = get_object_or_404(_orders(request), pk=order_id)
    log_access(user=actor(request), person=order.person, what="api: order", path=request.path)
    return order_dict(order, decision_in_force(order))


@router.post(
    "/{order_id}/accept",
    response={200: OrderOut, 400: Errors, 404: Errors, 422: Errors},
    summary="Accept an order",
)
def accept_order(request: HttpRequest, order_id: Path[Id]):
    order = get_object_or_404(_orders(request), pk=order_id)
    try:
        order = order_accept(user=actor(request), order=order)
    except ProviderError as exc:
        return 400, {"errors": [exc.as_dict()]}
    log_access(user=actor(request), person=order.person, what="api: order", path=request.path)
    return order_dict(order, decision_in_force(order))
