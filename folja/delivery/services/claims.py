"""Expense claims on the allowance, with a receipt judged by its content; a claim that would
overdraw the pool waits for the caseworker."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.services_money import claim_review_task_open
from folja.core import clock
from folja.delivery.models import ClaimStatus, CostlyActivityApplication, ExpenseClaim, Session
from folja.delivery.services.common import DeliveryError
from folja.delivery.services.receipts import receipt_clean
from folja.ledger.changed import person_figures_changed
from folja.ledger.expenses import claim_needs_decision
from folja.people.models import Person
from folja.providers.models import Provider


@transaction.atomic
def expense_claim_create(
    *,
    user,
    provider: Provider | None,
    person: Person,
    date: date,
    amount_sek: Decimal,
    description: str,
    receipt: UploadedFile,
    session: Session | None = None,
    costly_activity: CostlyActivityApplication | None = None,
) -> ExpenseClaim:
    """A claim on the person's allowance, from the provider or from the person's own portal
    (`provider` is then the person's current provider, or None), optionally for one of the
    person's costly activities.

    A claim that would overdraw the pooled allowance, and is not covered by an approved
    costly activity, is not accepted silently: it is saved as `pending`, draws nothing, and
    a task brings it to the caseworker, who decides (folja.ledger.expenses)."""
    if amount_sek is None or not amount_sek.is_finite() or amount_sek >= Decimal("10000000"):
        raise DeliveryError("amount_sek", "invalid", _("Ange ett belopp under 10 000 000 kr."))
    amount_sek = amount_sek.quantize(Decimal("0.01"))
    if amount_sek <= 0:
        raise DeliveryError("amount_sek", "invalid", _("Beloppet måste vara större än noll."))
    if not description.strip():
        raise DeliveryError("description", "required", _("Beskriv vad utgiften gäller."))
    if session is not None and (
        provider is None or session.provider_id != provider.pk or session.person_id != person.pk
    ):
        raise DeliveryError("session_id", "unknown_session", _("Okänt pass."))
    if costly_activity is not None and (
        costly_activity.person_id != person.pk or costly_activity.status == ClaimStatus.REJECTED
    ):
        raise DeliveryError(
            "costly_activity_id",
            "unknown_costly_activity",
            _("Aktiviteten finns inte bland personens ansökningar om mer kostsam aktivitet."),
        )
    # What is stored is the cleaned receipt: an image encoded again, a PDF without active
    # content (folja.delivery.services.receipts), never the upload as it came.
    clean = receipt_clean(receipt)
    # Claims for the same person are judged one after the other, so two claims racing each
    # other cannot both fit in what is left of the pool.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    claim = ExpenseClaim(
        person=person,
        provider=provider,
        session=session,
        costly_activity=costly_activity,
        date=date,
        amount_sek=amount_sek,
        description=description.strip()[:200],
        receipt_content_type=clean.content_type,
        submitted_by=user if getattr(user, "pk", None) else None,
    )
    claim.receipt.save(clean.content.name, clean.content, save=False)
    claim.save()
    if claim_needs_decision(person_id=person.pk, claim_id=claim.pk):
        claim.status = ClaimStatus.PENDING
        claim.save(update_fields=["status"])
    # Every claim is the caseworker's to try (expense_claim_decide), whoever sent it in: a
    # provider's claim too, not only the person's own or one that would overdraw the pool.
    claim_review_task_open(claim=claim, today=clock.today())
    audit_record(
        user=user,
        action="expense_claim.create",
        obj=claim,
        person=person,
        details={
            "amount_sek": str(amount_sek),
            "date": date.isoformat(),
            "status": claim.status,
            "costly_activity_id": claim.costly_activity_id,
        },
    )
    person_figures_changed(person_ids=[person.pk])
    return claim
