"""No role can read an individual answer (issue 15, item 7). Every route of the authorization
matrix is asked as every role twice: once with one person's answer "Nej", once with the same
person's answer changed to "Vet inte". Both are small counts, so the suppressed aggregates are
the same; a page that differs between the two walks shows something of that one answer."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from folja.accounts.models import Role
from folja.core.tests.test_authorization_matrix import ROUTES
from folja.surveys.models import Answer, Question
from folja.surveys.services import survey_answer, survey_create
from folja.testing.factories import PersonFactory, make_user
from folja.testing.factories_security import build_worlds
from folja.testing.routes import readable_text, walk

pytestmark = pytest.mark.django_db

WHO = (
    "person",
    "representative",
    "caseworker",
    "caseworker_other_district",
    "unit_manager",
    "provider_staff",
    "provider_admin",
    "provider_staff_other",
    "analyst",
    "administrator",
    "anonymous",
)
# Per-request values that differ between any two walks: CSRF tokens and CSP nonces.
VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content=")[^"]+')


def _walk(worlds, who_all=WHO) -> dict[str, str]:
    return {
        f"{a.who} {a.request}": f"{a.status} " + VOLATILE.sub(r"\1", readable_text(a.body))
        for a in walk(worlds, ROUTES, who_all)
    }


@pytest.fixture
def answered(tmp_path):
    with (
        override_settings(MEDIA_ROOT=tmp_path),
        time_machine.travel("2024-06-10 10:00 +02:00", tick=False),
    ):
        worlds = build_worlds()
        x = worlds.own.objects["person"]
        survey = survey_create(
            user=make_user(Role.ANALYST),
            title="Enkät om ledsagning juni",
            audience="persons",
            opens_on=date(2024, 6, 1),
            closes_on=date(2024, 6, 30),
            questions=list(Question.objects.filter(key__in=["flex-three-months"])),
        )
        for _ in range(7):
            person = PersonFactory(district=x.district, sex=x.sex, birth_date=x.birth_date)
            user = make_user(Role.PERSON, person=person)
            survey_answer(
                user=user, survey=survey, person=person, values={"flex-three-months": "yes"}
            )
        survey_answer(
            user=worlds.users["person"], survey=survey, person=x, values={"flex-three-months": "no"}
        )
        yield worlds


def test_changing_one_persons_answer_changes_no_page_for_any_role(answered):
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        with transaction.atomic():
            before = _walk(answered)
        assert Answer.objects.filter(value="no").update(value="unsure") == 1
        with transaction.atomic():
            after = _walk(answered)
        changed = {k for k in before if before[k] != after.get(k)}
        # A page that differs again when the answer is changed back shows something that
        # differs from one request to the next (a random draw), not the answer.
        Answer.objects.filter(value="unsure").update(value="no")
        with transaction.atomic():
            control = _walk(answered, sorted({k.split(" ")[0] for k in changed}))
    # The walk saw the aggregates: the analyst's results page names the survey and the
    # question, so an unchanged page is not a blind spot.
    results = [v for k, v in before.items() if k.startswith("analyst GET /enkater/resultat/")]
    assert results and "Vet du att timmarna" in results[0]
    assert "Enkät om ledsagning juni" in results[0]
    volatile = {k for k in changed if control.get(k) != before[k]}
    assert len(volatile) <= 2, volatile
    assert not any("/enkater/" in k for k in volatile)
    assert sorted(changed - volatile) == []
