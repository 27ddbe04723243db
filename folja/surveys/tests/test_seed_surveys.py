"""The demo city comes with answered surveys (issue 15, done means)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from folja.accounts.models import Role, User
from folja.audit.services import log_access
from folja.people.models import Person
from folja.surveys import selectors
from folja.surveys.knowledge import knowledge_spread
from folja.surveys.models import Answer, Audience, Participation, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_seed_has_answers_whose_results_show_and_the_demo_person_is_invited():
    call_command("seed", scale="demo", today="2024-06-10", quiet=True, seed_value=3)
    survey = Survey.objects.get(audience=Audience.PERSONS)
    respondents = Participation.objects.filter(survey=survey).count()
    assert respondents >= 20
    assert Answer.objects.filter(survey=survey).count() == respondents * survey.questions.count()
    assert Answer.objects.filter(survey__audience=Audience.PROVIDERS).exists()
    blocks = selectors.results(survey=survey, dimension="district")
    city = blocks[0]["rows"][-1]
    assert city["total"] == respondents
    assert any(isinstance(c["count"], int) for r in blocks[0]["rows"][:-1] for c in r["cells"])
    assert selectors.awareness_trend(until=survey.closes_on)
    person_user = User.objects.filter(role=Role.PERSON, is_demo=True).first()
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        invited = list(selectors.open_surveys(user=person_user, person=person_user.person))
    assert invited == [survey]


def test_knowledge_spread_counts_persons_who_opened_their_statement():
    call_command("seed", scale="demo", today="2024-06-10", quiet=True, seed_value=3)
    person_user = User.objects.filter(role=Role.PERSON, is_demo=True).first()
    with_service = Person.objects.filter(
        decisions__valid_from__lte=date(2024, 12, 31), decisions__valid_to__gte=date(2024, 1, 1)
    ).distinct()
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        for person in list(with_service.order_by("pk"))[::2]:
            log_access(user=person_user, person=person, what="accessible_statement_daisy")
        rows = knowledge_spread(year=2024)
    city = rows[-1]
    assert city["is_city"] and isinstance(city["persons"], int)
    assert 30 <= city["percent"] <= 70
    assert all(r["opened"] == ".." or r["opened"] >= 5 for r in rows)
