"""Writes from the portal. Each is one transaction that also writes its audit record; requests
that a caseworker must act on (provider change, costly activity) create their work-list Task in
the same transaction, so a request can never exist without reaching the caseworker."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from folja.audit.services import audit_record
from folja.cases.models import Decision, TaskKind
from folja.cases.services_money import costly_task_subject
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim
from folja.delivery.services import expense_claim_create
from folja.ledger.changed import person_figures_changed
from folja.ledger.decisions import granting_decisions
from folja.people.models import Person
from folja.portal.models import Feedback, FeedbackAbout, ProviderChangeRequest
from folja.providers.models import Provider


def _now() -> datetime:
    return timezone.now()


@transaction.atomic
def expense_claim_submit(
    *,
    user,
    person: Person,
    date: date,
    amount_sek: Decimal,
    description: str,
    receipt: UploadedFile,
    provider: Provider | None,
    costly_activity: CostlyActivityApplication | None = None,
) -> ExpenseClaim:
    """The person's own claim: the same checks, record and work-list task as a provider's
    claim (the claim service opens the task for every claim)."""
    return expense_claim_create(
        user=user,
        provider=provider,
        person=person,
        date=date,
        amount_sek=amount_sek,
        description=description,
        receipt=receipt,
        costly_activity=costly_activity,
    )


@transaction.atomic
def costly_activity_apply(
    *, user, person: Person, activity: str, date: date, estimated_cost_sek: Decimal
) -> CostlyActivityApplication:
    application = CostlyActivityApplication.objects.create(
        person=person,
        activity=activity,
        date=date,
        estimated_cost_sek=estimated_cost_sek,
        submitted_by=user,
    )
    task = task_raise(
        kind=TaskKind.COSTLY_ACTIVITY,
        person=person,
        subject=costly_task_subject(application),
        details={
            "costly_activity_id": application.pk,
            "activity": activity,
            "date": date.isoformat(),
            "estimated_cost_sek": str(estimated_cost_sek),
        },
        user=user,
    )
    audit_record(
        user=user,
        action="costly_activity_apply",
        obj=application,
        person=person,
        details={"estimated_cost_sek": str(estimated_cost_sek), "task_id": task.pk},
    )
    return application


@transaction.atomic
def provider_change_request(
    *, user, person: Person, from_provider: Provider | None, to_provider: Provider, reason: str
) -> ProviderChangeRequest:
    request = ProviderChangeRequest.objects.create(
        person=person,
        from_provider=from_provider,
        to_provider=to_provider,
        reason=reason,
        submitted_by=user,
        created_at=_now(),
    )
    # The task carries what the caseworker acts on: the provider asked for and the reason, as
    # the person wrote it (names are copied: the task must read the same if a provider is
    # renamed later).
    # The decision the change is for: the caseworker records the new choice on it.
    decision = (
        granting_decisions(Decision.objects.filter(person=person, valid_to__gte=clock.today()))
        .order_by("valid_from", "id")
        .first()
    )
    task = task_raise(
        kind=TaskKind.PROVIDER_CHANGE,
        person=person,
        subject=f"provider_change:{request.pk}",
        details={
            "provider_change_request_id": request.pk,
            "decision_id": decision.pk if decision else None,
            "from_provider_id": from_provider.pk if from_provider else None,
            "from_provider_name": from_provider.name if from_provider else "",
            "to_provider_id": to_provider.pk,
            "to_provider_name": to_provider.name,
            "reason": reason,
        },
        user=user,
    )
    audit_record(
        user=user,
        action="provider_change_request",
        obj=request,
        person=person,
        details={"to_provider_id": to_provider.pk, "task_id": task.pk},
    )
    return request


@transaction.atomic
def feedback_submit(
    *, user, person: Person, about: str, kind: str, text: str, provider: Provider | None
) -> Feedback:
    """Routed by `about`: feedback about the provider names the provider (its staff see it);
    all feedback names the person's district (its staff see it)."""
    feedback = Feedback.objects.create(
        person=person,
        about=about,
        kind=kind,
        provider=provider if about == FeedbackAbout.PROVIDER else None,
        district_id=person.district_id,
        text=text,
        submitted_by=user,
        created_at=_now(),
    )
    audit_record(
        user=user,
        action="feedback_submit",
        obj=feedback,
        person=person,
        details={"about": about, "kind": kind},
    )
    person_figures_changed(person_ids=[person.pk])
    return feedback


@transaction.atomic
def feedback_reply(*, user, feedback: Feedback, reply: str) -> Feedback:
    feedback.reply = reply
    feedback.replied_by = user
    feedback.replied_at = _now()
    feedback.save(update_fields=["reply", "replied_by", "replied_at"])
    audit_record(
        user=user, action="feedback_reply", obj=feedback, person=feedback.person, details={}
    )
    return feedback
