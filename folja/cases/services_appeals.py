"""Writes for appeals: registration with the timeliness check, reconsideration (omprövning),
forwarding to the administrative court, dismissal of a late appeal (with its own letter), and
the court's judgment.

A reconsideration or a judgment that changes the decision replaces it the one way
(`_replace_decision`): a new Decision, the old one marked superseded by it, the person's
orders following it (their provider gets a notice of the changed hours) and the ledger told."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.letters import render_dismissal_html, render_letter_pdf
from folja.cases.models import (
    Appeal,
    AppealStatus,
    CourtOutcome,
    Decision,
    DecisionLetter,
    LetterKind,
    Outcome,
    Task,
    TaskKind,
)
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.core.clock import today as local_today
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person
from folja.providers.services import order_notices_for_replacement
from folja.rules.deadlines import appeal_deadline


def _close_tasks(*, person: Person, kind: str, subject: str, user, resolution: str) -> None:
    for task in Task.objects.filter(
        person=person, kind=kind, subject=subject, closed_at__isnull=True
    ):
        task.closed_at = clock.now()
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
    # Through the one task service: the owner is the person's caseworker, else the unit
    # manager (the decision's caseworker may have left, or the decision was imported).
    task_raise(
        kind=TaskKind.APPEAL,
        person=decision.person,
        subject=f"appeal:{appeal.pk}",
        details={"appeal_id": appeal.pk, "decision_id": decision.pk},
        due_on=received_on,
        user=user,
    )
    audit_record(
        user=user,
        action="appeal.register",
        obj=appeal,
        person=decision.person,
        details={"timely": appeal.timely, "deadline": deadline.isoformat()},
    )
    return appeal


def decision_in_force_of(decision: Decision) -> Decision:
    """The decision that now stands in `decision`'s place: itself, or the end of the chain of
    decisions that replaced it."""
    seen = set()
    while decision.superseded_by_id is not None and decision.pk not in seen:
        seen.add(decision.pk)
        decision = Decision.objects.get(pk=decision.superseded_by_id)
    return decision


def _validity_errors(
    *, outcome: str, hours_per_month, valid_from: date | None, valid_to: date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if outcome == Outcome.REJECTED:
        return errors
    if hours_per_month is None or hours_per_month <= 0:
        errors["hours_per_month"] = _("Ange beviljade timmar per månad.")
    if valid_from is None:
        errors["valid_from"] = _(
            "Det tidigare beslutet var ett avslag och har ingen giltighetstid: ange från vilket "
            "datum det nya beslutet gäller."
        )
    if valid_to is None:
        errors["valid_to"] = _("Beslutet ska vara tidsbegränsat: ange slutdatum.")
    elif valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("Slutdatum kan inte vara före startdatum.")
    return errors


def _replace_decision(
    *,
    old: Decision,
    user,
    decided_on: date,
    outcome: str,
    hours_per_month: Decimal | None,
    valid_from: date | None,
    valid_to: date | None,
    reasons: str,
    rejected_parts: list[dict],
    appeal: Appeal,
    origin: str,
) -> Decision:
    granted = outcome != Outcome.REJECTED
    new = Decision.objects.create(
        person=old.person,
        # Linked to the application only once the old decision is superseded: an
        # application has one decision in force (one_decision_in_force_per_application).
        application=None,
        district_id=old.district_id,
        caseworker=user,
        decided_on=decided_on,
        outcome=outcome,
        legal_basis=old.legal_basis,
        requested_hours_per_month=old.requested_hours_per_month,
        hours_per_month=hours_per_month if granted else None,
        model=old.model,
        guideline_version=old.guideline_version,
        double_staffing=old.double_staffing if granted else False,
        valid_from=valid_from if granted else None,
        valid_to=valid_to if granted else None,
        reasons=reasons,
        rejected_parts=[] if outcome == Outcome.GRANTED else rejected_parts,
    )
    audit_record(
        user=user,
        action="decision.create",
        obj=new,
        person=old.person,
        details={"replaces": old.pk, "appeal": appeal.pk, "origin": origin},
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    audit_record(
        user=user,
        action="decision.supersede",
        obj=old,
        person=old.person,
        details={"superseded_by": new.pk, "appeal": appeal.pk, "origin": origin},
    )
    # The provider of each order standing on the old decision sees the change (OrderNotice);
    # the orders themselves follow the chain of decisions in force.
    order_notices_for_replacement(user=user, previous=old, decision=new)
    new.application = old.application
    new.save(update_fields=["application"])
    person_figures_changed(person_ids=[old.person_id])
    return new


def _rejected_parts_for(*, outcome: str, old: Decision, note: str) -> list[dict]:
    if outcome == Outcome.GRANTED:
        return []
    if old.rejected_parts:
        return old.rejected_parts
    return [{"part": _("Det som inte beviljas"), "reason": note}]


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
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Appeal:
    """Omprövning: the authority may change its own decision (a new Decision replacing it) or
    keep it, in which case the appeal goes on to the court. A full rejection can be changed to
    a grant: it has no validity of its own, so the new decision's is asked for
    (`valid_from`/`valid_to`; otherwise the old decision's validity is kept)."""
    if appeal.status != AppealStatus.RECEIVED or appeal.reconsidered_on is not None:
        raise ValidationError({"change": _("Överklagandet är redan omprövat.")})
    if not appeal.timely:
        raise ValidationError({"change": _("Ett för sent inkommet överklagande avvisas.")})
    if reconsidered_on < appeal.received_on:
        raise ValidationError(
            {
                "reconsidered_on": _(
                    "Omprövningen kan inte vara före det datum överklagandet kom in."
                )
            }
        )
    if change:
        old = decision_in_force_of(appeal.decision)
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Välj det ändrade beslutets utfall.")})
        valid_from = valid_from or old.valid_from
        valid_to = valid_to or old.valid_to
        errors = _validity_errors(
            outcome=outcome,
            hours_per_month=hours_per_month,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        if errors:
            raise ValidationError(errors)
        new = _replace_decision(
            old=old,
            user=user,
            decided_on=reconsidered_on,
            outcome=outcome,
            hours_per_month=hours_per_month,
            valid_from=valid_from,
            valid_to=valid_to,
            reasons=reasons or note,
            rejected_parts=_rejected_parts_for(outcome=outcome, old=old, note=note),
            appeal=appeal,
            origin="reconsideration",
        )
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
    """Forward an appeal the authority did not change to the administrative court. The
    authority must first have reconsidered it (förvaltningslagen 45 §): forwarding without a
    recorded reconsideration is refused."""
    if appeal.status != AppealStatus.RECEIVED:
        raise ValidationError({"forwarded_on": _("Överklagandet är redan avslutat hos nämnden.")})
    if appeal.reconsidered_on is None:
        raise ValidationError(
            {
                "forwarded_on": ValidationError(
                    _(
                        "Pröva först om beslutet ska ändras (omprövning). Ett överklagande "
                        "lämnas över till förvaltningsrätten först när omprövningen är gjord."
                    ),
                    code="not_reconsidered",
                )
            }
        )
    if forwarded_on < appeal.reconsidered_on:
        raise ValidationError({"forwarded_on": _("Datumet kan inte vara före omprövningen.")})
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


def _issue_dismissal_letter(*, appeal: Appeal, user, notified_on: date) -> DecisionLetter:
    # A dismissal is a decision of its own and can itself be appealed: three weeks from the
    # day the person is notified of it.
    deadline = appeal_deadline(notified_on)
    html = render_dismissal_html(appeal=appeal, caseworker=user, appeal_deadline=deadline)
    pdf = render_letter_pdf(html)
    letter = DecisionLetter.objects.create(
        decision=appeal.decision,
        kind=LetterKind.DISMISSAL,
        appeal=appeal,
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
        action="dismissal_letter.issue",
        obj=letter,
        person=appeal.person,
        details={"appeal": appeal.pk, "sha256": letter.sha256},
    )
    return letter


@transaction.atomic
def appeal_dismiss_late(
    *, appeal: Appeal, user, on: date, note: str, notified_on: date | None = None
) -> Appeal:
    """Avvisning of a late appeal: recorded as a dismissal (not a reconsideration) and sent
    to the person in a letter of its own, with how to appeal the dismissal."""
    if appeal.timely:
        raise ValidationError({"note": _("Överklagandet kom in i tid och kan inte avvisas.")})
    if appeal.status != AppealStatus.RECEIVED:
        raise ValidationError({"note": _("Överklagandet är redan avslutat hos nämnden.")})
    if on < appeal.received_on:
        raise ValidationError(
            {"dismissed_on": _("Avvisningen kan inte vara före det datum överklagandet kom in.")}
        )
    notified_on = notified_on or on
    if appeal_deadline(notified_on) < local_today():
        raise ValidationError(
            {"notified_on": _("Sista dag att överklaga avvisningen har redan passerat.")}
        )
    appeal.status = AppealStatus.DISMISSED_LATE
    appeal.dismissed_on = on
    appeal.dismissal_note = note
    appeal.save(update_fields=["status", "dismissed_on", "dismissal_note"])
    _issue_dismissal_letter(appeal=appeal, user=user, notified_on=notified_on)
    _close_tasks(
        person=appeal.person,
        kind=TaskKind.APPEAL,
        subject=f"appeal:{appeal.pk}",
        user=user,
        resolution=_("Avvisat – för sent inkommet."),
    )
    audit_record(user=user, action="appeal.dismiss_late", obj=appeal, person=appeal.person)
    return appeal


@transaction.atomic
def appeal_judgment(
    *,
    appeal: Appeal,
    user,
    judged_on: date,
    court_outcome: str,
    note: str,
    hours_per_month: Decimal | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Appeal:
    """Record the administrative court's judgment. Bifall or delvis bifall changes the
    decision: the court's hours replace the decision in force (as a reconsideration would);
    avslag leaves it standing."""
    if appeal.status != AppealStatus.FORWARDED:
        raise ValidationError(
            {"judged_on": _("Bara ett överklagande som lämnats över till domstolen kan få en dom.")}
        )
    if court_outcome not in CourtOutcome.values:
        raise ValidationError({"court_outcome": _("Välj domstolens utfall.")})
    if appeal.forwarded_on and judged_on < appeal.forwarded_on:
        raise ValidationError(
            {"judged_on": _("Domen kan inte vara före det datum överklagandet lämnades över.")}
        )
    new = None
    if court_outcome != CourtOutcome.REJECTED:
        old = decision_in_force_of(appeal.decision)
        valid_from = valid_from or old.valid_from
        valid_to = valid_to or old.valid_to
        errors = _validity_errors(
            outcome=Outcome.GRANTED,
            hours_per_month=hours_per_month,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        if errors:
            raise ValidationError(errors)
        outcome = (
            Outcome.GRANTED if court_outcome == CourtOutcome.GRANTED else Outcome.PARTLY_REJECTED
        )
        new = _replace_decision(
            old=old,
            user=user,
            decided_on=judged_on,
            outcome=outcome,
            hours_per_month=hours_per_month,
            valid_from=valid_from,
            valid_to=valid_to,
            reasons=_("Förvaltningsrättens dom %(ref)s: %(note)s")
            % {"ref": appeal.court_reference or judged_on.isoformat(), "note": note},
            rejected_parts=_rejected_parts_for(outcome=outcome, old=old, note=note),
            appeal=appeal,
            origin="court",
        )
    appeal.status = AppealStatus.DECIDED_BY_COURT
    appeal.judged_on = judged_on
    appeal.court_outcome = court_outcome
    appeal.court_note = note
    appeal.court_decision = new
    appeal.save(
        update_fields=["status", "judged_on", "court_outcome", "court_note", "court_decision"]
    )
    audit_record(
        user=user,
        action="appeal.judgment",
        obj=appeal,
        person=appeal.person,
        details={"court_outcome": court_outcome, "new_decision": new.pk if new else None},
    )
    return appeal
