from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Receipts are written to disk; keep them out of var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def _flushable_audit_tables(request):
    """The audit tables are append-only on PostgreSQL (a trigger rejects TRUNCATE), which makes
    the flush after a transactional (browser) test fail. Triggers are switched off for this
    connection only, just before that flush (`session_replication_role = replica` is a session
    setting; Django closes the connection right after a transactional test's flush, so the next
    test starts with every trigger on again)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
