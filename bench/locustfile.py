"""Locust scenario for `bench/bench_load.py`: caseworkers, providers and persons using Följa on
the `city` data. Logins come from FOLJA_BENCH_USERS (JSON: role -> [usernames]) with the
password FOLJA_BENCH_PASSWORD; each simulated user logs in once through the real login form.
"""

from __future__ import annotations

import json
import os
import random
import re
from itertools import cycle

from locust import HttpUser, between, task

USERS: dict[str, list[str]] = json.loads(os.environ.get("FOLJA_BENCH_USERS", "{}"))
PASSWORD = os.environ.get("FOLJA_BENCH_PASSWORD", "demo")
_pools = {role: cycle(names) for role, names in USERS.items() if names}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="/handlaggning/person/(\d+)/"')
ORDER_LINK = re.compile(r'href="/utforare/bestallning/(\d+)/"')


class _Folja(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.3, 1.0)

    def on_start(self) -> None:
        username = next(_pools[self.role])
        page = self.client.get("/konto/login/", name="login form")
        token = CSRF.search(page.text)
        self.client.post(
            "/konto/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
        )


class Caseworker(_Folja):
    role = "caseworker"
    weight = 3
    persons: list[str] = []

    @task(3)
    def caseload(self) -> None:
        page = self.client.get("/handlaggning/", name="caseload")
        self.persons = PERSON_LINK.findall(page.text) or self.persons

    @task(5)
    def person(self) -> None:
        if self.persons:
            pk = random.choice(self.persons)
            self.client.get(f"/handlaggning/person/{pk}/", name="person page")

    @task(1)
    def worklist(self) -> None:
        self.client.get("/handlaggning/arbetslista/", name="worklist")


class Provider(_Folja):
    role = "provider_staff"
    weight = 2
    orders: list[str] = []

    @task(2)
    def inbox(self) -> None:
        page = self.client.get("/utforare/", name="provider inbox")
        self.orders = ORDER_LINK.findall(page.text) or self.orders

    @task(3)
    def order(self) -> None:
        if self.orders:
            pk = random.choice(self.orders)
            self.client.get(f"/utforare/bestallning/{pk}/", name="order page")

    @task(2)
    def sessions(self) -> None:
        self.client.get("/utforare/pass/", name="provider sessions")


class Person(_Folja):
    role = "person"
    weight = 2

    @task(3)
    def home(self) -> None:
        self.client.get("/mina-sidor/", name="portal home")

    @task(2)
    def money(self) -> None:
        self.client.get("/mina-sidor/pengar/", name="portal money")

    @task(1)
    def information(self) -> None:
        self.client.get("/information/", name="information")
