"""Rows to API dicts: only what an order carries, never the person's file."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from folja.cases.models import Decision
from folja.delivery.models import ExpenseClaim, Session
from folja.ledger.payable import reason_text, session_due
from folja.providers.models import Order
from folja.providers.selectors import session_kind


def rfc3339(moment: datetime | None) -> datetime | None:
    """A stored time with its UTC offset, so it is serialized as RFC 3339
    (`2024-03-01T10:00:00+01:00`). Följa stores local wall-clock times without a zone
    (USE_TZ = False); the offset is the municipality's zone's on that day. Of the hour that
    occurs twice when the clocks go back, the first (summer time) is meant, as when it was
    entered."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def order_dict(order: Order, decision: Decision) -> dict[str, Any]:
    """`decision` is the one in force for the order (providers.selectors.decision_in_force),
    not necessarily `order.decision`: a reconsideration replaces it."""
    d = decision
    return {
        "id": order.pk,
        "status": order.status,
        "personnummer": order.person.personnummer,
        "first_name": order.person.first_name,
        "last_name": order.person.last_name,
        "goals": order.goals,
        "activities": order.activities,
        "preferred_languages": [str(x) for x in order.preferred_languages or []],
        "preferred_interests": [str(x) for x in order.preferred_interests or []],
        "preferred_age_band": order.preferred_age_band,
        "preferred_gender": order.preferred_gender,
        "physical_strength_needed": order.physical_strength_needed,
        "communication_needs": order.communication_needs,
        "contact_rules": order.contact_rules,
        "hours_per_month": None if d.hours_per_month is None else str(d.hours_per_month),
        "allocation_model": d.model,
        "double_staffing": d.double_staffing,
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
        "sent_at": rfc3339(order.sent_at),
        "accepted_at": rfc3339(order.accepted_at),
    }


def session_dict(session: Session, guideline=None) -> dict[str, Any]:
    due = session_due(session)  # what the payment file pays for it, line by line
    return {
        "id": session.pk,
        "external_id": session.external_id,
        "order_id": session.order_id,
        "escort_id": session.escort_id,
        "personnummer": session.person.personnummer,
        "start": rfc3339(session.start),
        "end": rfc3339(session.end),
        "status": session.status,
        "kind": session_kind(session, guideline),
        "cancelled_at": rfc3339(session.cancelled_at),
        "escorts": session.escorts,
        "reported_at": rfc3339(session.reported_at),
        "period_start": session.period_start,
        "charged_minutes": session.charged_minutes,
        "payable_minutes": session.payable_minutes,
        "band_minutes": dict(session.band_minutes or {}),
        "payment_sek": f"{session.payment_sek:.2f}",
        "payable_sek": f"{due.amount:.2f}",
        "held_back": due.excluded,
        "flags": list(session.flags or []),
        "reasons": [reason_text(code) for code in (session.flags or [])],
        "review_status": session.review_status,
    }


def claim_dict(claim: ExpenseClaim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "personnummer": claim.person.personnummer,
        "session_id": claim.session_id,
        "costly_activity_id": claim.costly_activity_id,
        "date": claim.date,
        "amount_sek": f"{claim.amount_sek:.2f}",
        "description": claim.description,
        "status": claim.status,
        "receipt_content_type": claim.receipt_content_type,
        "created_at": rfc3339(claim.created_at),
    }
