"""Culling reaches what issue 13 added to a file: the person's own words in an e-application,
the documents sent with it, and the reasons of a dismissal and of a court's judgment."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.files.base import ContentFile

from folja.accounts.models import Role
from folja.cases.models import Appeal, Application, ApplicationAttachment
from folja.people.services import person_cull
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    PersonFactory,
    legal_basis,
    make_user,
)
from folja.testing.receipts import PNG

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_culling_clears_the_e_application_its_documents_and_the_appeal_reasons(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = PersonFactory(last_entry_on=date(2025, 2, 13), birth_date=date(1980, 5, 17))
    application = ApplicationFactory(
        person=person, requested_act="SoL", needs="Jag bor med min syster och ser dåligt."
    )
    attachment = ApplicationAttachment(
        application=application, person=person, content_type="image/png", original_name="i.png"
    )
    attachment.file.save("i.png", ContentFile(PNG), save=True)
    stored = attachment.file.path
    decision = DecisionFactory(
        person=person, application=application, legal_basis=legal_basis("SoL")
    )
    appeal = Appeal.objects.create(
        decision=decision,
        person=person,
        received_on=date(2024, 4, 1),
        deadline=date(2024, 3, 4),
        timely=False,
        status="dismissed_late",
        dismissed_on=date(2024, 4, 2),
        dismissal_note="Anna skickade det för sent.",
        court_note="Annas syster vittnade.",
    )
    person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))
    assert Application.objects.get(pk=application.pk).needs == ""
    assert not ApplicationAttachment.objects.filter(person=person).exists()
    assert not (tmp_path / "media").joinpath(stored).exists()
    appeal.refresh_from_db()
    assert appeal.dismissal_note == "" and appeal.court_note == ""
