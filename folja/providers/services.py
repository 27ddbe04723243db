"""Writes on the provider side: accepting orders, notices of changed decisions, implementation
plans, escorts, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Decision
from folja.core import clock
from folja.ledger.changed import person_figures_changed
from folja.providers.models import (
    ApiToken,
    Escort,
    ImplementationPlan,
    Order,
    OrderNotice,
    OrderStatus,
    Provider,
)
from folja.providers.selectors import decisions_in_force

TOKEN_PREFIX_LENGTH = 8
TOKEN_MARK = "folja_"  # noqa: S105 - a visible marker, not a secret


class ProviderError(Exception):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@transaction.atomic
def order_accept(*, user, order: Order) -> Order:
    """Accept a sent order. Accepting again is harmless (the API may retry)."""
    if order.status == OrderStatus.ACCEPTED:
        return order
    if order.status != OrderStatus.SENT:
        raise ProviderError("status", "invalid_state", _("Beställningen kan inte accepteras."))
    order.status = OrderStatus.ACCEPTED
    order.accepted_at = clock.now()
    order.save(update_fields=["status", "accepted_at"])
    audit_record(user=user, action="order.accept", obj=order, person=order.person)
    person_figures_changed(person_ids=[order.person_id])
    return order


# --- notices of changed decisions --------------------------------------------------------------

# What the provider plans from: a change in any of these is told to it.
NOTICED_FIELDS = ("hours_per_month", "valid_from", "valid_to", "model")
ACTIVE_ORDER_STATUSES = (OrderStatus.SENT, OrderStatus.ACCEPTED)


@transaction.atomic
def order_notices_for_replacement(
    *, user, previous: Decision, decision: Decision
) -> list[OrderNotice]:
    """Tell the provider of each active order that stood on `previous` that `decision` now
    replaces it, when hours, validity or model differ. Called by every service that replaces
    a decision, in its transaction, once `previous.superseded_by` is saved: the orders are
    found through the same "decision in force" lookup the pages use, so a provider is told
    exactly when what its order shows has changed.

    A draft is still the district's (the provider does not see it), and an ended order is no
    longer the provider's to plan: neither gets a notice."""
    if previous.superseded_by_id != decision.pk:
        raise ValueError("save previous.superseded_by before telling the providers")
    changes = {
        name: (getattr(previous, name), getattr(decision, name))
        for name in NOTICED_FIELDS
        if getattr(previous, name) != getattr(decision, name)
    }
    if not changes:
        return []
    candidates = list(
        Order.objects.filter(
            person_id=decision.person_id, status__in=ACTIVE_ORDER_STATUSES
        ).select_related("person")
    )
    in_force = decisions_in_force(candidates)
    notices = []
    for order in candidates:
        if in_force[order.pk].pk != decision.pk:
            continue
        notice = OrderNotice.objects.create(
            order=order,
            previous_decision=previous,
            decision=decision,
            old_outcome=previous.outcome,
            new_outcome=decision.outcome,
            old_hours_per_month=previous.hours_per_month,
            new_hours_per_month=decision.hours_per_month,
            old_valid_from=previous.valid_from,
            new_valid_from=decision.valid_from,
            old_valid_to=previous.valid_to,
            new_valid_to=decision.valid_to,
            old_model=previous.model,
            new_model=decision.model,
        )
        notice.refresh_from_db()  # the audit record shows the values as stored (20.00, not 20)
        audit_record(
            user=user,
            action="order_notice.create",
            obj=notice,
            person=order.person,
            details={
                "order_id": order.pk,
                "provider_id": order.provider_id,
                "previous_decision": previous.pk,
                "decision": decision.pk,
                "changes": {
                    name: [
                        None if v is None else str(v)
                        for v in (getattr(notice, f"old_{name}"), getattr(notice, f"new_{name}"))
                    ]
                    for name in changes
                },
            },
        )
        notices.append(notice)
    return notices


@transaction.atomic
def order_notice_acknowledge(*, user, notice: OrderNotice) -> OrderNotice:
    """The provider has read the change. Acknowledging again is harmless (a double click, a
    second member of staff): the first acknowledgement stands."""
    notice = (
        OrderNotice.objects.select_for_update().select_related("order__person").get(pk=notice.pk)
    )
    if notice.order.provider_id != getattr(user, "provider_id", None):
        raise ProviderError(
            "notice", "not_own_order", _("Ändringen gäller inte en av era beställningar.")
        )
    if notice.acknowledged_at is not None:
        return notice
    notice.acknowledged_at = clock.now()
    notice.acknowledged_by = user if getattr(user, "pk", None) else None
    notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        user=user,
        action="order_notice.acknowledge",
        obj=notice,
        person=notice.order.person,
        details={"order_id": notice.order_id},
    )
    return notice


@transaction.atomic
def plan_create(
    *,
    user,
    order: Order,
    goals: str,
    activities: str,
    who: str,
    when: str,
    how: str,
    participation: str,
) -> ImplementationPlan:
    """A change to the implementation plan is a new version; earlier versions stay as they
    were, so what was agreed with the person at any time can be read back."""
    # Lock the order so two staff saving at once get versions n and n+1, not a clash.
    Order.objects.select_for_update().filter(pk=order.pk).first()
    latest = order.plans.aggregate(v=Max("version"))["v"] or 0
    plan = ImplementationPlan.objects.create(
        order=order,
        version=latest + 1,
        goals=goals,
        activities=activities,
        who=who,
        when=when,
        how=how,
        participation=participation,
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        user=user,
        action="plan.create",
        obj=plan,
        person=order.person,
        details={"version": plan.version, "order_id": order.pk},
    )
    return plan


ESCORT_FIELDS = (
    "first_name",
    "last_name",
    "gender",
    "age_band",
    "languages",
    "interests",
    "physical_capacity",
    "active",
)


@transaction.atomic
def escort_save(*, user, provider: Provider, escort: Escort | None = None, **values) -> Escort:
    created = escort is None
    escort = escort or Escort(provider=provider)
    for key, value in values.items():
        if key in ESCORT_FIELDS:
            setattr(escort, key, value)
    escort.save()
    audit_record(
        user=user,
        action="escort.create" if created else "escort.update",
        obj=escort,
        details={"provider_id": provider.pk},
    )
    return escort


# --- API tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full token: shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, provider: Provider, name: str) -> IssuedToken:
    """Issue a token for the provider's systems. Only its SHA-256 is stored; the prefix lets
    a request find its row without scanning every hash."""
    body = secrets.token_urlsafe(32)
    prefix = body[:TOKEN_PREFIX_LENGTH]
    secret = f"{TOKEN_MARK}{body}"
    token = ApiToken.objects.create(
        provider=provider,
        name=name.strip()[:100] or "API",
        prefix=prefix,
        token_hash=hash_token(secret),
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        user=user, action="api_token.create", obj=token, details={"provider_id": provider.pk}
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            user=user,
            action="api_token.revoke",
            obj=token,
            details={"provider_id": token.provider_id},
        )
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token matching `secret`, compared in constant time; None otherwise."""
    if not secret or not secret.startswith(TOKEN_MARK) or len(secret) > 200:
        return None
    prefix = secret[len(TOKEN_MARK) : len(TOKEN_MARK) + TOKEN_PREFIX_LENGTH]
    digest = hash_token(secret)
    for token in ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related(
        "provider"
    ):
        if hmac.compare_digest(token.token_hash, digest) and token.provider.active:
            return token
    return None


def token_touch(token: ApiToken) -> None:
    """Record use at most once a minute: a write per request would serialise busy clients."""
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
