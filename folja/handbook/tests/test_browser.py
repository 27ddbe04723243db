"""Real Chromium (issue 15, Done means): the analyst publishes a ruling; a caseworker sees it
while deciding; a provider sees it while booking; a person reads it in plain language and
downloads it in braille and DAISY. axe-core finds nothing on each page."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.handbook.models import ApplicationActivity, Ruling, RulingKind, RulingStatus
from folja.testing.browser import axe_violations, login
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    PersonFactory,
    make_user,
    reference_data,
)
from folja.testing.factories_handbook import ActivityFactory, RulingFactory
from folja.testing.factories_portal import make_demo_person
from folja.testing.factories_providers import provider_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def _abroad(**kwargs):
    activity = ActivityFactory(code="resa-utomlands", name="Resa utomlands", grey_zone=True)
    ruling = RulingFactory(
        activity=activity,
        kind=RulingKind.CASE_BY_CASE,
        conditions="Ansök i god tid.",
        reasoning="En resa utomlands bedöms varje gång.",
        **kwargs,
    )
    return activity, ruling


def test_the_analyst_publishes_a_new_version_of_a_ruling(page):
    with time_machine.travel(datetime(2026, 2, 10, 10), tick=True):
        _, old = _abroad()
        make_user(Role.ANALYST, username="analytiker")
        login(page, "analytiker")
        page.goto("/handbok/")
        assert _summary(axe_violations(page)) == []
        page.get_by_role("link", name="Resa utomlands").click()
        page.get_by_role("link", name="Ersätt med en ny version").click()
        expect(page.locator("h1")).to_contain_text("Ny version")
        assert _summary(axe_violations(page)) == []
        page.get_by_label("Ingår med villkor").check()
        page.locator("#id_conditions").fill("Högst en vecka.")
        page.get_by_label("Motivering på klarspråk").fill("En kortare resa kan ingå.")
        page.get_by_label("Gäller från").fill("2026-03-01")
        page.get_by_role("button", name="Spara utkast").click()
        expect(page.get_by_text("Utkastet är sparat.")).to_be_visible()
        assert _summary(axe_violations(page)) == []
        page.get_by_role("button", name="Publicera").click()
        expect(page.get_by_text("Tillämpningen är publicerad.")).to_be_visible()
        expect(page.get_by_text("Högst en vecka.")).to_be_visible()
        page.goto("/handbok/ny/")
        assert _summary(axe_violations(page)) == []
    new = Ruling.objects.get(activity=old.activity, version=2)
    old.refresh_from_db()
    assert new.status == RulingStatus.PUBLISHED and str(old.valid_to) == "2026-02-28"


def test_a_caseworker_sees_the_ruling_while_deciding(page):
    with time_machine.travel(datetime(2024, 6, 14, 10), tick=True):
        reference_data()
        activity, _ = _abroad()
        caseworker = make_user(Role.CASEWORKER, username="handlaggare")
        person = PersonFactory(district=caseworker.district)
        application = AssessmentFactory(application=ApplicationFactory(person=person)).application
        ApplicationActivity.objects.create(application=application, activity=activity)
        login(page, "handlaggare")
        page.goto(f"/handlaggning/ansokan/{application.pk}/beslut/")
        rulings = page.locator("#handbook-rulings")
        expect(rulings).to_contain_text("Resa utomlands")
        expect(rulings).to_contain_text("Bedöms i varje enskilt fall")
        expect(rulings).to_contain_text("Ansök i god tid.")
        expect(rulings).to_contain_text(".. beviljade, .. avslagna")  # none: suppressed
        assert _summary(axe_violations(page)) == []


def test_a_provider_sees_the_ruling_while_booking_and_notes_how_it_was_applied(page):
    with time_machine.travel(datetime(2024, 2, 19, 9), tick=True):
        world = provider_world()
        activity, _ = _abroad()
        world.staff.username = "utforare"
        world.staff.save(update_fields=["username"])
        login(page, "utforare")
        page.goto(f"/utforare/bestallning/{world.order.pk}/boka/")
        expect(page.locator(f'details[data-activity="{activity.code}"]')).to_contain_text(
            "Bedöms i varje enskilt fall"
        )
        assert _summary(axe_violations(page)) == []
        page.get_by_label("Start").fill("2024-02-20T18:00")
        page.get_by_label("Slut").fill("2024-02-20T21:30")
        page.locator("#id_handbook_activity").select_option(label="Resa utomlands")
        page.get_by_role("button", name="Boka").click()
        expect(page.locator("#handbook-ruling")).to_contain_text("Ansök i god tid.")
        expect(page.get_by_text("Skriv hur ni har tillämpat handboken").first).to_be_visible()
        assert _summary(axe_violations(page)) == []
        page.locator("#id_handbook_note").fill("Handläggaren godkände resan.")
        page.get_by_role("button", name="Boka").click()
        expect(page.get_by_text("Passet är bokat.")).to_be_visible()
    assert world.order.sessions.get().handbook_ruling.note == "Handläggaren godkände resan."


def test_a_person_reads_the_ruling_in_plain_language_and_downloads_braille_and_daisy(page):
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=True):
        pp = make_demo_person(username="berit")
        activity, _ = _abroad(illustrative=True)
        ApplicationActivity.objects.create(
            application=ApplicationFactory(person=pp.person), activity=activity
        )
        login(page, "berit")
        page.goto("/information/mina/")
        expect(
            page.get_by_text("Resa utomlands: din handläggare bedömer det varje gång.")
        ).to_be_visible()
        expect(page.get_by_text("Det här är en exempeltext.").first).to_be_visible()
        assert _summary(axe_violations(page)) == []
        with page.expect_download() as braille:
            page.get_by_role("link", name="Punktskrift, fullskrift (.brf)").click()
        assert braille.value.suggested_filename.endswith(".brf")
        assert braille.value.failure() is None
        with page.expect_download() as daisy:
            page.get_by_role("link", name="Talbok (Daisy 2.02)").click()
        assert daisy.value.suggested_filename.endswith(".zip")
        assert daisy.value.failure() is None
