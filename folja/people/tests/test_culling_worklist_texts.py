"""Culling also empties the free texts of the work list's registers (issue 13): the reason a
decision was not carried out, the note on a provider choice and a task's details (a
provider-change request quotes the person)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from folja.accounts.models import Role
from folja.cases.models import NonExecution, Task
from folja.people.services import person_cull
from folja.providers.models import ProviderChoice
from folja.testing.factories import (
    DecisionFactory,
    PersonFactory,
    ProviderFactory,
    legal_basis,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_culling_empties_the_reason_the_note_and_the_task_details():
    with time_machine.travel(datetime(2025, 2, 13, 9, 0), tick=False):
        person = _file()
    with time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False):
        record = person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))

    assert NonExecution.objects.get().reason_text == ""
    assert NonExecution.objects.get().reason == "other"  # the report's category stays
    assert ProviderChoice.objects.get().note == ""
    assert Task.objects.get().details == {}
    assert record.counts["non_executions"] == 1 and record.counts["provider_choices"] == 1


def _file():
    person = PersonFactory(last_entry_on=date(2025, 2, 13), birth_date=date(1980, 5, 17))
    # A SoL file: LSS documentation alone is kept, never culled.
    decision = DecisionFactory(person=person, legal_basis=legal_basis("SoL", date(2024, 2, 10)))
    NonExecution.objects.create(
        decision=decision,
        person=person,
        district=person.district,
        kind="not_started",
        since=decision.decided_on,
        reportable_on=decision.decided_on,
        reason="other",
        reason_text="Ligger på sjukhus efter en operation.",
    )
    ProviderChoice.objects.create(
        decision=decision,
        person=person,
        provider=ProviderFactory(),
        kind="chosen",
        note="Vill ha samma ledsagare som sin syster.",
        recorded_at=timezone.now(),
    )
    Task.objects.create(
        person=person,
        district=person.district,
        kind="provider_change",
        subject="provider_change:1",
        details={"reason": "Min ledsagare är otrevlig."},
    )
    return person
