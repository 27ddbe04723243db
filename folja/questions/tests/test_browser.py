"""Browser test (real Chromium): a provider's question becomes a published ruling, and every
new page of tillämpningsfrågor has no axe-core violations."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.handbook.models import Ruling, RulingStatus
from folja.questions.models import Question
from folja.rules.luhn import make_personnummer
from folja.testing.browser import axe_violations, login
from folja.testing.factories import DistrictFactory, ProviderFactory, make_user
from folja.testing.factories_questions import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def _axe_clean(page, what: str) -> None:
    assert page.locator("h1").count() == 1, what
    assert _summary(axe_violations(page)) == [], what


def test_a_providers_question_becomes_a_published_ruling_everyone_is_told_of(page):
    district = DistrictFactory(name="Stadsdel Norr")
    other = DistrictFactory(name="Stadsdel Söder")
    make_user(
        Role.PROVIDER_STAFF, username="utforare", provider=ProviderFactory(name="Ledsagning AB")
    )
    make_user(Role.ANALYST, username="analytiker")
    make_user(Role.CASEWORKER, username="handlaggare_soder", district=other)
    activity = make_activity(name="Elitidrott")

    with time_machine.travel(datetime(2026, 3, 2, 10), tick=True):
        login(page, "utforare")
        page.goto("/tillampningsfragor/")
        _axe_clean(page, "the provider's list")
        page.get_by_role("link", name="Ställ en fråga").click()
        page.get_by_label("Aktivitet").select_option(label=activity.name)
        page.get_by_label("Stadsdel som fallet gäller").select_option(label=district.name)
        number = make_personnummer(date(1990, 4, 3), 12)
        page.get_by_label("Fråga och avidentifierat fall").fill(f"Gäller {number}: tävlingar?")
        page.get_by_role("button", name="Skicka frågan").click()
        expect(page.get_by_role("alert")).to_contain_text("personnummer")
        _axe_clean(page, "the ask form with an error")
        page.get_by_label("Fråga och avidentifierat fall").fill(
            "En ung person tävlar i simning på elitnivå och vill ha ledsagning till tävlingar i "
            "andra städer. Ingår det?"
        )
        page.get_by_role("button", name="Skicka frågan").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Elitidrott")
        expect(page.get_by_text("Väntar på svar från centrala förvaltningen.")).to_be_visible()
        _axe_clean(page, "the provider's question")
        question = Question.objects.get()
        page.context.clear_cookies()

    with time_machine.travel(datetime(2026, 3, 9, 14), tick=True):
        login(page, "analytiker")
        page.goto(f"/tillampningsfragor/{question.pk}/")
        _axe_clean(page, "the analyst's answer form")
        page.get_by_label("Svar", exact=True).fill(
            "Träning på hemorten ingår. Resor till tävlingar ingår inte i ledsagning."
        )
        page.get_by_label("Publicera som ny eller ändrad tillämpning i handboken").select_option(
            "covered_with_conditions"
        )
        page.get_by_label("Villkor i tillämpningen").fill("Gäller träning, inte tävlingsresor.")
        page.get_by_role("button", name="Spara svar").click()
        expect(page.get_by_text("Svaret är publicerat som tillämpning, version 1")).to_be_visible()
        _axe_clean(page, "the answered question")
        page.goto("/tillampningsfragor/uppfoljning/")
        _axe_clean(page, "the follow-up")
        expect(page.get_by_role("table").first).to_contain_text("2026 K1")
        page.context.clear_cookies()

        ruling = Ruling.objects.get(activity=activity)
        assert ruling.status == RulingStatus.PUBLISHED and ruling.kind == "covered_with_conditions"

        # Another district is told in its work list, and reads the published answer.
        login(page, "handlaggare_soder")
        page.goto("/handlaggning/arbetslista/")
        notices = page.get_by_role("region", name="Nya svar på tillämpningsfrågor")
        notices.get_by_role("link", name="Elitidrott").click()
        expect(page.get_by_text("Resor till tävlingar ingår inte")).to_be_visible()
        page.get_by_role("button", name="Markera som läst").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tillämpningsfrågor")
        expect(page.get_by_role("region", name="Nya svar")).to_have_count(0)
        page.get_by_label("Sök i frågor och svar").fill("simning")
        page.get_by_role("button", name="Sök").click()
        expect(page.get_by_role("table")).to_contain_text("Elitidrott")
        _axe_clean(page, "the search result")
