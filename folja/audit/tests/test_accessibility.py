"""axe-core in real Chromium on the log-review pages and the account pages staff use."""

from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.audit.services import log_access
from folja.testing.browser import axe_violations, login
from folja.testing.factories import PersonFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _summary(violations: list[dict]) -> list[tuple[str, list]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_the_log_review_and_account_pages_have_no_axe_violations(page):
    manager = make_user(Role.UNIT_MANAGER, username="enhetschef")
    person = PersonFactory(district=manager.district, protected_identity="fictitious")
    outsider = make_user(Role.CASEWORKER, username="annan")
    log_access(user=outsider, person=person, what="person_page", path="/x")

    login(page, "enhetschef")
    for url in (
        "/granskning/",
        f"/granskning/?q={person.pk}",
        "/granskning/avvikelser/",
        "/konto/tvastegsverifiering/",
        "/konto/bekrafta/",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert _summary(axe_violations(page)) == [], url
