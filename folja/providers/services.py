"""Writes on the provider side: accepting orders, implementation plans, escorts, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.ledger.changed import person_figures_changed
from folja.providers.models import (
    ApiToken,
    Escort,
    ImplementationPlan,
    Order,
    OrderStatus,
    Provider,
)

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
    order.accepted_at = timezone.now()
    order.save(update_fields=["status", "accepted_at"])
    audit_record(user=user, action="order.accept", obj=order, person=order.person)
    person_figures_changed(person_ids=[order.person_id])
    return order


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
        token.revoked_at = timezone.now()
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
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
