"""Hypothesis fuzzing of the inputs this area owns and of the shared entry points: the login
and confirmation forms, the access-log review forms, the provider API and the CSV imports.
Whatever comes in: never a 5xx, and every rejection names the field it is about."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folja.accounts.models import Role
from folja.testing.factories import OrderFactory, make_user

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
