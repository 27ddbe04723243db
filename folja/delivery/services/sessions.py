"""Booking, reporting and cancelling one session; each ends by re-verifying the person."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.services_followup import flagged_session_tasks_raise
from folja.core import clock
from folja.delivery.models import Session, SessionStatus
from folja.delivery.services.common import (
    CONTEXT_FLAGS,
    NO_ORDER,
    REPORTED_STATUSES,
    DeliveryError,
    GuidelineCache,
    context_flags,
    is_duplicate,
    order_covers,
    session_time_errors,
)
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person
from folja.providers.models import Escort, Order, Provider

# Cancellation causes as the provider gives them. Whether a person's cancellation was in time
# or late is not the provider's call: the rules engine classifies it from `cancelled_at`.
CANCEL_CAUSES = {
    "person": SessionStatus.CANCELLED_BY_PERSON,
    "no_show": SessionStatus.NO_SHOW,
    "provider": SessionStatus.CANCELLED_BY_PROVIDER,
}


def _covering_order(*, person_id: int, provider_id: int, day: date) -> Order | None:
    orders = Order.objects.filter(person_id=person_id, provider_id=provider_id).select_related(
        "decision"
    )
    for order in orders:
        if order_covers(order, day):
            return order
    return None


def _refresh_flags(session: Session, guidelines: GuidelineCache | None = None) -> None:
    """Recompute this session's context flags, keeping the engine's flags as they are."""
    guidelines = guidelines or GuidelineCache()
    order = session.order
    if order is not None and order.decision_id and "decision" not in order._state.fields_cache:
        order = Order.objects.select_related("decision").get(pk=order.pk)
    mine = context_flags(
        order=order,
        start=session.start,
        status=session.status,
        reported_at=session.reported_at,
        duplicate=is_duplicate(
            person_id=session.person_id,
            provider_id=session.provider_id,
            start=session.start,
            end=session.end,
            exclude_pk=session.pk,
        ),
        guidelines=guidelines,
    )
    engine = [f for f in (session.flags or []) if f not in CONTEXT_FLAGS]
    session.flags = mine + engine


def _refuse(errors: list[DeliveryError]) -> None:
    """Raise the first problem of the shared time check: a write names one field at a time."""
    if errors:
        raise errors[0]


def _verify(person: Person) -> None:
    person_figures_changed(person_ids=[person.pk])
    # A session the verification flagged for the caseworker reaches the work list now.
    flagged_session_tasks_raise(person_ids=[person.pk])


# --- sessions ----------------------------------------------------------------------------------


@transaction.atomic
def session_book(
    *,
    user,
    order: Order,
    start: datetime,
    end: datetime,
    escort: Escort | None = None,
    escorts: int = 1,
    activity: str = "",
) -> Session:
    """Book a session on an accepted order. Booked time is spoken for in the balance but is
    not a report: it charges and pays nothing until reported."""
    _refuse(session_time_errors(now=clock.now(), start=start, end=end, status=SessionStatus.BOOKED))
    if escorts not in (1, 2):
        raise DeliveryError("escorts", "invalid", _("Antal ledsagare är 1 eller 2."))
    if not order_covers(order, start.date()):
        raise DeliveryError(
            "start",
            NO_ORDER,
            _("Beställningen är inte accepterad eller beslutet gäller inte den dagen."),
        )
    if escort is not None and escort.provider_id != order.provider_id:
        raise DeliveryError("escort", "unknown_escort", _("Okänd ledsagare."))
    session = Session(
        person=order.person,
        order=order,
        provider=order.provider,
        escort=escort,
        start=start,
        end=end,
        status=SessionStatus.BOOKED,
        escorts=escorts,
        activity=activity,
    )
    _refresh_flags(session)
    session.save()
    audit_record(
        user=user,
        action="session.book",
        obj=session,
        person=order.person,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    _verify(order.person)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_report(
    *,
    user,
    provider: Provider,
    person: Person,
    start: datetime,
    end: datetime,
    status: str,
    order: Order | None = None,
    escort: Escort | None = None,
    escorts: int = 1,
    cancelled_at: datetime | None = None,
    external_id: str = "",
    activity: str = "",
    session: Session | None = None,
) -> Session:
    """Report a session (new, or an update of `session`, or of the provider's session with the
    same `external_id`, which makes re-sending idempotent). Context reason codes are stored
    with the engine's flags; the person is then re-verified. Its times pass the one shared
    check against the report time: no executed or no-show session before it began, no
    cancellation made after the report."""
    now = clock.now()
    _refuse(
        session_time_errors(now=now, start=start, end=end, status=status, cancelled_at=cancelled_at)
    )
    if status not in SessionStatus.values:
        raise DeliveryError("status", "invalid_choice", _("Okänd status."))
    if escorts not in (1, 2):
        raise DeliveryError("escorts", "invalid", _("Antal ledsagare är 1 eller 2."))
    if status == SessionStatus.CANCELLED_BY_PERSON and cancelled_at is None:
        raise DeliveryError("cancelled_at", "required", _("Ange när den enskilde avbokade."))
    if order is not None and (order.provider_id != provider.pk or order.person_id != person.pk):
        raise DeliveryError(
            "order_id", "order_person_mismatch", _("Beställningen gäller inte personen.")
        )
    if escort is not None and escort.provider_id != provider.pk:
        raise DeliveryError("escort_id", "unknown_escort", _("Okänd ledsagare."))
    if order is None:
        order = _covering_order(person_id=person.pk, provider_id=provider.pk, day=start.date())
    if session is None and external_id:
        session = Session.objects.filter(provider=provider, external_id=external_id).first()
        if session is not None and session.person_id != person.pk:
            raise DeliveryError(
                "external_id",
                "external_id_taken",
                _("Externt id används redan för en annan person."),
            )
    values = {
        "order": order,
        "escort": escort,
        "start": start,
        "end": end,
        "status": status,
        "escorts": escorts,
        "cancelled_at": cancelled_at,
    }
    if session is not None and all(getattr(session, k) == v for k, v in values.items()):
        return session  # the same report again: nothing changes, nothing is logged
    created = session is None
    if created:
        session = Session(person=person, provider=provider, external_id=external_id)
    for key, value in values.items():
        setattr(session, key, value)
    if activity:
        session.activity = activity
    if status != SessionStatus.BOOKED:
        session.reported_at = now
        session.reported_by = user if getattr(user, "pk", None) else None
    _refresh_flags(session)
    session.save()
    audit_record(
        user=user,
        action="session.report" if created else "session.update",
        obj=session,
        person=person,
        details={"status": status, "external_id": external_id, "flags": session.flags},
    )
    _verify(person)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_cancel(*, user, session: Session, cause: str, cancelled_at: datetime) -> Session:
    """Cancel with a cause: the person (in time or late — decided by the rules from
    `cancelled_at`), a no-show, or the provider."""
    if cause not in CANCEL_CAUSES:
        raise DeliveryError("cause", "invalid_choice", _("Okänd orsak."))
    if session.status not in (SessionStatus.BOOKED, *REPORTED_STATUSES):
        raise DeliveryError("cause", "invalid_state", _("Passet kan inte avbokas."))
    now = clock.now()
    errors = session_time_errors(
        now=now, start=session.start, status=CANCEL_CAUSES[cause], cancelled_at=cancelled_at
    )
    if errors:
        error = errors[0]
        # A no-show before the start is the cause's fault: the caller has no start field.
        if error.field == "start":
            error.field = "cause"
        raise error
    session.status = CANCEL_CAUSES[cause]
    session.cancelled_at = cancelled_at if cause == "person" else None
    session.reported_at = now
    session.reported_by = user if getattr(user, "pk", None) else None
    _refresh_flags(session)
    session.save()
    audit_record(
        user=user,
        action="session.cancel",
        obj=session,
        person=session.person,
        details={"cause": cause, "cancelled_at": cancelled_at.isoformat()},
    )
    _verify(session.person)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_report_executed(
    *, user, session: Session, start: datetime, end: datetime, escorts: int | None = None
) -> Session:
    """Report a booked session as executed, with the times it actually ran."""
    return session_report(
        user=user,
        provider=session.provider,
        person=session.person,
        order=session.order,
        escort=session.escort,
        start=start,
        end=end,
        status=SessionStatus.EXECUTED,
        escorts=escorts or session.escorts,
        session=session,
    )
