"""axe-core finds no violations on any page of the handbook, the tillämpningsfrågor, the surveys,
the reports and the follow-up, nor on the portal pages that show rulings and survey invitations
(issues 14 and 15, Done means), in real Chromium against the live server.

The pages come from the authorization matrix: every GET route in its ROUTES whose view lives
in one of those apps (so a page added tomorrow is walked too), its URL filled with the own
security world's object (folja/testing/routes.py), opened by every own-world role allowed to
see it. One browser context a role, logged in once through the real form, one page reused for
all of that role's routes. An answer that is not a page (a CSV, PDF, Excel, SVG or zip file,
or any attachment) is told by its content type and not shown: the browser would download it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import override_settings
from django.urls import resolve
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.core.tests.test_authorization_matrix import ROUTES
from folja.handbook.models import ApplicationActivity
from folja.surveys.models import Audience, Question
from folja.surveys.services import question_bank_ensure, survey_answer, survey_create
from folja.testing.browser import LOGIN_PATH, TIMEOUT_MS, axe_violations, login
from folja.testing.factories import PersonFactory, make_user
from folja.testing.factories_security import build_worlds
from folja.testing.routes import R, allowed_own_roles, route_url

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

APPS = ("handbook", "questions", "surveys", "reports", "followup")
# The portal's pages that concern the handbook and the surveys: the start page (survey
# invitations), the e-application (activities picked from the catalogue) and the person's own
# guide (the rulings that concern them). The rest of Mina sidor is not these issues' pages.
PORTAL_PAGES = ("mina-sidor/", "mina-sidor/ansokan/ny/", "information/mina/")
SHOWN = "text/html"
# What a few pages must show, so the walk reads them with their content, not empty.
SHOWS = {
    ("person", "information/mina/"): "Vad ledsagningen kan användas till",
    ("person", "enkater/svara/"): "Hur nöjd är du med ledsagningen?",
    ("provider_staff", "enkater/svara/"): "Hur nöjd är du med ledsagningen?",
    ("analyst", "enkater/resultat/"): "Enkät om ledsagning",
    ("analyst", "handbok/"): "Aktivitet",
}


def _app(route: str, rule: R) -> str:
    """The app whose view answers the route (its URL filled with any primary key)."""
    view = resolve(route_url(route, rule, SimpleNamespace(pk=1) if rule.obj else None)).func
    module = getattr(view, "__module__", "")
    return module.split(".")[1] if module.startswith("folja.") else ""


def walked_routes() -> dict[str, R]:
    return {
        route: rule
        for route, rule in ROUTES.items()
        if rule.method == "GET"
        and not rule.api
        and not rule.public
        and (route in PORTAL_PAGES or _app(route, rule) in APPS)
    }


def _open_surveys(worlds) -> None:
    """A survey open for each audience, answered by a few persons and providers (so the results
    have rows), and not yet by the world's own users (so their answering page shows the form)."""
    question_bank_ensure()  # an earlier browser test's flush may have emptied the bank
    analyst = worlds.users["analyst"]
    questions = list(Question.objects.filter(key__in=["flex-three-months", "satisfied-escort"]))
    surveys = {
        audience: survey_create(
            user=analyst,
            title=f"Enkät om ledsagning ({audience})",
            audience=audience,
            opens_on=date(2024, 6, 1),
            closes_on=date(2024, 6, 30),
            questions=questions,
        )
        for audience in Audience.values
    }
    own = worlds.own.objects["person"]
    for _ in range(3):
        person = PersonFactory(district=own.district)
        survey_answer(
            user=make_user(Role.PERSON, person=person),
            survey=surveys[Audience.PERSONS],
            person=person,
            values={"flex-three-months": "yes"},
        )
        survey_answer(
            user=make_user(Role.PROVIDER_STAFF, provider=own_provider(worlds)),
            survey=surveys[Audience.PROVIDERS],
            values={"flex-three-months": "no"},
        )


def own_provider(worlds):
    return worlds.users["provider_staff"].provider


def _with_a_ruling_that_concerns_the_person(worlds) -> None:
    """The own world's application asks for the ruled activity, so the person's guide explains
    the ruling."""
    own = worlds.own.objects
    ApplicationActivity.objects.create(
        application=own["application"], activity=own["ruling"].activity
    )


def _summary(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['help']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]


class Visit:
    """Opens URLs in one page and tells each answer's status and content type. The page's
    navigations are fetched by Playwright and handed to the browser only when they are HTML
    pages: a file would start a download, which a navigation cannot wait for."""

    BLANK = "<!doctype html><html lang='sv'><title>Fil</title></html>"

    def __init__(self, page) -> None:
        self.page = page
        self.answer: tuple[int, str, str] | None = None
        page.route(lambda url: True, self._route)

    def _route(self, route) -> None:
        request = route.request
        if not request.is_navigation_request() or request.frame != self.page.main_frame:
            route.continue_()
            return
        response = route.fetch()
        kind = response.headers.get("content-type", "")
        attachment = "attachment" in response.headers.get("content-disposition", "")
        self.answer = (response.status, kind, urlsplit(response.url).path)
        if kind.startswith(SHOWN) and not attachment:
            route.fulfill(response=response)
        else:
            self.answer = (response.status, "" if attachment else kind, self.answer[2])
            route.fulfill(status=200, content_type=SHOWN, body=self.BLANK)

    def open(self, url: str) -> tuple[int, str, str]:
        self.answer = None
        self.page.goto(url)
        assert self.answer is not None, url
        return self.answer


@pytest.fixture
def browser_contexts(chromium_browser, live_server, live_server_requests) -> Iterator:
    """New browser contexts on the live server, closed (and their requests finished) before
    pytest-django flushes the database, as the `page` fixture does for one."""
    contexts = []

    def new_page():
        context = chromium_browser.new_context(base_url=live_server.url, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield new_page
    for context in contexts:
        context.close()
    if not live_server_requests.wait_until_idle(timeout=TIMEOUT_MS / 1000):
        pytest.fail("the live server still serves this test's requests; not flushing under them")


def test_axe_core_finds_no_violation_on_any_page_of_the_handbook_surveys_and_follow_up(
    browser_contexts, tmp_path
):
    routes = walked_routes()
    failures: list[str] = []
    shown: set[str] = set()
    files: set[str] = set()
    redirected: set[str] = set()
    with (
        override_settings(MEDIA_ROOT=tmp_path),
        time_machine.travel(datetime(2024, 6, 10, 10), tick=True),
    ):
        worlds = build_worlds()
        _open_surveys(worlds)
        _with_a_ruling_that_concerns_the_person(worlds)
        roles = allowed_own_roles(worlds)
        by_role: dict[str, list[tuple[str, str]]] = {}
        for route, rule in routes.items():
            obj = worlds.own.objects[rule.obj] if rule.obj else None
            for who in roles(rule):
                by_role.setdefault(who, []).append((route, route_url(route, rule, obj)))
        for who, urls in by_role.items():
            page = browser_contexts()
            login(page, worlds.users[who].username)
            visit = Visit(page)
            for route, url in urls:
                status, kind, landed = visit.open(url)
                if status != 200 or landed == LOGIN_PATH:
                    failures.append(f"{url} as {who}: answered {status} at {landed}")
                elif landed != urlsplit(url).path:
                    # A report not built yet sends its files' links to its page, walked itself.
                    redirected.add(route)
                elif not kind.startswith(SHOWN):
                    files.add(route)
                else:
                    shown.add(route)
                    if (who, route) in SHOWS:
                        expect(page.locator("body")).to_contain_text(SHOWS[(who, route)])
                    failures += [f"{url} as {who}: {v}" for v in _summary(axe_violations(page))]
    # Every route was seen, as a page or a file, and the apps' pages are among them.
    assert failures == [], "\n".join(failures)
    assert shown | files | redirected == set(routes)
    assert {"handbok/", "enkater/svara/", "uppfoljning/", "mina-sidor/"} <= shown
    assert "uppfoljning/oppna-data.csv" in files
