"""Real Chromium: the person chooses kortskrift where the formats are; the page says the
choice is saved and marks it, axe-core finds nothing, and the key phrases' symbols are real
images that load."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from folja.testing.browser import axe_violations, login
from folja.testing.factories_portal import make_demo_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_person_chooses_kortskrift_and_the_page_passes_axe(page):
    page.set_default_timeout(45_000)
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=True):
        pp = make_demo_person(username="zoe")
        login(page, "zoe")
        page.goto("/information/mina/")
        assert axe_violations(page) == []

        # Every symbol on the page is an image that loaded (not a broken link).
        images = page.locator("section.easy-read img")
        expect(images.first).to_be_visible()
        widths = images.evaluate_all("els => els.map(e => e.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        assert page.locator('li.key-phrase[data-pictogram="hours_left"] img').count() == 1

        page.get_by_role("radio", name="Kortskrift").check()
        page.get_by_role("radio", name="Punktskrift").check()
        page.get_by_role("button", name="Spara mitt val").press("Enter")
        expect(page.get_by_text("Ditt val är sparat.")).to_be_visible()
        expect(page.locator("li", has_text="Punktskrift, kortskrift (.brf)")).to_contain_text(
            "(ditt val)"
        )
        assert axe_violations(page) == []
    pp.person.refresh_from_db()
    assert (pp.person.preferred_format, pp.person.braille_grade) == ("braille", "contracted")
