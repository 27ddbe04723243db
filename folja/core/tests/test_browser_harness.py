"""The browser-test harness (folja.testing.browser) holds on a busy machine: a login is complete
when `login()` returns, each test process has a database of its own, and no request a browser
made is still running when its test's database is flushed."""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit

import dj_database_url
import pytest
from django.db import connection

from folja.accounts.models import Role, User
from folja.testing.browser import LOGIN_PATH, login
from folja.testing.factories import make_user

# What a browser on a loaded machine does: the form's submission (only scheduled by the Enter
# key) starts well after the key press. The delay is the browser's, inside the page; the test
# itself waits on no clock.
LATE_SUBMISSION = """
document.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  setTimeout(() => HTMLFormElement.prototype.submit.call(form), 1500);
}, true);
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_returns_only_once_the_browser_is_logged_in_even_when_the_form_submits_late(page):
    analyst = make_user(Role.ANALYST)
    page.add_init_script(LATE_SUBMISSION)
    login(page, analyst.username)
    # The analyst's start page, and the session cookie the next `goto` will send.
    assert urlsplit(page.url).path == "/uppfoljning/"
    assert "sessionid" in {cookie["name"] for cookie in page.context.cookies()}
    page.goto("/uppfoljning/?year=2024")
    assert urlsplit(page.url).path == "/uppfoljning/"


@pytest.mark.postgres
@pytest.mark.django_db
def test_each_test_process_has_a_database_of_its_own():
    """pytest-xdist workers each get `test_<name>_<worker>`: one worker's flush never empties
    the database another worker's live server is serving."""
    base = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    expected = f"test_{base}" + (f"_{worker}" if worker else "")
    assert connection.settings_dict["NAME"] == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone()[0] == expected


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_teardown_can_wait_for_a_request_the_browser_left_running(
    chromium_browser, live_server, live_server_requests, monkeypatch
):
    """The `page` fixture closes the browser and waits for `live_server_requests` to be idle
    before the flush: here a login post is still inside the server when the browser goes."""
    user = make_user(Role.ANALYST)
    inside, release = threading.Event(), threading.Event()
    check_password = User.check_password

    def held_check_password(self, raw_password):
        inside.set()
        release.wait()
        return check_password(self, raw_password)

    monkeypatch.setattr(User, "check_password", held_check_password)
    context = chromium_browser.new_context(base_url=live_server.url, locale="sv-SE")
    browser_page = context.new_page()
    browser_page.goto(LOGIN_PATH)
    browser_page.get_by_label("Användarnamn").fill(user.username)
    browser_page.get_by_label("Lösenord").fill("demo")
    browser_page.keyboard.press("Enter")
    assert inside.wait(timeout=60)
    context.close()
    # The browser is gone but the server is still in the middle of the login: a flush now would
    # run under it, and its writes would land in the next test's data.
    assert live_server_requests.open >= 1
    release.set()
    assert live_server_requests.wait_until_idle(timeout=60)
    user.refresh_from_db()
    assert user.last_login is not None  # the request had finished its writes
