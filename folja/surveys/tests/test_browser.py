"""axe-core on every survey page, and a person answering a survey with the keyboard only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from folja.accounts.models import Role
from folja.core import clock
from folja.surveys.bank import BANK
from folja.surveys.models import Answer, Question
from folja.surveys.services import survey_create
from folja.testing.browser import axe_violations, login
from folja.testing.factories import PersonFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def _open_survey(audience="persons"):
    # A transactional test flushes the tables, the bank migration's rows too: load it again.
    for position, (key, topic, kind, text) in enumerate(BANK):
        Question.objects.get_or_create(
            key=key, defaults={"topic": topic, "kind": kind, "text": text, "position": position}
        )
    today = clock.today()
    return survey_create(
        user=make_user(Role.ANALYST),
        title="Enkät om ledsagning",
        audience=audience,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        questions=list(Question.objects.filter(key__in=["flex-three-months", "satisfied-escort"])),
    )


def test_the_survey_pages_have_no_axe_violations(page):
    _open_survey()
    make_user(Role.ANALYST, username="analytiker")
    login(page, "analytiker")
    for url in (
        "/enkater/",
        "/enkater/resultat/",
        "/enkater/resultat/?by=age_band",
        "/enkater/resultat/?by=month",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert _summary(axe_violations(page)) == [], url
    page.goto("/enkater/")
    page.click("text=Skapa och öppna enkäten")  # empty form: the error summary
    page.wait_for_selector("#error-summary")
    assert _summary(axe_violations(page)) == []


def test_a_person_answers_the_survey_with_the_keyboard_only(page):
    person = PersonFactory()
    make_user(Role.PERSON, person=person, username="brukare")
    _open_survey()
    login(page, "brukare")
    page.goto("/enkater/svara/")
    assert _summary(axe_violations(page)) == []
    # Tab to the first question's first option, choose with Space, arrow to "Nej" in the same
    # group, Tab on to the scale and choose, then Tab to the button and press Enter.
    first = page.locator('input[name="flex-three-months"]').first
    page.keyboard.press("Tab")
    for _ in range(60):
        if page.evaluate("document.activeElement.name") == "flex-three-months":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "flex-three-months"
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("ArrowDown")
    assert page.locator('input[name="flex-three-months"][value="no"]').is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "satisfied-escort"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tack för dina svar!")
    assert _summary(axe_violations(page)) == []
    assert sorted(Answer.objects.values_list("value", flat=True)) == ["5", "no"]
