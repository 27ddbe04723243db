"""`folja backup` / `folja restore` round trip: every table's row count and digest equal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from folja.accounts.models import Role
from folja.audit.backup import table_digests
from folja.audit.services import log_access
from folja.testing.factories import DecisionFactory, SessionFactory, make_user

ROOT = Path(__file__).resolve().parents[3]


def _some_data() -> None:
    session = SessionFactory()
    DecisionFactory(person=session.person, reasons='Åäö – "citat" och\nradbrytning')
    user = make_user(Role.CASEWORKER, district=session.person.district)
    log_access(user=user, person=session.person, what="personakt")


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_postgres_backup_restores_into_an_empty_database_with_equal_tables(tmp_path):
    _some_data()
    dump = tmp_path / "folja.dump"
    call_command("backup", str(dump), stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = {}
    with connection.cursor() as cursor:
        source = table_digests(
            cursor, connection.introspection.table_names(cursor), connection.ops.quote_name
        )
    assert source["audit_accesslog"]["rows"] == 1
    target = f"folja_restore_{uuid.uuid4().hex[:8]}"
    admin = _pg_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target}"')
    try:
        env = {**os.environ, "DATABASE_URL": _pg_url(target)}
        result = subprocess.run(
            [sys.executable, "-m", "folja", "restore", str(dump)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        assert "Återställd och kontrollerad" in result.stdout
        # Read the restored database through Django's own driver setup, as the manifest was.
        probe = (
            "import django, json; django.setup();"
            "from folja.audit.backup import current_digests;"
            "print(json.dumps(current_digests()))"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe],
            env={**env, "DJANGO_SETTINGS_MODULE": "folja.config.settings"},
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
        restored = json.loads(out.stdout)
        # The append-only trigger came back with the data.
        with (
            psycopg.connect(_pg_url(target)) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("DELETE FROM audit_accesslog")
        assert restored == source
        # A second restore into the now non-empty database is refused.
        again = subprocess.run(
            [sys.executable, "-m", "folja", "restore", str(dump)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=180,
        )
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_round_trips_and_a_tampered_manifest_is_caught(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL has its own test")
    _some_data()
    dump = tmp_path / "folja.sqlite3"
    call_command("backup", str(dump), stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = dump.with_name(dump.name + ".manifest.json")
    target = tmp_path / "restored.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}"}
    result = subprocess.run(
        [sys.executable, "-m", "folja", "restore", str(dump)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    target2 = tmp_path / "restored2.sqlite3"
    manifest.write_text(manifest.read_text().replace('"rows": 1', '"rows": 2', 1))
    result = subprocess.run(
        [sys.executable, "-m", "folja", "restore", str(dump)],
        env={**env, "DATABASE_URL": f"sqlite:///{target2}"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0 and "differ" in result.stderr


@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_data():
    _some_data()
    with pytest.raises(CommandError, match=r"not empty|missing|does not exist"):
        call_command("restore", "/nonexistent/folja.dump")


def test_restore_names_the_missing_file():
    with pytest.raises(CommandError, match="file:"):
        call_command("restore", "/nonexistent/folja.dump")
