import pytest
from django.urls import reverse
from playwright.sync_api import expect

from folja.providers.models import OrderNotice
from folja.testing.browser import axe_violations, login
from folja.testing.factories_providers import provider_world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_provider_portal_pages_have_no_axe_violations(page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world = provider_world()
    # An open notice of a changed decision, so its list and button are checked too.
    decision = world.order.decision
    OrderNotice.objects.create(
        order=world.order,
        old_outcome=decision.outcome,
        new_outcome=decision.outcome,
        old_hours_per_month=decision.hours_per_month - 2,
        new_hours_per_month=decision.hours_per_month,
        old_model=decision.model,
        new_model=decision.model,
    )
    world.admin.set_password("demo")
    world.admin.save()
    login(page, world.admin.username)
    urls = [
        reverse("providers:inbox"),
        reverse("providers:order", args=[world.order.pk]),
        reverse("providers:plan", args=[world.order.pk]),
        reverse("providers:matching", args=[world.order.pk]),
        reverse("providers:book", args=[world.order.pk]),
        reverse("providers:sessions"),
        reverse("providers:escorts"),
        reverse("providers:escort_new"),
        reverse("providers:claims"),
        reverse("providers:claim_new"),
        reverse("providers:tokens"),
        reverse("payments:runs"),
    ]
    found = {}
    page.goto(urls[0])
    assert "Beställningar" in page.locator("h1").inner_text()
    for url in urls:
        page.goto(url)
        assert page.url.endswith(url), url
        violations = axe_violations(page)
        if violations:
            found[url] = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]
    # A form with errors: messages next to fields.
    page.goto(reverse("providers:book", args=[world.order.pk]))
    page.get_by_role("button", name="Boka").click()
    expect(page.locator(".error-summary")).to_be_visible()
    violations = axe_violations(page)
    if violations:
        found["book-errors"] = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations]
    assert found == {}
