"""The analyst's pages in real Chromium: keyboard use and zero axe-core violations."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.testing.browser import axe_violations, login
from folja.testing.factories import DistrictFactory, make_user, reference_data
from folja.testing.factories_simulation import population_with_history


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_investigation_and_pilot_pages_have_no_accessibility_violations(page):
    reference_data()
    district = DistrictFactory(name="Skärholmen", code="SKH")
    today = date.today()
    first = date(today.year - 2, today.month, 1)
    population_with_history(district=district, persons=10, first_month=first)
    make_user(Role.ANALYST, username="analytiker")
    login(page, "analytiker")

    page.goto("/utredning/")
    page.get_by_label("Antal simuleringar").fill("20")
    page.get_by_role("button", name="Kör simuleringen").click()
    expect(page.get_by_role("heading", name="Känslighet")).to_be_visible()
    assert axe_violations(page) == []

    page.goto("/utredning/pilot/")
    page.get_by_label("Namn på försöket").fill("Försök")
    page.get_by_label("Stadsdel").select_option(label="Skärholmen")
    page.get_by_label("Försöket börjar").fill("2020-02-01")
    page.get_by_label("Försöket slutar").fill("2020-01-01")
    page.get_by_role("button", name="Lotta försöksgrupp och kontrollgrupp").click()
    expect(page.get_by_text("Försöket måste sluta efter att det börjar.")).to_be_visible()
    assert axe_violations(page) == []

    # A valid pilot that started half a year ago: its page shows members and the evaluation.
    starts = date(today.year - (1 if today.month <= 6 else 0), (today.month - 7) % 12 + 1, 1)
    page.get_by_label("Försöket börjar").fill(starts.isoformat())
    page.get_by_label("Försöket slutar").fill(today.isoformat())
    page.get_by_label("Antal i försöksgruppen").fill("4")
    page.get_by_role("button", name="Lotta försöksgrupp och kontrollgrupp").click()
    expect(page.get_by_role("heading", name="Utvärdering")).to_be_visible()
    assert axe_violations(page) == []
