"""The e-application from Mina sidor: the person, or a representative on their behalf, applies
and the application lands in the district's work list.

A document is checked and stored when it is uploaded, before the rest of the form is right:
it is cleaned the way a receipt is (an image encoded again, a PDF without active content;
folja.delivery.services.receipts), kept as the uploader's pending attachment, and joined to
the application when it is sent. A person correcting a field never has to choose the files
again."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from folja.accounts.models import Role
from folja.audit.services import audit_record
from folja.cases.models import (
    Application,
    ApplicationAttachment,
    ApplicationChannel,
    ApplicationKind,
    TaskKind,
)
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.delivery.services import DeliveryError, receipt_clean
from folja.people.models import Person


class AttachmentRefused(Exception):
    """A document that may not be stored; `message` is Swedish, for the field."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refusal(code: str, name: str) -> str:
    messages = {
        "invalid_type": _(
            "Filen ”%(name)s” är inte en bild eller PDF. Använd JPEG, PNG eller PDF."
        ),
        "too_large": _("Filen ”%(name)s” är för stor. Den får vara högst 5 MB."),
        "invalid_image": _(
            "Bilden ”%(name)s” går inte att läsa. Spara eller fotografera den igen."
        ),
        "active_content": _(
            "PDF-filen ”%(name)s” innehåller något som vi inte kan ta emot, till exempel "
            "skript. Spara dokumentet som en ny PDF eller ta ett foto av det."
        ),
    }
    return messages.get(code, messages["invalid_type"]) % {"name": name}


def pending_attachments(*, user, person: Person):
    """What this login has uploaded for `person` and not yet sent."""
    return ApplicationAttachment.objects.visible_to(user).filter(
        person=person, uploaded_by=user, application__isnull=True
    )


@transaction.atomic
def attachment_store(*, user, person: Person, upload: UploadedFile) -> ApplicationAttachment:
    name = (upload.name or "dokument")[:120]
    try:
        clean = receipt_clean(upload)
    except DeliveryError as exc:
        raise AttachmentRefused(exc.code, _refusal(exc.code, name)) from None
    attachment = ApplicationAttachment(
        person=person,
        uploaded_by=user,
        content_type=clean.content_type,
        original_name=name,
    )
    attachment.file.save(clean.content.name, clean.content, save=False)
    attachment.save()
    audit_record(
        user=user,
        action="application_attachment.upload",
        obj=attachment,
        person=person,
        details={"content_type": clean.content_type},
    )
    return attachment


@transaction.atomic
def attachment_discard(*, user, person: Person, attachment_ids: list[int]) -> int:
    """Remove pending uploads the applicant took back; sent documents are never removed here."""
    removed = 0
    for attachment in pending_attachments(user=user, person=person).filter(pk__in=attachment_ids):
        attachment.file.delete(save=False)
        audit_record(
            user=user, action="application_attachment.discard", obj=attachment, person=person
        )
        attachment.delete()
        removed += 1
    return removed


@transaction.atomic
def e_application_submit(
    *,
    user,
    person: Person,
    kind: str,
    needs: str,
    requested_act: str,
    requested_hours_per_month: Decimal | None,
    activities: str = "",
    catalogue_activities: Iterable[int] = (),
) -> Application:
    """Create the application as received today through the e-service, join the applicant's
    pending documents to it, and raise the district's work-list task (owned by the person's
    caseworker, else the unit manager), all in one transaction."""
    from folja.handbook.services import set_application_activities

    application = Application.objects.create(
        person=person,
        district_id=person.district_id,
        received_on=clock.today(),
        kind=kind,
        activities=activities.strip() if kind == ApplicationKind.SPECIFIC else "",
        needs=needs.strip(),
        requested_act=requested_act,
        requested_hours_per_month=requested_hours_per_month,
        channel=ApplicationChannel.E_SERVICE,
        submitted_by=user,
    )
    if kind == ApplicationKind.SPECIFIC:
        set_application_activities(user=user, application=application, ids=catalogue_activities)
    attached = list(pending_attachments(user=user, person=person).values_list("pk", flat=True))
    ApplicationAttachment.objects.filter(pk__in=attached).update(application=application)
    task = task_raise(
        kind=TaskKind.E_APPLICATION,
        person=person,
        subject=f"application:{application.pk}",
        details={
            "application_id": application.pk,
            "kind": kind,
            "requested_act": requested_act,
            "by_representative": user.role == Role.REPRESENTATIVE,
            "attachments": len(attached),
        },
        user=user,
    )
    if task.assigned_to is not None and task.assigned_to.role == Role.CASEWORKER:
        application.caseworker = task.assigned_to
        application.save(update_fields=["caseworker"])
    audit_record(
        user=user,
        action="application.e_submit",
        obj=application,
        person=person,
        details={
            "task_id": task.pk,
            "attachments": attached,
            "by_representative": user.role == Role.REPRESENTATIVE,
        },
    )
    return application
