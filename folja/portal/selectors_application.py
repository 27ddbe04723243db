"""Reads for the person's applications on Mina sidor: what they sent and where it stands."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from folja.cases.models import Application, ApplicationStatus, Decision
from folja.people.models import Person


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    # The decision in force on it, if decided: a replaced decision is never shown as the answer.
    decision: Decision | None
    attachments: int

    @property
    def status_text(self) -> str:
        """The status in the person's words."""
        status = self.application.status
        if status == ApplicationStatus.RECEIVED:
            return _("Mottagen. Din handläggare hör av sig.")
        if status == ApplicationStatus.ASSESSING:
            return _("Handläggaren utreder din ansökan.")
        if status == ApplicationStatus.WITHDRAWN:
            return _("Återtagen.")
        if self.decision is None:
            return _("Beslutad.")
        return _("Beslutad: %(outcome)s.") % {"outcome": self.decision.get_outcome_display()}


def person_applications(*, user, person: Person) -> list[ApplicationRow]:
    applications = (
        Application.objects.visible_to(user)
        .filter(person=person)
        .annotate(n_attachments=Count("attachments"))
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.visible_to(user).filter(superseded_by__isnull=True),
                to_attr="decisions_in_force",
            )
        )
        .order_by("-received_on", "-id")
    )
    return [
        ApplicationRow(
            application=a,
            decision=a.decisions_in_force[0] if a.decisions_in_force else None,
            attachments=a.n_attachments,
        )
        for a in applications
    ]
