"""Real Chromium: axe-core on every portal page (and the login page, the staff feedback pages
and the guide), and the keyboard-only path "check my hours, submit an expense, give feedback"."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from folja.accounts.models import Role
from folja.portal.models import Feedback
from folja.testing.browser import axe_violations, login
from folja.testing.factories import FeedbackFactory, ProviderFactory, make_user
from folja.testing.factories_portal import make_demo_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PERSON_PAGES = [
    "/mina-sidor/",
    "/mina-sidor/pengar/",
    "/mina-sidor/pengar/kvitto/",
    "/mina-sidor/pengar/kostsam-aktivitet/",
    "/mina-sidor/utforare/",
    "/mina-sidor/synpunkter/",
    "/mina-sidor/synpunkter/ny/",
    "/mina-sidor/valj-person/",
    "/information/mina/",
    "/information/",
]


@pytest.fixture
def frozen(page):
    # The live server runs in another thread of this process, so the frozen clock applies to it.
    # The machine running the suite may be busy: allow more than the default 15 s per step.
    page.set_default_timeout(45_000)
    with time_machine.travel(datetime(2024, 3, 20, 12), tick=True):
        yield


def _summary(violations: list[dict]) -> list[tuple[str, list[str]]]:
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_axe_finds_no_violations_on_the_login_page_and_every_portal_page(page, frozen):
    pp = make_demo_person(username="anna")
    ProviderFactory(name="Strikt Ledsagning AB", cancellation_cutoff_hours=72)
    FeedbackFactory(person=pp.person, reply="Tack, vi ser över det.")
    make_user(Role.CASEWORKER, district=pp.district, username="handlaggare")

    page.goto("/konto/login/")
    assert _summary(axe_violations(page)) == []

    login(page, "anna")
    for url in PERSON_PAGES:
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert _summary(axe_violations(page)) == [], url

    # A form with errors: messages tied to fields must pass too.
    page.goto("/mina-sidor/pengar/kostsam-aktivitet/")
    page.get_by_role("button", name="Skicka ansökan").press("Enter")
    expect(page.locator(".field-error").first).to_be_visible()
    assert _summary(axe_violations(page)) == []

    page.context.clear_cookies()
    login(page, "handlaggare")
    page.goto("/mina-sidor/synpunkter/hantera/")
    assert _summary(axe_violations(page)) == []
    fb = Feedback.objects.get(person=pp.person)
    page.goto(f"/mina-sidor/synpunkter/hantera/{fb.pk}/")
    assert _summary(axe_violations(page)) == []


def test_the_portal_reflows_at_400_percent_zoom_without_horizontal_scrolling(page, frozen):
    make_demo_person(username="anna")
    login(page, "anna")
    # 1280 px at 400 % zoom is a 320 CSS px viewport (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ["/mina-sidor/", "/mina-sidor/pengar/kvitto/", "/mina-sidor/synpunkter/ny/"]:
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def _tab_to(page, text: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text or label contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(
            """() => { const e = document.activeElement; if (!e) return '';
                 const l = e.labels && e.labels.length ? e.labels[0].innerText : '';
                 return (e.innerText || '') + ' ' + l + ' ' + (e.value || ''); }"""
        )
        if text in label:
            return
    raise AssertionError(f"could not reach {text!r} with Tab")


def _open_file_chooser_with_space(page):
    """Space on the focused file input opens the chooser. Headless Chromium sometimes drops
    that first key press while another browser runs beside it, so it is pressed again rather
    than failing the whole journey on a timing quirk of the test machine."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            continue
    raise AssertionError("Space on the receipt field never opened the file chooser")


def _png(path) -> str:
    Image.new("RGB", (30, 30), "white").save(path, format="PNG")
    return str(path)


def test_a_person_checks_hours_submits_an_expense_and_gives_feedback_with_the_keyboard_only(
    page, frozen, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    pp = make_demo_person(username="anna")
    login(page, "anna")
    # After login the start page sends a person straight to "Mina timmar".
    page.wait_for_url("**/mina-sidor/")

    # Check my hours: the warning and what is left are read out in text.
    assert "Obs!" in page.inner_text("main")
    assert "25 timmar" in page.inner_text("main")

    # Submit an expense.
    _tab_to(page, "Pengar och kvitton")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mina-sidor/pengar/")
    _tab_to(page, "Skicka ett kvitto")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pengar/kvitto/")
    _tab_to(page, "Datum")
    page.keyboard.type("2024-03-18")
    _tab_to(page, "Belopp i kronor")
    page.keyboard.type("85,50")
    _tab_to(page, "Vad gällde kostnaden")
    page.keyboard.type("Bussbiljett till ledsagaren")
    _tab_to(page, "Kvitto")
    _open_file_chooser_with_space(page).set_files(_png(tmp_path / "kvitto.png"))
    _tab_to(page, "Skicka kvittot")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mina-sidor/pengar/")
    assert "Bussbiljett till ledsagaren" in page.inner_text("main")

    # Give feedback.
    _tab_to(page, "Synpunkter")
    page.keyboard.press("Enter")
    page.wait_for_url("**/synpunkter/")
    _tab_to(page, "Lämna en synpunkt")
    page.keyboard.press("Enter")
    page.wait_for_url("**/synpunkter/ny/")
    _tab_to(page, "Utföraren")
    page.keyboard.press("Space")
    _tab_to(page, "Beröm")
    page.keyboard.press("Space")
    _tab_to(page, "Vad vill du berätta")
    page.keyboard.type("Sara är en mycket bra ledsagare.")
    _tab_to(page, "Skicka")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mina-sidor/synpunkter/")
    assert "Sara är en mycket bra ledsagare." in page.inner_text("main")

    fb = Feedback.objects.get(person=pp.person)
    assert fb.about == "provider" and fb.kind == "praise" and fb.provider == pp.provider
    assert pp.person.expense_claims.filter(description="Bussbiljett till ledsagaren").exists()
