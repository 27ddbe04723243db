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
