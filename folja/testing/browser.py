"""Browser fixtures: real Chromium (Debian's /usr/bin/chromium) driven by Playwright against
pytest-django's live server. Never lets Playwright download a browser of its own.

Built for a busy machine (two cores shared with a parallel test run):
- every step waits on a condition (a URL, an element), never on time; timeouts are generous
  upper bounds only;
- each xdist worker has its own test database (pytest-django adds the worker id to its name)
  and its own live server, and a browser test's teardown waits until every request the browser
  made has finished before pytest-django flushes that database: no request of one test runs
  against another test's data or during a flush."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("FOLJA_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts from a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Upper bound for any one step (an action, a navigation, an expect). Only reached when
# something is wrong; on a loaded machine a page can take several seconds, more than
# Playwright's default 5 s for expect().
TIMEOUT_MS = 60_000
LOGIN_PATH = "/konto/login/"


class LiveServerRequests:
    """Counts the live server's open connections (each is served by a thread of its own until
    the browser closes it) so a test can wait until none is left."""

    def __init__(self, httpd) -> None:
        self._open = 0
        self._changed = threading.Condition()
        accept: Callable = httpd.process_request
        serve: Callable = httpd.process_request_thread

        # socketserver calls these through the instance, so instance attributes wrap them.
        def counted_accept(request, client_address) -> None:
            # Counted in the server thread, on accept: a connection whose thread has not started
            # yet is already open.
            with self._changed:
                self._open += 1
            try:
                accept(request, client_address)
            except BaseException:
                self._closed()
                raise

        def counted_serve(request, client_address) -> None:
            try:
                serve(request, client_address)
            finally:
                self._closed()

        httpd.process_request = counted_accept
        httpd.process_request_thread = counted_serve

    def _closed(self) -> None:
        with self._changed:
            self._open -= 1
            self._changed.notify_all()

    @property
    def open(self) -> int:
        with self._changed:
            return self._open

    def wait_until_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._open == 0, timeout=timeout)


@pytest.fixture(scope="session")
def live_server_requests(live_server) -> LiveServerRequests:
    return LiveServerRequests(live_server.thread.httpd)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make install`")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, but test code touching the ORM here needs this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server, live_server_requests) -> Iterator:
    context = chromium_browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    # Closing the context closes the browser's connections; a request still being served (an
    # image, a form post the test did not wait for) finishes first. Only then may the flush
    # that ends the test (pytest-django, after this fixture) empty the database.
    context.close()
    if not live_server_requests.wait_until_idle(timeout=TIMEOUT_MS / 1000):
        pytest.fail("the live server still serves this test's requests; not flushing under them")


def login(page, username: str, password: str = "demo") -> None:
    """Log in through the real login form, with the keyboard only, and return once the browser
    is on the page the login leads to (so it holds the session cookie).

    Waiting for the URL to leave the login page, not for a load state: pressing Enter only
    schedules the form's submission, and on a busy machine `wait_for_load_state` could look
    before that navigation had begun, find the login page already loaded, and return; the
    test's next `goto` then cancelled the login."""
    page.goto(LOGIN_PATH)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_PATH)


def axe_violations(page) -> list[dict]:
    """axe-core (bundled with axe-playwright-python, no download) on the current page,
    WCAG 2.0/2.1/2.2 A and AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    return results.response["violations"]
