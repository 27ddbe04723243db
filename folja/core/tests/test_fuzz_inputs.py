"""Hypothesis fuzzing of the inputs this area owns and of the shared entry points: the login
and confirmation forms, the access-log review forms, the provider API and the CSV imports.
Whatever comes in: never a 5xx, and every rejection names the field it is about."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folja.accounts.models import Role

# The matrix's routes and its two worlds (a module fixture, used by name below).
from folja.core.tests.test_authorization_matrix import ROUTES, worlds  # noqa: F401
from folja.testing.factories import OrderFactory, make_user
from folja.testing.routes import HOME, client_for, route_url

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text that breaks naive code: control characters, bidi overrides, huge numbers, SQL, HTML.
nasty = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "‮evil",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "9" * 400,
            "-1",
            "2024-02-30",
            "20240230",
            "1e309",
            "NaN",
            "%s%s%n",
        ]
    ),
)
values = st.one_of(nasty, st.integers(), st.none(), st.booleans(), st.floats(allow_nan=True))


@FUZZ
@given(username=nasty, password=nasty, next_url=nasty)
def test_the_login_form_never_fails_with_5xx(client, username, password, next_url):
    response = Client(raise_request_exception=False).post(
        "/konto/login/", {"username": username, "password": password, "next": next_url}
    )
    assert response.status_code in (200, 302, 429)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["password", "token", "next"]), nasty, max_size=3))
def test_the_confirmation_form_rejects_next_to_the_field(data):
    user = make_user(Role.CASEWORKER)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post("/konto/bekrafta/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200 and data.get("password") != "demo":
        assert 'id="password-error"' in response.content.decode() or not data


@FUZZ
@given(q=nasty, since=nasty, until=nasty)
def test_the_access_log_review_forms_never_fail(q, since, until):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.UNIT_MANAGER))
    assert client.get("/granskning/", {"q": q}).status_code == 200
    response = client.get("/granskning/avvikelser/", {"since": since, "until": until})
    assert response.status_code == 200
    page = response.content.decode()
    if 'class="errorlist"' in page:
        assert 'aria-describedby="since-error"' in page or 'aria-describedby="until-error"' in page


@pytest.fixture
def api_client():
    from folja.providers.services import token_create

    order = OrderFactory()
    admin = make_user(Role.PROVIDER_ADMIN, provider=order.provider)
    secret = token_create(user=admin, provider=order.provider, name="fuzz").secret
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, order


API_FIELDS = [
    "external_id",
    "personnummer",
    "person_id",
    "order_id",
    "escort_id",
    "start",
    "end",
    "status",
    "escorts",
    "cancelled_at",
]


def _assert_api_rejection_names_fields(response) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and response.status_code not in (401, 404):
        body = response.json()
        assert body["errors"], body
        for error in body["errors"]:
            assert error["field"], body
            assert error["message"], body


@FUZZ
@given(body=st.dictionaries(st.sampled_from(API_FIELDS), values, max_size=8))
def test_the_session_report_api_never_fails_and_names_the_field(api_client, body):
    client, _order = api_client
    response = client.post("/api/v1/sessions", json.dumps(body), content_type="application/json")
    _assert_api_rejection_names_fields(response)


@FUZZ
@given(raw=st.one_of(st.text(max_size=80), st.binary(max_size=80).map(repr)))
def test_the_api_survives_bodies_that_are_not_json(api_client, raw):
    client, _order = api_client
    response = client.post("/api/v1/sessions", raw, content_type="application/json")
    _assert_api_rejection_names_fields(response)


@FUZZ
@given(rows=st.lists(st.dictionaries(st.sampled_from(API_FIELDS), values, max_size=8), max_size=4))
def test_the_session_import_api_is_all_or_nothing_and_names_fields(api_client, rows):
    from folja.delivery.models import Session

    client, _order = api_client
    before = Session.objects.count()
    response = client.post(
        "/api/v1/sessions/import", json.dumps({"rows": rows}), content_type="application/json"
    )
    _assert_api_rejection_names_fields(response)
    if response.status_code >= 400:
        assert Session.objects.count() == before


CSV_HEADERS = st.lists(
    st.sampled_from(
        [
            "person_ref",
            "district_code",
            "decided_on",
            "outcome",
            "act",
            "hours_per_month",
            "valid_from",
            "valid_to",
            "model",
            "sex",
            "birth_year",
            "nonsense",
        ]
    ),
    min_size=1,
    max_size=8,
    unique=True,
)


@FUZZ
@given(
    headers=CSV_HEADERS,
    cells=st.lists(st.lists(nasty.map(lambda t: t.replace('"', "")), max_size=8), max_size=4),
)
def test_the_decision_csv_import_rejects_with_the_field_named(headers, cells):
    from folja.cases.models import Decision
    from folja.followup.imports import ImportFailed, import_decisions

    text = ",".join(headers) + "\n" + "\n".join(",".join(f'"{c}"' for c in row) for row in cells)
    before = Decision.objects.count()
    try:
        import_decisions(text=text)
    except ImportFailed as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.field and error.message
        assert Decision.objects.count() == before


# ------------------------------------------------------------------ every URL, role and form
#
# The routes, their roles and the objects their URLs name come from the authorization matrix;
# its two worlds are built once for the module. For each HTML route: its page is fetched as
# each role (names of every field of every form on it are read from the HTML), then hypothesis
# sends query strings (the page's field names, every name a view reads from request.GET, and
# names of its own) and form posts (the page's post forms' fields, files included) made of
# text that breaks naive parsing. Whatever comes in, nothing answers 5xx.

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD_RE = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR_RE = re.compile(r'([a-z-]+)="([^"]*)"', re.I)
# Every name a view reads from request.GET (grep "request.GET" folja), whatever the page shows.
GET_NAMES = [
    "year",
    "district",
    "q",
    "sida",
    "since",
    "until",
    "format",
    "mina",
    "typ",
    "next",
    "copy_from",
    "run",
    "month",
    "provider",
]
# What broke before: Unicode digits (int() reads some, "²".isdigit() is true), numbers past
# bigint, dates past the window, plus ordinary-looking values that reach deeper validation.
tricky = st.sampled_from(
    [
        "²",
        "¹²",
        "٣",
        "３",
        str(2**63),
        "9" * 30,
        "-9223372036854775809",
        "9999-12-31",
        "0001-01-01",
        "2100-12-31T23:59",
        "2024-03-30T02:30",
        "1",
        "0",
        "2024",
        "2024-02",
        "on",
    ]
)
field_values = st.one_of(nasty, tricky)
ROLE_FUZZ = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _forms(html: str, url: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(method, [(name, input type)]) of each form on the page that posts to the page itself
    (the menu's language and logout forms post elsewhere and have routes of their own)."""
    found = []
    for attrs_text, body in FORM_RE.findall(html):
        attrs = dict(ATTR_RE.findall(attrs_text))
        action = attrs.get("action", "")
        if action and action.split("?")[0] not in ("", url):
            continue
        fields = []
        for tag, field_attrs in FIELD_RE.findall(body):
            a = dict(ATTR_RE.findall(field_attrs))
            if a.get("name") and a["name"] != "csrfmiddlewaretoken":
                fields.append((a["name"], a.get("type", tag).lower()))
        found.append((attrs.get("method", "get").lower(), fields))
    return found


def _users_for(w, rule) -> list[tuple[str, object]]:
    """The roles that may use the route (their own world's user), one that may not, anonymous."""
    allowed = [
        (who, user)
        for who, user in w.users.items()
        if user is not None
        and user.role in rule.roles
        and (rule.obj is None or HOME.get(who, "own") == "own")
    ]
    refused = [(who, u) for who, u in w.users.items() if u is not None and u.role not in rule.roles]
    return allowed + refused[:1] + [("anonymous", None)]


_PAGES: dict[tuple[str, str], list] = {}


def _page_forms(client: Client, who: str, url: str) -> list:
    """The forms of the page as this user sees it, read once per page and user."""
    if (url, who) not in _PAGES:
        response = client.get(url)
        assert response.status_code < 500, f"{who} GET {url}: {response.status_code}"
        html = ""
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            html = response.content.decode("utf-8", "replace")
        _PAGES[(url, who)] = _forms(html, url)
    return _PAGES[(url, who)]


def _target(w, route: str):
    rule = ROUTES[route]
    obj = w.own.objects[rule.obj] if rule.obj else None
    return rule, route_url(route, rule, obj)


def _fuzzed(draw, names: list[tuple[str, str]]) -> dict:
    data: dict = {}
    for name, kind in names:
        if not draw(st.booleans()):
            continue
        if kind == "file":
            content = draw(st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n<html>")))
            data[name] = SimpleUploadedFile(draw(st.sampled_from(["k.png", "k.pdf", "k"])), content)
        else:
            data[name] = draw(field_values)
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=12), field_values, max_size=2))
    return {**extra, **data}


HTML_GET_ROUTES = sorted(r for r, rule in ROUTES.items() if not rule.api and rule.method == "GET")
HTML_ROUTES = sorted(r for r, rule in ROUTES.items() if not rule.api)


@pytest.mark.slow
@pytest.mark.parametrize("route", HTML_GET_ROUTES)
@ROLE_FUZZ
@given(data=st.data())
def test_no_query_string_on_any_page_for_any_role_gives_a_5xx(route, worlds, data):  # noqa: F811
    rule, url = _target(worlds, route)
    who, user = data.draw(st.sampled_from(_users_for(worlds, rule)), label="user")
    client = client_for(user)
    names = [(n, "text") for n in GET_NAMES]
    names += [
        f for method, fields in _page_forms(client, who, url) for f in fields if method == "get"
    ]
    params = _fuzzed(data.draw, names)
    with transaction.atomic():
        response = client.get(url, {k: v for k, v in params.items() if isinstance(v, str)})
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{who} GET {url} {params!r}: {response.status_code}"


@pytest.mark.slow
@pytest.mark.parametrize("route", HTML_ROUTES)
@ROLE_FUZZ
@given(data=st.data())
def test_no_form_post_on_any_page_for_any_role_gives_a_5xx(route, worlds, data):  # noqa: F811
    rule, url = _target(worlds, route)
    who, user = data.draw(st.sampled_from(_users_for(worlds, rule)), label="user")
    client = client_for(user)
    if rule.method == "POST":
        # A POST-only route has no page of its own: the names its forms post elsewhere.
        names = [(n, "text") for n in ("reason", "decided_on", "text", "action", "month")]
    else:
        names = [
            f
            for method, fields in _page_forms(client, who, url)
            for f in fields
            if method == "post"
        ]
    body = _fuzzed(data.draw, names)
    with transaction.atomic():
        response = client.post(url, body)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{who} POST {url} {body!r}: {response.status_code}"
