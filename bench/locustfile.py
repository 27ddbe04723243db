"""Locust scenario for `bench/bench_load.py`: caseworkers, providers and persons using Följa on
the `city` data. Logins come from FOLJA_BENCH_USERS (JSON: role -> [usernames]) with the
password FOLJA_BENCH_PASSWORD; each simulated user logs in once through the real login form.

The measurement is the steady state: the statistics are reset when the last simulated user has
logged in, and the run stops FOLJA_BENCH_SECONDS later. Logins are excluded because a working
day has one per person while the hashing (deliberately slow) of 100 logins in the same second
would dominate a one-minute window.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from itertools import cycle
from urllib.parse import urlencode

import gevent
from locust import constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

USERS: dict[str, list[str]] = json.loads(os.environ.get("FOLJA_BENCH_USERS", "{}"))
PASSWORD = os.environ.get("FOLJA_BENCH_PASSWORD", "demo")
SECONDS = float(os.environ.get("FOLJA_BENCH_SECONDS", "60"))
# Requests per second all users together aim for. Each user paces its clicks to its share
# (locust's constant_throughput): a user who waited long for a page does not click faster to
# make up, so the offered load stays at the rate and the figures are "at this rate".
RATE = float(os.environ.get("FOLJA_BENCH_RATE", "55"))
USER_COUNT = int(os.environ.get("FOLJA_BENCH_USER_COUNT", "100"))
_pools = {role: cycle(names) for role, names in USERS.items() if names}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="/handlaggning/person/(\d+)/"')
ORDER_LINK = re.compile(r'href="/utforare/bestallning/(\d+)/"')

_logged_in = 0


def _start_measuring(environment) -> None:
    """All users are in: from here on the figures count, for SECONDS."""
    environment.stats.reset_all()
    environment.folja_measured_from = time.time()
    gevent.spawn_later(SECONDS, environment.runner.quit)


@events.test_stop.add_listener
def _report_window(environment, **_kwargs) -> None:
    started = getattr(environment, "folja_measured_from", None)
    path = os.environ.get("FOLJA_BENCH_WINDOW_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"measured_seconds": (time.time() - started) if started else 0}, fh)


class _Folja(FastHttpUser):
    abstract = True
    role = ""
    landing = ""
    wait_time = constant_throughput(RATE / USER_COUNT)

    def on_start(self) -> None:
        global _logged_in
        username = next(_pools[self.role])
        token = CSRF.search(self.page("/konto/login/", "login form"))
        self.client.post(
            "/konto/login/",
            data=urlencode(
                {
                    "username": username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                }
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="login",
        )
        with self.client.get(
            self.landing, name="login check", allow_redirects=False, catch_response=True
        ) as landed:
            if landed.status_code != 200:
                # Not logged in: stop rather than measure redirects to the login page.
                landed.failure(f"login failed for {username}")
                self.environment.runner.quit()
        _logged_in += 1
        if _logged_in == self.environment.runner.target_user_count:
            _start_measuring(self.environment)

    def page(self, url: str, name: str) -> str:
        """GET a page; anything but the page itself (an error, a redirect to the login) fails."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response.text or ""


class Caseworker(_Folja):
    landing = "/handlaggning/arbetslista/"
    role = "caseworker"
    weight = 3
    persons: list[str] = []

    @task(3)
    def caseload(self) -> None:
        page = self.page("/handlaggning/", "caseload")
        self.persons = PERSON_LINK.findall(page) or self.persons

    @task(5)
    def person(self) -> None:
        if self.persons:
            pk = random.choice(self.persons)
            self.page(f"/handlaggning/person/{pk}/", "person page")

    @task(1)
    def worklist(self) -> None:
        self.page("/handlaggning/arbetslista/", "worklist")


class Provider(_Folja):
    landing = "/utforare/"
    role = "provider_staff"
    weight = 2
    orders: list[str] = []

    @task(2)
    def inbox(self) -> None:
        page = self.page("/utforare/", "provider inbox")
        self.orders = ORDER_LINK.findall(page) or self.orders

    @task(3)
    def order(self) -> None:
        if self.orders:
            pk = random.choice(self.orders)
            self.page(f"/utforare/bestallning/{pk}/", "order page")

    @task(2)
    def sessions(self) -> None:
        self.page("/utforare/pass/", "provider sessions")


class Person(_Folja):
    landing = "/mina-sidor/"
    role = "person"
    weight = 2

    @task(3)
    def home(self) -> None:
        self.page("/mina-sidor/", "portal home")

    @task(2)
    def money(self) -> None:
        self.page("/mina-sidor/pengar/", "portal money")

    @task(1)
    def information(self) -> None:
        self.page("/information/", "information")
