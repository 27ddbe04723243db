from __future__ import annotations

import pytest


@pytest.fixture
def _flushable_audit_tables():
    """The audit tables are append-only on PostgreSQL (a trigger rejects TRUNCATE), which makes
    the flush after a transactional (browser) test fail. Switch triggers off for this
    connection only for that flush (`session_replication_role = replica`), on again before the
    next test. (Same fixture as the portal's tests.)"""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


@pytest.fixture(autouse=True)
def _fresh_fit_cache():
    """The fitted population is cached; rolled-back test data can reuse ids on SQLite, so each
    test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
