"""Suite-wide pytest setup: which database we are on, and PostgreSQL-only tests."""

from __future__ import annotations

import os

import pytest

_skipped_pg: list[str] = []


def _on_postgres() -> bool:
    from django.conf import settings

    if not settings.configured:  # pure-rules runs with `-p no:django`
        return False
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("FOLJA_REQUIRE_POSTGRES") == "1" and not _on_postgres():
        raise pytest.UsageError("FOLJA_REQUIRE_POSTGRES=1 but the test database is not PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (running on SQLite)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
            _skipped_pg.append(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _skipped_pg:
        terminalreporter.section("PostgreSQL-only tests skipped (running on SQLite)")
        for nodeid in _skipped_pg:
            terminalreporter.write_line(nodeid)


pytest_plugins = ["folja.testing.browser"]


@pytest.fixture(autouse=True)
def _fresh_reference_copies():
    """Pages keep copies of the reference data for a minute, and the follow-up its figures;
    each test builds its own."""
    from django.core.cache import cache

    from folja.ledger.bridge import clear_reference_copies

    cache.clear()
    clear_reference_copies()
    yield
    clear_reference_copies()


@pytest.fixture(autouse=True)
def _audit_tables_flushable(request):
    """The audit tables are append-only on PostgreSQL (a trigger rejects UPDATE, DELETE and
    TRUNCATE in every database, test databases included), so the flush that ends a
    transactional test (browser tests, live server) would fail. Just before that flush,
    triggers are switched off for this connection only, which takes the superuser the suite
    connects as: the application role cannot do it (folja/audit/tests/test_least_privilege.py).
    `session_replication_role` is a session setting and Django closes the connection after a
    transactional test's flush, so the next test starts with every trigger on again."""
    marker = request.node.get_closest_marker("django_db")
    # reset_sequences implies a transactional test in pytest-django.
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or any(
        name in request.fixturenames
        for name in (
            "transactional_db",
            "live_server",
            "django_db_reset_sequences",
            "django_db_serialized_rollback",
        )
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after us
    from django.db import connection

    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
