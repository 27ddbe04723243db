"""Bad input on the survey forms is a Swedish field error, never a 5xx."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folja.accounts.models import Role
from folja.surveys.models import Question
from folja.surveys.services import survey_create
from folja.testing.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

TEXT = st.text(max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=TEXT, audience=TEXT, opens=TEXT, closes=TEXT, question=TEXT, survey=TEXT, by=TEXT)
def test_the_survey_forms_never_fail(title, audience, opens, closes, question, survey, by):
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        analyst = make_user(Role.ANALYST)
        created = survey_create(
            user=analyst,
            title="Enkät",
            audience="persons",
            opens_on=date(2024, 6, 1),
            closes_on=date(2024, 6, 30),
            questions=list(Question.objects.all()[:2]),
        )
        client = Client(raise_request_exception=False)
        client.force_login(analyst)
        data = {"title": title, "audience": audience, "opens_on": opens, "closes_on": closes}
        assert client.post("/enkater/", {**data, "questions": [question]}).status_code < 500
        assert client.get("/enkater/resultat/", {"survey": survey, "by": by}).status_code < 500
        person = PersonFactory()
        client.force_login(make_user(Role.PERSON, person=person))
        key = created.questions.first().key
        url = f"/enkater/svara/?survey={created.pk}"
        assert client.post(url, {key: question}).status_code < 500
        assert client.get("/enkater/svara/", {"survey": survey}).status_code < 500
