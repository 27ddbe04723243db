"""Writes for appeals: registration with the timeliness check, reconsideration (omprövning),
forwarding to the administrative court, dismissal of a late appeal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Appeal, AppealStatus, Decision, Outcome, Task, TaskKind
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person
from folja.providers.services import order_notices_for_replacement
from folja.rules.deadlines import appeal_deadline


def _close_tasks(*, person: Person, kind: str, subject: str, user, resolution: str) -> None:
    for task in Task.objects.filter(
        person=person, kind=kind, subject=subject, closed_at__isnull=True
    ):
        task.closed_at = timezone.now()
        task.closed_by = user
        task.resolution = resolution
        task.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit_record(user=user, action="task.close", obj=task, person=person)


@transaction.atomic
def appeal_register(*, decision: Decision, user, received_on: date, grounds: str = "") -> Appeal:
    """Register an appeal and check it is in time. Before the person is notified the appeal
    period has not started, so an appeal is then always in time."""
    if decision.notified_on is not None:
        deadline = appeal_deadline(decision.notified_on)
        if received_on < decision.notified_on:
            raise ValidationError(
                {"received_on": _("Överklagandet kan inte ha kommit in innan beslutet delgavs.")}
            )
    else:
        deadline = appeal_deadline(received_on)
    appeal = Appeal.objects.create(
        decision=decision,
        person=decision.person,
        received_on=received_on,
        deadline=deadline,
        timely=received_on <= deadline,
        grounds=grounds,
    )
    Task.objects.get_or_create(
        person=decision.person,
        kind=TaskKind.APPEAL,
        subject=f"appeal:{appeal.pk}",
        defaults={
            "district_id": decision.district_id,
            "assigned_to": decision.caseworker,
            "due_on": received_on,
            "details": {"appeal_id": appeal.pk, "decision_id": decision.pk},
        },
    )
    audit_record(
        user=user,
        action="appeal.register",
        obj=appeal,
        person=decision.person,
        details={"timely": appeal.timely, "deadline": deadline.isoformat()},
    )
    return appeal


@transaction.atomic
def appeal_reconsider(
    *,
    appeal: Appeal,
    user,
    reconsidered_on: date,
    change: bool,
    note: str,
    outcome: str = "",
    hours_per_month: Decimal | None = None,
    reasons: str = "",
) -> Appeal:
    """Omprövning: the authority may change its own decision (a new Decision) or keep it, in
    which case the appeal goes on to the court."""
    if appeal.status != AppealStatus.RECEIVED or appeal.reconsidered_on is not None:
        raise ValidationError({"change": _("Överklagandet är redan omprövat.")})
    if not appeal.timely:
        raise ValidationError({"change": _("Ett för sent inkommet överklagande avvisas.")})
    old = appeal.decision
    if change:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Välj det ändrade beslutets utfall.")})
        if outcome != Outcome.REJECTED and (hours_per_month is None or hours_per_month <= 0):
            raise ValidationError({"hours_per_month": _("Ange beviljade timmar per månad.")})
        if outcome != Outcome.REJECTED and not (old.valid_from and old.valid_to):
            raise ValidationError(
                {
                    "outcome": _(
                        "Det överklagade beslutet saknar giltighetstid; fatta ett nytt beslut."
                    )
                }
            )
        new = Decision.objects.create(
            person=old.person,
            # Linked to the application only once the old decision is superseded: an
            # application has one decision in force (one_decision_in_force_per_application).
            application=None,
            district_id=old.district_id,
            caseworker=user,
            decided_on=reconsidered_on,
            outcome=outcome,
            legal_basis=old.legal_basis,
            requested_hours_per_month=old.requested_hours_per_month,
            hours_per_month=None if outcome == Outcome.REJECTED else hours_per_month,
            model=old.model,
            guideline_version=old.guideline_version,
            double_staffing=old.double_staffing,
            valid_from=None if outcome == Outcome.REJECTED else old.valid_from,
            valid_to=None if outcome == Outcome.REJECTED else old.valid_to,
            reasons=reasons or note,
            rejected_parts=[] if outcome == Outcome.GRANTED else old.rejected_parts,
        )
        audit_record(
            user=user,
            action="decision.create",
            obj=new,
            person=old.person,
            details={"reconsideration_of": old.pk, "appeal": appeal.pk},
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        order_notices_for_replacement(user=user, previous=old, decision=new)
        new.application = old.application
        new.save(update_fields=["application"])
        person_figures_changed(person_ids=[old.person_id])
        appeal.new_decision = new
        appeal.status = AppealStatus.RECONSIDERED_CHANGED
        _close_tasks(
            person=appeal.person,
            kind=TaskKind.APPEAL,
            subject=f"appeal:{appeal.pk}",
            user=user,
            resolution=_("Beslutet ändrat vid omprövning."),
        )
    appeal.reconsidered_on = reconsidered_on
    appeal.reconsideration_note = note
    appeal.save()
    audit_record(
        user=user,
        action="appeal.reconsider",
        obj=appeal,
        person=appeal.person,
        details={"changed": change},
    )
    return appeal


@transaction.atomic
def appeal_forward(
    *, appeal: Appeal, user, forwarded_on: date, court_reference: str = ""
) -> Appeal:
    if appeal.status != AppealStatus.RECEIVED:
        raise ValidationError({"forwarded_on": _("Överklagandet är redan avslutat hos nämnden.")})
    if forwarded_on < appeal.received_on:
        raise ValidationError(
            {"forwarded_on": _("Datumet kan inte vara före det datum överklagandet kom in.")}
        )
    appeal.status = AppealStatus.FORWARDED
    appeal.forwarded_on = forwarded_on
    appeal.court_reference = court_reference
    appeal.save(update_fields=["status", "forwarded_on", "court_reference"])
    _close_tasks(
        person=appeal.person,
        kind=TaskKind.APPEAL,
        subject=f"appeal:{appeal.pk}",
        user=user,
        resolution=_("Överlämnat till förvaltningsrätten."),
    )
    audit_record(user=user, action="appeal.forward", obj=appeal, person=appeal.person)
    return appeal


@transaction.atomic
def appeal_dismiss_late(*, appeal: Appeal, user, on: date, note: str) -> Appeal:
    if appeal.timely:
        raise ValidationError({"note": _("Överklagandet kom in i tid och kan inte avvisas.")})
    if appeal.status != AppealStatus.RECEIVED:
        raise ValidationError({"note": _("Överklagandet är redan avslutat hos nämnden.")})
    appeal.status = AppealStatus.DISMISSED_LATE
    appeal.reconsidered_on = on
    appeal.reconsideration_note = note
    appeal.save(update_fields=["status", "reconsidered_on", "reconsideration_note"])
    _close_tasks(
        person=appeal.person,
        kind=TaskKind.APPEAL,
        subject=f"appeal:{appeal.pk}",
        user=user,
        resolution=_("Avvisat – för sent inkommet."),
    )
    audit_record(user=user, action="appeal.dismiss_late", obj=appeal, person=appeal.person)
    return appeal
