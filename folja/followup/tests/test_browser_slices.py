"""The execution-rate slices page and the equality page's chart in real Chromium: axe-core
finds nothing, the charts load, and choosing a dimension redraws table and chart."""

from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.testing.browser import axe_violations, login
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_slices_and_equality_pages_have_no_axe_violations(page):
    build_small_city()
    analyst = make_user(Role.ANALYST)
    login(page, analyst.username)
    page.goto("/uppfoljning/utforandegrad/?year=2024")
    assert page.locator("h1").count() == 1
    page.select_option("#id_by", "model")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**by=model**")
    assert page.locator("table tbody th").all_inner_texts() == ["Månadsvis", "Tremånadersperiod"]
    image = page.locator("figure.chart img")
    image.evaluate("img => img.decode()")  # resolves once the chart has loaded
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []
    page.goto("/uppfoljning/likvardighet/?year=2024")
    image = page.locator("figure.chart img")
    image.evaluate("img => img.decode()")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("link", name="Ladda ner CSV").count() == 1
    assert axe_violations(page) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_changed_for_charts_and_ongoing_years_have_no_axe_violations(page):
    from datetime import date

    from folja.testing.factories import DistrictFactory

    build_small_city()
    login(page, make_user(Role.ANALYST).username)
    # The running year: the slices page says its figures are preliminary.
    page.goto(f"/uppfoljning/utforandegrad/?year={date.today().year}")
    assert page.locator("h1").inner_text().startswith("Preliminär")
    assert axe_violations(page) == []
    # A year without data: each chart and its table say so.
    page.goto("/uppfoljning/?year=2012")
    assert page.get_by_text("Inga beslut för perioden.").count() == 1
    assert page.get_by_role("link", name="Tertialrapport (PDF och Excel)").count() == 1
    assert axe_violations(page) == []
    page.goto("/uppfoljning/likvardighet/?year=2024")
    assert page.get_by_role("link", name="Ladda ner Excel").count() == 1
    assert axe_violations(page) == []
    # A unit manager of a district without decisions: their overview and dashboard.
    page.context.clear_cookies()
    login(page, make_user(Role.UNIT_MANAGER, district=DistrictFactory()).username)
    page.goto("/handlaggning/oversikt/")
    assert page.get_by_text("Inga uppgifter för perioden.").count() == 2
    assert axe_violations(page) == []
    page.goto("/uppfoljning/stadsdel/?year=2024")
    assert page.get_by_role("link", name="Tertialrapport (PDF och Excel)").count() == 1
    assert axe_violations(page) == []
