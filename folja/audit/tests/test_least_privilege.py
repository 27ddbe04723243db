"""Least privilege on PostgreSQL: the application role cannot rewrite the access log or the
audit trail, by privilege and by ownership, not only because a trigger says no.

The suite itself connects as a superuser (pytest-django creates its databases). These tests
build a database of their own the way `make run` does: scripts/pg_roles.py sets up the owner
and application roles, the migrations run as the owner, and the probes connect as the
application role."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from psycopg import errors

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.audit.services import audit_record, log_access
from folja.testing.factories import PersonFactory, make_user

ROOT = Path(__file__).resolve().parents[3]
OWNER, APP = "folja_owner", "folja_app"
LOGS = ["audit_accesslog", "audit_auditevent"]
NOT_OWNER = "must be owner"
NO_PRIVILEGE = "permission denied for table"


def _url(user: str, dbname: str, password: str | None = None) -> str:
    s = settings.DATABASES["default"]
    auth = quote(user) + (f":{quote(password)}" if password else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def _admin_url() -> str:
    s = settings.DATABASES["default"]
    return os.environ.get("FOLJA_PG_ADMIN_URL") or _url(s["USER"], "postgres", s.get("PASSWORD"))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _pg_roles(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = _run(["scripts/pg_roles.py", *args], env)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def deployed():
    """A database set up as `make run` sets one up; dropped afterwards. The roles keep their
    usual names (the script recreates them idempotently, as .ci/run does), the database a
    name of its own."""
    name = f"folja_least_privilege_{uuid.uuid4().hex[:8]}"
    admin = _admin_url()
    env = {
        **os.environ,
        "FOLJA_PG_ADMIN_URL": admin,
        "DATABASE_URL": _url(APP, name),
        "FOLJA_MIGRATE_DATABASE_URL": _url(OWNER, name),
    }
    try:
        _pg_roles(env)
        _pg_roles(env)  # a second run changes nothing and fails on nothing
        migrate = _run(
            ["-m", "folja", "migrate", "-v0"], {**env, "DATABASE_URL": _url(OWNER, name)}
        )
        assert migrate.returncode == 0, migrate.stderr
        yield SimpleNamespace(name=name, admin=admin, env=env, app=_url(APP, name))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as(deployed, user: str) -> psycopg.Connection:
    return psycopg.connect(_url(user, deployed.name), autocommit=True)


def _log_rows(conn: psycopg.Connection) -> None:
    conn.execute(
        "INSERT INTO audit_accesslog (at, username, role, person_pseudonym, protected, "
        "in_caseload, what, path) VALUES (now(), 'probe', 'caseworker', 'P-1', false, true, "
        "'personakt', '/probe/')"
    )
    conn.execute(
        "INSERT INTO audit_auditevent (at, username, action, object_type, object_id, "
        "person_pseudonym, details) VALUES (now(), 'probe', 'probe', 'probe', '1', 'P-1', '{}')"
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_cannot_switch_triggers_off_with_the_replication_role(deployed):
    with _as(deployed, APP) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="session_replication_role"):
            conn.execute("SET session_replication_role = replica")
        with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT set_config('session_replication_role', 'replica', false)")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"ALTER ROLE {APP} SET session_replication_role = replica")
        assert conn.execute("SHOW session_replication_role").fetchone()[0] == "origin"


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_cannot_disable_drop_or_replace_the_append_only_trigger(deployed):
    with _as(deployed, APP) as conn:
        for table in LOGS:
            for statement in (
                f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                f"ALTER TABLE {table} DISABLE TRIGGER USER",
                f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
                f"DROP TRIGGER {table}_no_truncate ON {table}",
            ):
                with pytest.raises(errors.InsufficientPrivilege, match=NOT_OWNER):
                    conn.execute(statement)
        # Refused for want of CREATE on the schema before ownership is even asked about.
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for schema"):
            conn.execute(
                "CREATE OR REPLACE FUNCTION folja_append_only() RETURNS trigger AS "
                "$$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql"
            )


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_may_not_update_delete_or_truncate_the_logs_by_privilege(deployed):
    with _as(deployed, APP) as conn:
        _log_rows(conn)
        for table in LOGS:
            # "permission denied for table", not the trigger's "is append-only": refused by
            # privilege before the trigger is reached.
            for statement in (
                f"UPDATE {table} SET username = 'someone else'",
                f"DELETE FROM {table}",
                f"TRUNCATE {table}",
            ):
                with pytest.raises(errors.InsufficientPrivilege, match=NO_PRIVILEGE):
                    conn.execute(statement)
        assert conn.execute("SELECT count(*) FROM audit_accesslog").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_appends_to_the_logs_and_writes_the_ordinary_tables(deployed):
    with _as(deployed, APP) as conn:
        _log_rows(conn)
        assert conn.execute(
            "SELECT what FROM audit_accesslog WHERE username = 'probe' LIMIT 1"
        ).fetchone() == ("personakt",)
        district = conn.execute(
            "INSERT INTO people_district (code, name, municipality, active, appeal_address) "
            "VALUES ('probe', 'Prov', 'Stockholm', true, '') RETURNING id"
        ).fetchone()[0]
        conn.execute("UPDATE people_district SET name = 'Prov 2' WHERE id = %s", [district])
        conn.execute("DELETE FROM people_district WHERE id = %s", [district])
        # The import reserves session ids from the sequence, the bulk writer moves it on.
        reserved = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('delivery_session', 'id'))"
        ).fetchone()[0]
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('delivery_session', 'id'), %s)", [reserved + 1]
        )


@pytest.mark.postgres
@pytest.mark.slow
def test_the_application_role_owns_nothing_and_creates_nothing(deployed):
    with _as(deployed, APP) as conn:
        owned = conn.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole)"
            " + (SELECT count(*) FROM pg_proc WHERE proowner = current_user::regrole)"
            " + (SELECT count(*) FROM pg_namespace WHERE nspowner = current_user::regrole)"
            " + (SELECT count(*) FROM pg_database WHERE datdba = current_user::regrole)"
        ).fetchone()[0]
        assert owned == 0
        attributes = conn.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert attributes == (False, False, False, False, False)
        assert not conn.execute(
            "SELECT pg_has_role(current_user, %s, 'MEMBER')", [OWNER]
        ).fetchone()[0]
        with pytest.raises(errors.InsufficientPrivilege, match="schema public"):
            conn.execute("CREATE TABLE public.mine (id int)")
    with _as(deployed, OWNER) as conn:
        tables = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE tableowner = current_user) "
            "FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        assert tables[0] > 50 and tables[0] == tables[1]


@pytest.mark.postgres
@pytest.mark.slow
def test_the_trigger_still_refuses_the_owner_who_has_not_switched_it_off(deployed):
    with _as(deployed, APP) as conn:
        _log_rows(conn)
    with _as(deployed, OWNER) as conn:
        for table in LOGS:
            for statement in (f"UPDATE {table} SET username = 'x'", f"TRUNCATE {table}"):
                with pytest.raises(errors.InsufficientPrivilege, match="is append-only"):
                    conn.execute(statement)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_rerun_adopts_what_another_role_created_and_keeps_the_logs_closed(deployed):
    with psycopg.connect(deployed.admin, dbname=deployed.name, autocommit=True) as conn:
        conn.execute("CREATE TABLE legacy_probe (id bigint GENERATED BY DEFAULT AS IDENTITY)")
    _pg_roles(deployed.env)
    with _as(deployed, OWNER) as conn:
        # A table a later migration creates is the application's to write at once.
        conn.execute("CREATE TABLE later_probe (id bigint GENERATED BY DEFAULT AS IDENTITY)")
    with _as(deployed, APP) as conn:
        assert conn.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'legacy_probe'"
        ).fetchone() == (OWNER,)
        for table in ("legacy_probe", "later_probe"):
            conn.execute(f"INSERT INTO {table} DEFAULT VALUES")
            conn.execute(f"UPDATE {table} SET id = id")
            conn.execute(f"DELETE FROM {table}")
        for table in LOGS:
            with pytest.raises(errors.InsufficientPrivilege, match=NO_PRIVILEGE):
                conn.execute(f"DELETE FROM {table}")


@pytest.mark.postgres
def test_the_script_refuses_a_superuser_as_the_application_role_and_changes_nothing():
    name = f"folja_least_privilege_{uuid.uuid4().hex[:8]}"
    user = settings.DATABASES["default"]["USER"]  # the suite's superuser
    env = {**os.environ, "FOLJA_PG_ADMIN_URL": _admin_url(), "DATABASE_URL": _url(user, name)}
    env.pop("FOLJA_MIGRATE_DATABASE_URL", None)
    result = _run(["scripts/pg_roles.py"], env)
    assert result.returncode == 2
    assert "superuser" in result.stderr
    with psycopg.connect(_admin_url()) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    assert exists is None


def _logged() -> None:
    """One row in each log, through the services that write them."""
    user, person = make_user(Role.ADMINISTRATOR), PersonFactory()
    log_access(user=user, person=person, what="personakt")
    audit_record(user=user, action="probe", obj=person, person=person)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_trigger_refuses_truncate_in_a_test_database_too():
    # The exception 0004 made for databases named test_* is gone.
    assert connection.settings_dict["NAME"].startswith("test_")
    _logged()
    with connection.cursor() as cursor:
        # The rows' deferred foreign-key checks would refuse a TRUNCATE before the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in LOGS:
            for statement in (f"TRUNCATE {table}", f"DELETE FROM {table}"):
                with pytest.raises(DatabaseError, match="is append-only"), transaction.atomic():
                    cursor.execute(statement)
    assert AccessLog.objects.count() == 1 and AuditEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_wrote_the_logs_is_still_emptied_afterwards():
    # The flush after this test must get past the trigger (conftest.py _audit_tables_flushable).
    _logged()
    assert AccessLog.objects.count() == 1 and AuditEvent.objects.count() == 1
