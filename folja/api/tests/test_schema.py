"""The OpenAPI document validates, and schemathesis finds no 5xx anywhere in the API."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth  # noqa: F401  (import check only)

from folja.config.wsgi import application
from folja.testing.factories_providers import bearer, provider_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def test_the_openapi_document_is_a_valid_openapi_3_document(client):
    import jsonschema_rs  # noqa: F401  (the validator is present in the venv)

    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    # schemathesis parses every operation; an invalid document raises here.
    ops = [op for op in schema.get_all_operations()]
    assert len(ops) >= 10
    assert all(op.ok() for op in ops)


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
def test_no_input_gives_a_server_error(case, token, keep_connection):
    from schemathesis.checks import not_a_server_error

    headers = {"Authorization": bearer(token)["HTTP_AUTHORIZATION"]}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
