"""Writes for casework: applications, assessments, decisions, letters, orders and appeals.

Each function is keyword-only, runs in one transaction and writes its audit record in it.
Business rules that reject input raise `ValidationError` with a dict of Swedish messages per
field, so a view can put each message next to its field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.audit.services import audit_record
from folja.cases.allocation import FOLLOW_GUIDELINE, resolve_model
from folja.cases.letters import render_letter_html, render_letter_pdf
from folja.cases.models import (
    Application,
    ApplicationStatus,
    Assessment,
    Decision,
    DecisionLetter,
    LifeAreaRating,
    Outcome,
    Task,
    TaskKind,
)
from folja.cases.selectors import (
    decision_of_application,
    guideline_in_force,
    legal_bases_on,
    support_for_application,
)
from folja.core import clock
from folja.core.clock import today as local_today
from folja.guidelines.models import LegalBasis, LifeArea
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person
from folja.providers.models import Order, OrderStatus, Provider
from folja.rules.deadlines import appeal_deadline

# ---------------------------------------------------------------- application and assessment


@transaction.atomic
def application_create(
    *,
    person: Person,
    user,
    received_on: date,
    kind: str,
    requested_act: str,
    requested_hours_per_month: Decimal | None,
    activities: str = "",
    catalogue_activities: Iterable[int] = (),
) -> Application:
    from folja.handbook.services import set_application_activities

    application = Application.objects.create(
        person=person,
        district_id=person.district_id,
        received_on=received_on,
        kind=kind,
        activities=activities,
        requested_act=requested_act,
        requested_hours_per_month=requested_hours_per_month,
        caseworker=user,
    )
    set_application_activities(user=user, application=application, ids=catalogue_activities)
    audit_record(user=user, action="application.create", obj=application, person=person)
    return application


@dataclass(frozen=True)
class Rating:
    life_area: LifeArea
    caseworker_rating: int
    person_rating: int | None
    comment: str = ""


@transaction.atomic
def assessment_create(
    *,
    application: Application,
    user,
    assessed_on: date,
    needs: str,
    ratings: list[Rating],
    other_services: list[str],
    free_text: str = "",
) -> Assessment:
    """The DUR-style assessment. Its need score (mean caseworker rating) is what decision
    support compares on."""
    if hasattr(application, "assessment"):
        raise ValidationError({"needs": _("Ansökan har redan en utredning.")})
    if not ratings:
        raise ValidationError({"needs": _("Skatta minst ett livsområde.")})
    score = Decimal(sum(r.caseworker_rating for r in ratings)) / Decimal(len(ratings))
    assessment = Assessment.objects.create(
        application=application,
        person=application.person,
        assessed_on=assessed_on,
        needs=needs,
        other_services=sorted(set(other_services)),
        free_text=free_text,
        need_score=score.quantize(Decimal("0.01")),
        caseworker=user,
    )
    LifeAreaRating.objects.bulk_create(
        [
            LifeAreaRating(
                assessment=assessment,
                life_area=r.life_area,
                caseworker_rating=r.caseworker_rating,
                person_rating=r.person_rating,
                comment=r.comment,
            )
            for r in ratings
        ]
    )
    application.status = ApplicationStatus.ASSESSING
    application.save(update_fields=["status"])
    # An e-application's work-list task is done once someone has taken the case up.
    for task in Task.objects.filter(
        person=application.person,
        kind=TaskKind.E_APPLICATION,
        subject=f"application:{application.pk}",
        closed_at__isnull=True,
    ):
        task.closed_at = clock.now()
        task.closed_by = user
        task.resolution = _("Utredningen är påbörjad.")
        task.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit_record(user=user, action="task.close", obj=task, person=application.person)
    audit_record(
        user=user,
        action="assessment.create",
        obj=assessment,
        person=application.person,
        details={"need_score": str(assessment.need_score), "ratings": len(ratings)},
    )
    return assessment


# ---------------------------------------------------------------- decision

# Shown by the service's error and by the decision page of a decided application.
ALREADY_DECIDED = gettext_lazy(
    "Ansökan är redan beslutad. Samma ansökan kan inte beslutas två gånger: en ändring görs "
    "genom omprövning av beslutet eller på en ny ansökan."
)


def _check_decision(
    *,
    outcome: str,
    legal_basis: LegalBasis,
    decided_on: date,
    hours_per_month: Decimal | None,
    valid_from: date | None,
    valid_to: date | None,
    rejected_parts: list[dict],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not legal_bases_on(decided_on).filter(pk=legal_basis.pk).exists():
        errors["legal_basis"] = _("Lagrummet gäller inte på beslutsdatumet.")
    if outcome != Outcome.REJECTED:
        if hours_per_month is None or hours_per_month <= 0:
            errors["hours_per_month"] = _("Ange beviljade timmar per månad.")
        if valid_from is None:
            errors["valid_from"] = _("Ange från vilket datum beslutet gäller.")
        if valid_to is None:
            errors["valid_to"] = _("Beslutet ska vara tidsbegränsat: ange slutdatum.")
        elif valid_from is not None and valid_to < valid_from:
            errors["valid_to"] = _("Slutdatum kan inte vara före startdatum.")
    if outcome != Outcome.GRANTED and not rejected_parts:
        errors["rejected_parts"] = _("Skriv vad som avslås och skälet till det.")
    return errors


@transaction.atomic
def decision_create(
    *,
    application: Application,
    user,
    decided_on: date,
    outcome: str,
    legal_basis: LegalBasis,
    hours_per_month: Decimal | None,
    double_staffing: bool,
    valid_from: date | None,
    valid_to: date | None,
    reasons: str,
    rejected_parts: list[dict],
    deviation_reason: str = "",
    model: str = FOLLOW_GUIDELINE,
) -> Decision:
    """Decide an application. An application is decided once: a second decision would grant
    the same need twice. A change goes through reconsideration (`appeal_reconsider`) or a new
    application.

    `model` is the guideline's model unless given: the free model needs the person's recorded
    pilot membership covering the decision's start (folja.cases.allocation)."""
    # The row lock makes two simultaneous decisions on one application take turns, so the
    # second sees the first and gets this error rather than the database constraint's.
    list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
    if decision_of_application(application) is not None:
        raise ValidationError(
            {"application": ValidationError(str(ALREADY_DECIDED), code="already_decided")}
        )
    errors = _check_decision(
        outcome=outcome,
        legal_basis=legal_basis,
        decided_on=decided_on,
        hours_per_month=hours_per_month,
        valid_from=valid_from,
        valid_to=valid_to,
        rejected_parts=rejected_parts,
    )
    if outcome == Outcome.REJECTED:
        hours_per_month, valid_from, valid_to, double_staffing = None, None, None, False
    support = support_for_application(application=application, on=decided_on, act=legal_basis.act)
    if support.is_outside(hours_per_month) and not deviation_reason.strip():
        errors["deviation_reason"] = _(
            "Timmarna ligger utanför vad 80 % av jämförbara beslut i staden fått. "
            "Skriv skälet till avvikelsen."
        )
    guideline = guideline_in_force(decided_on)
    choice, model_error = resolve_model(
        person=application.person,
        requested=model,
        guideline=guideline,
        starts_on=valid_from or decided_on,
    )
    if choice is None:
        errors["model"] = model_error
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        person=application.person,
        application=application,
        district_id=application.district_id,
        caseworker=user,
        decided_on=decided_on,
        outcome=outcome,
        legal_basis=legal_basis,
        requested_hours_per_month=application.requested_hours_per_month,
        hours_per_month=hours_per_month,
        model=choice.model,
        guideline_version=guideline,
        double_staffing=double_staffing,
        valid_from=valid_from,
        valid_to=valid_to,
        reasons=reasons,
        rejected_parts=rejected_parts,
        deviation_reason=deviation_reason.strip(),
    )
    application.status = ApplicationStatus.DECIDED
    application.save(update_fields=["status"])
    # A new decision changes what the person's sessions are worth: re-verify them now (this
    # also refreshes the follow-up roll-up).
    person_figures_changed(person_ids=[application.person_id])
    audit_record(
        user=user,
        action="decision.create",
        obj=decision,
        person=application.person,
        details={
            "outcome": outcome,
            "hours_per_month": str(hours_per_month) if hours_per_month is not None else None,
            "outside_p10_p90": support.is_outside(hours_per_month),
            "model": choice.model,
            "pilot_member": choice.pilot_member.pk if choice.pilot_member else None,
        },
    )
    return decision


# ---------------------------------------------------------------- decision letter


@transaction.atomic
def letter_issue(*, decision: Decision, user, notified_on: date) -> DecisionLetter:
    """Issue the letter as it stands now. Letters are never changed: issuing again makes a
    new row. The appeal period runs from the day the person is notified of the letter asked
    for (a letter issued again, e.g. because the first never arrived, starts it again), and a
    letter whose deadline has already passed is refused: it would tell the person that they
    can no longer appeal."""
    deadline = appeal_deadline(notified_on)
    if deadline < local_today():
        raise ValidationError(
            {
                "notified_on": ValidationError(
                    _(
                        "Med det delgivningsdatumet var sista dag att överklaga %(deadline)s, "
                        "och den dagen har redan passerat. Ange dagen då den enskilde får "
                        "det här brevet."
                    )
                    % {"deadline": deadline.isoformat()},
                    code="deadline_passed",
                )
            }
        )
    if decision.notified_on != notified_on:
        decision.notified_on = notified_on
        decision.save(update_fields=["notified_on"])
    html = render_letter_html(decision=decision, caseworker=user, appeal_deadline=deadline)
    pdf = render_letter_pdf(html)
    letter = DecisionLetter.objects.create(
        decision=decision,
        issued_at=clock.now(),
        issued_by=user,
        appeal_deadline=deadline,
        notified_on=notified_on,
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    audit_record(
        user=user,
        action="decision_letter.issue",
        obj=letter,
        person=decision.person,
        details={
            "decision": decision.pk,
            "sha256": letter.sha256,
            "notified_on": notified_on.isoformat(),
        },
    )
    return letter


# ---------------------------------------------------------------- order


HANDOVER_FIELDS = (
    "goals",
    "activities",
    "preferred_languages",
    "preferred_interests",
    "preferred_age_band",
    "preferred_gender",
    "physical_strength_needed",
    "communication_needs",
    "contact_rules",
)


def required_for_send() -> dict[str, str]:
    return {
        "goals": _("Skriv målen med insatsen innan beställningen skickas."),
        "activities": _("Skriv vilka aktiviteter det gäller innan beställningen skickas."),
        "communication_needs": _(
            "Beskriv kommunikationsbehoven (skriv ”Inga särskilda” om det inte finns några)."
        ),
        "contact_rules": _("Skriv hur utföraren ska kontakta den enskilde."),
    }


def _check_provider(provider: Provider) -> None:
    if not (provider.lov_approved and provider.active):
        raise ValidationError({"provider": _("Utföraren är inte godkänd enligt LOV.")})


@transaction.atomic
def order_create(*, decision: Decision, provider: Provider, user, **handover) -> Order:
    """Record the person's chosen provider and the handover information, as a draft."""
    if not decision.is_granted:
        raise ValidationError({"provider": _("Ett avslag kan inte beställas.")})
    if decision.superseded_by_id is not None:
        # The order must stand on the decision in force, not on one replaced on reconsideration.
        raise ValidationError(
            {"provider": _("Beslutet är ersatt av ett nytt beslut. Beställ på det nya beslutet.")}
        )
    _check_provider(provider)
    unknown = set(handover) - set(HANDOVER_FIELDS)
    if unknown:
        raise TypeError(f"unknown handover fields: {sorted(unknown)}")
    order = Order.objects.create(
        decision=decision,
        person=decision.person,
        provider=provider,
        created_by=user,
        status=OrderStatus.DRAFT,
        **handover,
    )
    audit_record(
        user=user,
        action="order.create",
        obj=order,
        person=decision.person,
        details={"provider": provider.pk},
    )
    return order


@transaction.atomic
def order_update(*, order: Order, provider: Provider, user, **handover) -> Order:
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(
            {"provider": _("Beställningen är redan skickad och kan inte ändras.")}
        )
    _check_provider(provider)
    order.provider = provider
    for name in HANDOVER_FIELDS:
        if name in handover:
            setattr(order, name, handover[name])
    order.save()
    audit_record(user=user, action="order.update", obj=order, person=order.person)
    return order


@transaction.atomic
def order_send(*, order: Order, user) -> Order:
    """Send the order to the provider. The handover fields the seeds say get lost are
    required; the person's earlier active order with another provider ends."""
    if order.status != OrderStatus.DRAFT:
        raise ValidationError({"provider": _("Beställningen är redan skickad.")})
    errors = {
        name: message
        for name, message in required_for_send().items()
        if not str(getattr(order, name) or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    ended = list(
        Order.objects.filter(
            person_id=order.person_id, status__in=[OrderStatus.SENT, OrderStatus.ACCEPTED]
        ).exclude(pk=order.pk)
    )
    for old in ended:
        old.status = OrderStatus.ENDED
        old.ended_on = local_today()
        old.save(update_fields=["status", "ended_on"])
        audit_record(user=user, action="order.end", obj=old, person=order.person)
    order.status = OrderStatus.SENT
    order.sent_at = now
    order.save(update_fields=["status", "sent_at"])
    audit_record(
        user=user,
        action="order.send",
        obj=order,
        person=order.person,
        details={"provider": order.provider_id, "ended": [o.pk for o in ended]},
    )
    # The follow-up names a month's provider from the person's orders.
    person_figures_changed(person_ids=[order.person_id])
    return order


# Appeals and follow-up writes live in their own modules; re-exported so callers find every
# casework write here.
from folja.cases.services_appeals import (  # noqa: E402
    appeal_dismiss_late,
    appeal_forward,
    appeal_judgment,
    appeal_reconsider,
    appeal_register,
)
from folja.cases.services_choice import provider_choice_record  # noqa: E402
from folja.cases.services_followup import (  # noqa: E402
    session_review,
    task_close,
    tasks_refresh,
    tasks_refresh_if_due,
)
from folja.cases.services_nonexecution import non_execution_reason_record  # noqa: E402
from folja.cases.services_tasks import task_owner, task_raise  # noqa: E402

__all__ = [
    "appeal_dismiss_late",
    "appeal_forward",
    "appeal_judgment",
    "appeal_reconsider",
    "appeal_register",
    "application_create",
    "assessment_create",
    "decision_create",
    "letter_issue",
    "non_execution_reason_record",
    "order_create",
    "order_send",
    "order_update",
    "provider_choice_record",
    "session_review",
    "task_close",
    "task_owner",
    "task_raise",
    "tasks_refresh",
    "tasks_refresh_if_due",
]
