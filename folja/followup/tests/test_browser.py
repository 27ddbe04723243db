"""The analyst's dashboard in real Chromium: no axe violations, charts load."""

from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.testing.browser import axe_violations, login
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_follow_up_dashboard_has_no_axe_violations(page):
    build_small_city()
    analyst = make_user(Role.ANALYST)
    login(page, analyst.username)
    page.goto("/uppfoljning/?year=2024")
    assert page.locator("h1").count() == 1
    images = page.locator("figure.chart img")
    assert images.count() == 4
    for i in range(4):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []
    page.goto("/uppfoljning/likvardighet/?year=2024")
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tertial_report_pages_have_no_axe_violations(page):
    build_small_city()
    login(page, make_user(Role.ANALYST).username)
    page.goto("/uppfoljning/tertialrapport/")
    assert axe_violations(page) == []
    page.select_option("#id_year", "2024")
    page.select_option("#id_tertial", "1")
    page.get_by_role("button", name="Skapa rapporten").click()
    # The job runs at once in tests; the progress page then shows the finished report.
    page.wait_for_selector("#result-heading")
    assert page.locator("a[href$='rapport.pdf']").count() == 1
    assert axe_violations(page) == []
