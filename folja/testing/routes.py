"""Walking the routes of the authorization matrix: every URL pattern, its parameters filled with
an object of one of the two security worlds (folja/testing/factories_security.py), fetched as a
role.

The matrix (folja/core/tests/test_authorization_matrix.py) says which routes there are and who
may use them (its ROUTES, of rules `R`); the tests that look at what the pages say (the probe
for leaked persons, the page-language walk, the survey's individual-answer walk) walk them
through `walk` here, so a route added to the matrix is walked by all of them, and each test
only says what it checks.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings

from folja.testing.factories_security import Worlds, build_worlds

# The world each test user belongs to; analysts and administrators belong to none.
HOME = {
    "person": "own",
    "representative": "own",
    "caseworker": "own",
    "unit_manager": "own",
    "provider_staff": "own",
    "provider_admin": "own",
    "caseworker_other_district": "other",
    "provider_staff_other": "other",
}
# The API answers a bearer token only: it is asked once, as provider P's administrator with
# P's token (the matrix checks that a session cookie alone and other tokens get 401).
API_ASKER = "provider_admin"


@dataclass(frozen=True)
class R:
    """One route's entry in the matrix: who may use it and what its URL names."""

    roles: frozenset | set = field(default_factory=frozenset)
    obj: str | None = None  # the kind of object the URL names
    method: str = "GET"
    citywide: frozenset | set = field(default_factory=frozenset)
    public: bool = False  # the same answer for everyone, anonymous included
    public_status: tuple[int, ...] = (200,)
    api: bool = False
    kwargs: dict = field(default_factory=dict)  # fixed (non-object) URL arguments
    post: object = None  # own-world objects -> POST data, where an empty POST is not enough


def route_url(route: str, rule: R, obj) -> str:
    """The route's URL with its fixed arguments and the object's primary key filled in."""
    url = "/" + route
    for key, value in rule.kwargs.items():
        url = url.replace(f"<slug:{key}>", value).replace(f"<str:{key}>", value)
    if obj is not None:
        for converter in ("<int:", "<"):
            start = url.find(converter)
            if start != -1:
                end = url.index(">", start)
                url = url[:start] + str(obj.pk) + url[end + 1 :]
                break
    return url


def send(client: Client, rule: R, url: str, own: dict | None = None, **extra) -> HttpResponse:
    """The route's request: a GET, or a POST with the rule's data for the own world's objects."""
    if rule.method == "POST":
        data = rule.post(own) if rule.post and own is not None else {}
        return client.post(url, data, **extra)
    return client.get(url, **extra)


def client_for(user, *, lang: str | None = None) -> Client:
    """A fresh client, logged in as `user` (None: anonymous), with the language cookie set."""
    from django.conf import settings

    client = Client(raise_request_exception=False)
    if lang is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        client.force_login(user)
    return client


@contextmanager
def rolled_back_worlds(django_db_blocker, media_root: Path) -> Iterator[Worlds]:
    """The two worlds, built for a module-scoped fixture inside a transaction that is rolled
    back at the end; each test runs in a savepoint within it (as Django's setUpTestData does),
    so a POST in one test cannot change what the next one sees. Whatever the caller adds to
    the worlds inside the block is rolled back with them."""
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_worlds()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@dataclass(frozen=True)
class Answer:
    who: str
    lang: str | None
    route: str
    rule: R
    url: str
    world: str | None  # whose object the URL names: "own", "other" or None
    response: HttpResponse
    body: bytes  # read in full (streamed answers too) before any rollback
    client: Client  # still logged in, for what the page links to (its charts)

    @property
    def request(self) -> str:
        return f"{self.rule.method} {self.url}"

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.get("Content-Type", "")


Roles = Iterable[str] | Callable[[R], Iterable[str]]


def allowed_own_roles(worlds: Worlds) -> Callable[[R], list[str]]:
    """For `walk`'s roles: the own-world users allowed to use a route (anonymous alone for a
    public one)."""

    def roles(rule: R) -> list[str]:
        if rule.public:
            return ["anonymous"]
        return [
            who
            for who, user in worlds.users.items()
            if user is not None and user.role in rule.roles and HOME.get(who, "own") == "own"
        ]

    return roles


def walk(
    worlds: Worlds,
    routes: Mapping[str, R],
    roles: Roles,
    *,
    other_world: bool = True,
    rolled_back: bool = True,
    langs: Iterable[str | None] = (None,),
    queries: Mapping[str, Callable[[dict], str]] | None = None,
) -> Iterator[Answer]:
    """Every route of `routes`, in its order, as each role of `roles` (a list, or the roles
    for a rule), in each language of `langs`: on the own world's object and, with
    `other_world`, on the other world's; `queries` adds a query string to a route's URL.

    Each request logs in afresh (the logout route ends the session).
    `rolled_back` runs each in a savepoint that is rolled back, so a POST cannot change what
    the next request sees (the session row goes with it, hence the login inside); without it,
    what a request writes (the access log) stays for the next ones to show."""
    queries = queries or {}
    langs = tuple(langs)
    api_auth = {"HTTP_AUTHORIZATION": f"Bearer {worlds.own.token}"}
    # One client a role and language: a new one loads the middleware (and scans the static
    # files) again on its first request, which is most of a walk's time.
    clients: dict[tuple[str, str | None], Client] = {}
    for route, rule in routes.items():
        targets = [("own", worlds.own)] + ([("other", worlds.other)] if other_world else [])
        for world, objects in targets if rule.obj else [(None, None)]:
            obj = objects.objects[rule.obj] if objects is not None else None
            url = route_url(route, rule, obj)
            if route in queries:
                url += queries[route](worlds.own.objects)
            for who in roles(rule) if callable(roles) else roles:
                if rule.api and who != API_ASKER:
                    continue
                extra = api_auth if rule.api else {}
                for lang in langs:
                    if (who, lang) not in clients:
                        clients[(who, lang)] = client_for(None, lang=lang)
                    client = clients[(who, lang)]
                    with transaction.atomic() if rolled_back else nullcontext():
                        if worlds.users[who] is not None:
                            client.force_login(worlds.users[who])
                        response = send(client, rule, url, worlds.own.objects, **extra)
                        body = b"".join(response) if response.streaming else response.content
                        if rolled_back:
                            transaction.set_rollback(True)
                    yield Answer(who, lang, route, rule, url, world, response, body, client)


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
    except PdfReadError:  # not a PDF after all (a stored stand-in): read it as bytes
        return body.decode("latin-1")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def readable_text(body: bytes) -> str:
    """What a reader of an answer sees, whatever its format (HTML, JSON, CSV, SVG, PDF text,
    Excel cells)."""
    if body.startswith(b"%PDF"):
        text = _pdf_text(body)
    elif body.startswith(b"PK"):
        text = _xlsx_text(body)
    else:
        text = body.decode("utf-8", "replace")
    # PDF text extraction and HTML can break a name over whitespace of any kind.
    return re.sub(r"\s+", " ", html.unescape(text))
