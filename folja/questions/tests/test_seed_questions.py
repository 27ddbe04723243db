"""The demo city comes with tillämpningsfrågor (issue 15, item 3), written through the
services: asked by caseworkers of several districts and by providers, most answered after days
to weeks, some published and a few become a new ruling version, the newest still open; their
handling time shows on the analyst's follow-up dashboard."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from folja.accounts.models import Role, User
from folja.audit.models import AuditEvent
from folja.core.templatetags.figures import number
from folja.core.tests.test_seed_helpers import TODAY
from folja.handbook.models import RulingStatus
from folja.questions import selectors
from folja.questions.handling import days_to_answer
from folja.questions.models import Question

pytestmark = pytest.mark.django_db


def test_the_demo_seed_has_questions_in_every_state_and_the_dashboard_shows_their_handling(
    client,
):
    call_command("seed", scale="demo", today=TODAY, quiet=True, seed_value=3)
    questions = Question.objects.select_related("ruling", "asked_by")
    answered = [q for q in questions if q.answered_at is not None]
    assert len([q for q in questions if q.answered_at is None]) >= 2
    assert any(not q.published for q in answered)
    assert any(q.published and q.ruling is None for q in answered)
    rulings = [q.ruling for q in answered if q.ruling is not None]
    assert len(rulings) >= 2
    assert all(r.illustrative and r.status == RulingStatus.PUBLISHED for r in rulings)
    assert all(r.version > 1 and r.replaces is not None for r in rulings)
    # Caseworkers of several districts ask, and providers do (naming the case's district).
    by_caseworkers = [q for q in questions if q.asked_by.role == Role.CASEWORKER]
    assert len({q.district_id for q in by_caseworkers}) >= 2
    assert any(q.provider_id and q.district_id for q in questions)
    # Days to weeks, and all of it before the seed's today.
    today = date.fromisoformat(TODAY)
    assert all(1 <= days_to_answer(q.asked_at, q.answered_at) <= 62 for q in answered)
    assert all(q.asked_at.date() < today for q in questions)
    assert all(q.answered_at.date() < today for q in answered)
    # Written through the services: each ask and answer has its audit record, naming the
    # synthetic user by name only (seed --replace deletes them; the trail is append-only).
    asked = AuditEvent.objects.filter(action="question_ask")
    assert asked.count() == len(questions)
    assert not asked.filter(user__isnull=False).exists()
    assert AuditEvent.objects.filter(action="question_answer").count() == len(answered)

    # The demo caseworker has a question of their own answered and one open, and the newest
    # published answers wait in their work list.
    caseworker = User.objects.get(username="handlaggare")
    mine = [q for q in questions if q.asked_by == caseworker]
    assert {q.answered_at is None for q in mine} == {True, False}
    assert selectors.open_notices(user=caseworker).exists()

    client.force_login(User.objects.get(username="analytiker"))
    with time_machine.travel(datetime(2026, 11, 23, 12), tick=False):
        page = client.get(reverse("followup:dashboard"), {"year": 2026})
    assert page.status_code == 200
    handbook = page.context["handbook"]
    total = handbook["handling_total"]
    assert [r.label for r in handbook["handling"]] == ["2026 T1", "2026 T2", "2026 T3"]
    assert total.answered == sum(r.answered for r in handbook["handling"]) > 0
    assert total.median_days is not None
    assert total.open_at_end >= 2
    html = page.content.decode()
    assert "Handläggningstid för tillämpningsfrågor" in html
    assert f'<td class="num">{number(total.median_days, 1)}</td>' in html
    assert "Likställighet i gråzoner" in html
