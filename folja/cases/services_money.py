"""The caseworker's decisions on money: expense claims drawn on the allowance and applications
for costly-activity money. Each decision is one transaction that also writes its audit record
and closes the work-list task the request created, so the person sees the answer and the
caseworker's list is not left with a request that was already handled."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Task, TaskKind
from folja.cases.selectors import costly_ceiling_left
from folja.cases.services_tasks import REQUEST_DUE_DAYS, task_owners, task_raise
from folja.core.clock import today as local_today
from folja.delivery.models import ClaimStatus, CostlyActivityApplication, ExpenseClaim
from folja.ledger.changed import person_figures_changed
from folja.ledger.expenses import claim_needs_decision
from folja.people.models import Person

CENT = Decimal("0.01")
# A claim waits for a decision while it is submitted, or pending because it would overdraw.
UNDECIDED_CLAIM = (ClaimStatus.SUBMITTED, ClaimStatus.PENDING)


def claim_task_subject(claim: ExpenseClaim) -> str:
    return f"expense_claim:{claim.pk}"


def costly_task_subject(application: CostlyActivityApplication) -> str:
    return f"costly_activity:{application.pk}"


def request_task_open(
    *, person: Person, kind: str, subject: str, details: dict, today: date, user=None
) -> Task:
    """The work-list task that brings a request to the person's district, opened once per
    subject: a door that opens it again (the portal after the claim service) gets the same
    task back. The one task service gives it its owner."""
    return task_raise(
        kind=kind,
        person=person,
        subject=subject,
        details=details,
        due_on=today + timedelta(days=REQUEST_DUE_DAYS),
        user=user,
    )


def claim_review_task_open(*, claim: ExpenseClaim, today: date) -> Task:
    return request_task_open(
        person=claim.person,
        kind=TaskKind.EXPENSE_REVIEW,
        subject=claim_task_subject(claim),
        details={
            "expense_claim_id": claim.pk,
            "amount_sek": str(claim.amount_sek),
            "status": claim.status,
        },
        today=today,
    )


def request_tasks_backfill(*, district_id: int | None = None, user=None) -> int:
    """Raise the task of every undecided claim and costly-activity application that has none:
    rows written in bulk (the demo seed, an import) bypass the services that raise them. Run
    by the daily work-list job, so a request never waits unseen. Returns how many were new."""
    claims = ExpenseClaim.objects.filter(status__in=UNDECIDED_CLAIM).select_related("person")
    costly = CostlyActivityApplication.objects.filter(status=ClaimStatus.SUBMITTED).select_related(
        "person"
    )
    if district_id is not None:
        claims = claims.filter(person__district_id=district_id)
        costly = costly.filter(person__district_id=district_id)
    claims = claims.filter(person__culled_at__isnull=True)
    costly = costly.filter(person__culled_at__isnull=True)
    have = set(
        Task.objects.filter(
            kind__in=[TaskKind.EXPENSE_REVIEW, TaskKind.COSTLY_ACTIVITY]
        ).values_list("subject", flat=True)
    )
    todo: list[tuple[Person, str, str, dict, date]] = []
    for claim in claims:
        if claim_task_subject(claim) not in have:
            todo.append(
                (
                    claim.person,
                    TaskKind.EXPENSE_REVIEW,
                    claim_task_subject(claim),
                    {
                        "expense_claim_id": claim.pk,
                        "amount_sek": str(claim.amount_sek),
                        "status": claim.status,
                    },
                    claim.created_at.date() + timedelta(days=REQUEST_DUE_DAYS),
                )
            )
    for application in costly:
        if costly_task_subject(application) not in have:
            todo.append(
                (
                    application.person,
                    TaskKind.COSTLY_ACTIVITY,
                    costly_task_subject(application),
                    {
                        "costly_activity_id": application.pk,
                        "activity": application.activity,
                        "date": application.date.isoformat(),
                        "estimated_cost_sek": str(application.estimated_cost_sek),
                    },
                    application.created_at.date() + timedelta(days=REQUEST_DUE_DAYS),
                )
            )
    by_district: dict[int, set[int]] = {}
    for person, *_rest in todo:
        by_district.setdefault(person.district_id, set()).add(person.pk)
    owners: dict[int, object] = {}
    for d_id, person_ids in by_district.items():
        owners.update(task_owners(district_id=d_id, person_ids=person_ids))
    for person, kind, subject, details, due_on in todo:
        task_raise(
            kind=kind,
            person=person,
            subject=subject,
            details=details,
            due_on=due_on,
            user=user,
            owner=owners.get(person.pk),
        )
    return len(todo)


def _close_request_task(*, person_id: int, kind: str, subject: str, user, resolution: str) -> None:
    Task.objects.filter(
        person_id=person_id, kind=kind, subject=subject, closed_at__isnull=True
    ).update(closed_at=timezone.now(), closed_by=user, resolution=resolution[:2000])


def _note(*, approve: bool, note: str) -> str:
    note = note.strip()
    if not approve and not note:
        # The person has the right to know why; a refusal without reasons cannot be explained.
        raise ValidationError({"note": _("Skriv skälet till avslaget.")})
    return note


@transaction.atomic
def expense_claim_decide(*, claim: ExpenseClaim, user, approve: bool, note: str) -> ExpenseClaim:
    """Approve or refuse an expense claim. An approved claim counts as allowance used (one that
    waited because it would overdraw the pool then draws on it beyond the allowance: the
    caseworker decided that the municipality pays it); a refused one is left out of the
    balance."""
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in UNDECIDED_CLAIM:
        raise ValidationError({"verdict": _("Utlägget är redan prövat.")})
    claim.decision_note = _note(approve=approve, note=note)
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decided_by = user
    claim.decided_on = local_today()
    claim.save(update_fields=["status", "decision_note", "decided_by", "decided_on"])
    _close_request_task(
        person_id=claim.person_id,
        kind=TaskKind.EXPENSE_REVIEW,
        subject=claim_task_subject(claim),
        user=user,
        resolution=f"{claim.get_status_display()}. {claim.decision_note}".strip(),
    )
    audit_record(
        user=user,
        action="expense_claim.decide",
        obj=claim,
        person=claim.person,
        details={"status": claim.status, "amount_sek": str(claim.amount_sek)},
    )
    person_figures_changed(person_ids=[claim.person_id])
    return claim


@transaction.atomic
def costly_activity_decide(
    *,
    application: CostlyActivityApplication,
    user,
    approve: bool,
    approved_amount_sek: Decimal | None,
    note: str,
) -> CostlyActivityApplication:
    """Grant or refuse money for a costly activity, within the guideline's yearly ceiling."""
    application = CostlyActivityApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ClaimStatus.SUBMITTED:
        raise ValidationError({"verdict": _("Ansökan är redan prövad.")})
    note = _note(approve=approve, note=note)
    amount = None
    if approve:
        if approved_amount_sek is None or approved_amount_sek <= 0:
            raise ValidationError(
                {"approved_amount_sek": _("Skriv hur mycket som beviljas, i kronor.")}
            )
        amount = approved_amount_sek.quantize(CENT)
        left = costly_ceiling_left(application=application)
        if left is not None and amount > left:
            raise ValidationError(
                {
                    "approved_amount_sek": _(
                        "Beloppet är större än vad som återstår av årets tak: %(left)s kr."
                    )
                    % {"left": left}
                }
            )
    application.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    application.approved_amount_sek = amount
    application.decision_note = note
    application.decided_by = user
    application.decided_on = local_today()
    application.save(
        update_fields=["status", "approved_amount_sek", "decision_note", "decided_by", "decided_on"]
    )
    _close_request_task(
        person_id=application.person_id,
        kind=TaskKind.COSTLY_ACTIVITY,
        subject=costly_task_subject(application),
        user=user,
        resolution=f"{application.get_status_display()}. {note}".strip(),
    )
    audit_record(
        user=user,
        action="costly_activity.decide",
        obj=application,
        person=application.person,
        details={"status": application.status, "approved_amount_sek": str(amount or "")},
    )
    if approve:
        _release_covered_claims(application=application, user=user)
    person_figures_changed(person_ids=[application.person_id])  # its claims are covered now
    return application


def _release_covered_claims(*, application: CostlyActivityApplication, user) -> None:
    """Claims for the activity that waited because they would have overdrawn the pool, and that
    the approved amount now covers, need no decision of their own any more: they count as
    submitted and their tasks close, saying why."""
    waiting = ExpenseClaim.objects.select_for_update().filter(
        costly_activity=application, status=ClaimStatus.PENDING
    )
    for claim in waiting.order_by("date", "id"):
        if claim_needs_decision(person_id=claim.person_id, claim_id=claim.pk):
            continue
        claim.status = ClaimStatus.SUBMITTED
        claim.save(update_fields=["status"])
        _close_request_task(
            person_id=claim.person_id,
            kind=TaskKind.EXPENSE_REVIEW,
            subject=claim_task_subject(claim),
            user=user,
            resolution=_("Täcks av de beviljade pengarna för mer kostsam aktivitet."),
        )
        audit_record(
            user=user,
            action="expense_claim.covered_by_activity",
            obj=claim,
            person=claim.person,
            details={"costly_activity_id": application.pk, "amount_sek": str(claim.amount_sek)},
        )
