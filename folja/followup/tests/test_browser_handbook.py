"""The analyst's dashboard in real Chromium with the activity handbook's section filled in:
handling time of tillämpningsfrågor and a flagged grey-zone practice, no axe violations, and
the section is reached from the top of the page and links on to the questions."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from folja.testing.browser import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboards_handbook_section_has_no_axe_violations_and_links_to_the_questions(
    page, handbook_city
):
    with time_machine.travel(datetime(2024, 6, 10, 12), tick=True):
        login(page, handbook_city["analyst"].username)
        page.goto("/uppfoljning/?year=2024&tertial=1")
        page.get_by_role("link", name="Handläggningstid för tillämpningsfrågor").click()
        table = page.get_by_role("table", name="Ställda och besvarade tillämpningsfrågor")
        expect(table).to_contain_text("2024 T1")
        expect(table).to_contain_text("4,0")
        expect(page.get_by_role("note").filter(has_text="Avviker")).to_contain_text("Aström")
        assert axe_violations(page) == []
        page.get_by_role("link", name="Uppföljning av aktivitetshandboken").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Uppföljning av aktivitetshandboken"
        )
