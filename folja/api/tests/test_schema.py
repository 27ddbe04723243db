"""The OpenAPI document validates, and schemathesis finds no 5xx and no answer that departs
from the document (status code, content type, body schema, RFC 3339 date-times) anywhere in
the API."""

import re
from datetime import datetime

import pytest
import schemathesis
import time_machine
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from folja.config.wsgi import application
from folja.testing.factories_providers import bearer, provider_world

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def test_the_openapi_document_is_a_valid_openapi_3_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    # schemathesis parses every operation; an invalid document raises here.
    ops = [op for op in schema.get_all_operations()]
    assert len(ops) >= 10
    assert all(op.ok() for op in ops)


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def test_every_reference_in_the_openapi_document_resolves(client):
    doc = client.get("/api/v1/openapi.json").json()
    components = doc["components"]["schemas"]
    refs = _refs(doc)
    assert "#/components/schemas/ImportRow" in refs
    missing = [r for r in refs if r.removeprefix("#/components/schemas/") not in components]
    assert missing == []


def test_every_operation_documents_401_and_its_error_shape(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if operation.get("security"):
                assert "401" in responses, (method, path)
                body = responses["401"]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Errors"}, (method, path)
            assert "422" in responses, (method, path)


@pytest.mark.django_db
@time_machine.travel(datetime(2024, 3, 3, 12, 0), tick=False)
def test_every_time_the_api_returns_carries_its_utc_offset(client):
    """RFC 3339: a time without an offset is not a `date-time`. Winter and summer time differ."""
    world = provider_world()
    auth = bearer(world.token)
    winter = {"personnummer": world.person.personnummer, "status": "executed"}
    for external_id, start, end in (
        ("w", "2024-02-20T09:00", "2024-02-20T10:00"),
        ("s", "2024-06-20T09:00", "2024-06-20T10:00"),
    ):
        body = {**winter, "external_id": external_id, "start": start, "end": end}
        if external_id == "s":
            body["status"] = "booked"
        response = client.post("/api/v1/sessions", body, content_type="application/json", **auth)
        assert response.status_code == 201, response.content
    items = {s["external_id"]: s for s in client.get("/api/v1/sessions", **auth).json()["items"]}
    assert items["w"]["start"] == "2024-02-20T09:00:00+01:00"
    assert items["s"]["end"] == "2024-06-20T10:00:00+02:00"
    assert items["w"]["reported_at"].endswith("+01:00")
    assert RFC3339.fullmatch(items["w"]["reported_at"])
    order = client.get("/api/v1/orders", **auth).json()[0]
    for moment in (order["sent_at"], order["accepted_at"]):
        assert moment is None or RFC3339.fullmatch(moment), moment
    doc = client.get("/api/v1/openapi.json").json()
    assert "RFC 3339" in doc["info"]["description"]


@pytest.fixture
def token(db):
    return provider_world().token


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client disconnects the same two receivers."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_gives_a_server_error_or_an_answer_outside_the_document(
    case, token, keep_connection
):
    # Every built-in check: not_a_server_error, status_code_conformance,
    # content_type_conformance, response_schema_conformance (RFC 3339 date-times included),
    # response_headers_conformance, negative_data_rejection, ignored_auth... but one:
    # positive_data_acceptance wants every schema-valid request accepted, and the document
    # says (description, 422) that business rules reject some: a personnummer's check digit,
    # an order that does not cover the day, an overlap. Those are 422s with the field named.
    case.call_and_validate(
        headers={"Authorization": bearer(token)["HTTP_AUTHORIZATION"]},
        excluded_checks=[positive_data_acceptance],
    )


@pytest.mark.django_db
def test_a_query_parameter_the_operation_does_not_declare_is_refused_by_name(client):
    auth = bearer(provider_world().token)
    assert client.get("/api/v1/orders?status=accepted", **auth).status_code == 200
    response = client.get("/api/v1/orders?statsu=accepted&=false", **auth)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "", "code": "unknown_parameter", "message": "unknown query parameter"},
        {"field": "statsu", "code": "unknown_parameter", "message": "unknown query parameter"},
    ]
    # Refused before anything is read: the token is still checked first.
    assert client.get("/api/v1/orders?statsu=accepted").status_code == 401
