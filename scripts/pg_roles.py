"""Set up Följa's two PostgreSQL roles. Safe to run any number of times.

- The **owner** (FOLJA_MIGRATE_DATABASE_URL; default: DATABASE_URL with the user `folja_owner`
  and no password) owns the database, its `public` schema and every object in it. Migrations
  and the seed run as the owner.
- The **application** (DATABASE_URL, e.g. postgres://folja_app@127.0.0.1:5432/folja) owns
  nothing. It may SELECT, INSERT, UPDATE and DELETE the tables and use the sequences — also the
  ones later migrations create, through ALTER DEFAULT PRIVILEGES FOR ROLE owner — but may not
  UPDATE, DELETE or TRUNCATE the access log or the audit trail. Not being their owner, it cannot
  disable or drop the append-only trigger; not being a superuser, it cannot set
  `session_replication_role`.

The script connects as FOLJA_PG_ADMIN_URL (a superuser; default
postgres://postgres@127.0.0.1:5432/postgres), creates each role if missing (LOGIN, no
superuser, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS; the password from its URL, if any),
creates the database owned by the owner if missing, hands objects someone else created in
`public` to the owner (a database migrated as `postgres` before), then grants and revokes.
It refuses (exit 2, before changing anything) a superuser in either URL.

    python scripts/pg_roles.py               roles, database and privileges
    python scripts/pg_roles.py --roles-only  the two roles only (.ci/run)
    python scripts/pg_roles.py --owner-url   print the owner's URL (make run migrates with it)
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import psycopg
from psycopg import errors, sql

ADMIN_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
APP_DEFAULT = "postgres://folja_app@127.0.0.1:5432/folja"
OWNER_DEFAULT = "folja_owner"
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT, UPDATE"  # nextval/setval: the import reserves its ids
LOG_REWRITES = "UPDATE, DELETE, TRUNCATE"
# The log tables are the ones carrying the append-only trigger (audit migration 0002), so this
# script and the migrations cannot disagree about which tables they are.
LOG_TABLES = """
SELECT DISTINCT c.relname FROM pg_trigger t
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE p.proname = 'folja_append_only' AND n.nspname = 'public'
ORDER BY 1
"""
# Relations in `public` someone other than the owner owns, extensions' own aside. Sequences
# that belong to a column (serial, identity) follow their table and cannot be handed over alone.
FOREIGN_RELATIONS = """
SELECT c.relname, c.relkind FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relowner <> %(owner)s::regrole
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e')
ORDER BY 1
"""
FOREIGN_ROUTINES = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.proowner <> %(owner)s::regrole AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e')
"""
KIND = {
    "r": "TABLE",
    "p": "TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "f": "FOREIGN TABLE",
    "S": "SEQUENCE",
}


class Refused(Exception):
    """A setting that would leave the application with more rights than it should have."""


@dataclass(frozen=True)
class Login:
    user: str
    password: str | None
    host: str
    port: int
    dbname: str


def parse(url: str, variable: str) -> Login:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise Refused(f"{variable} is not a PostgreSQL URL: {parts.scheme or url!r}")
    if not parts.username:
        raise Refused(f"{variable} names no user; it must name its role")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise Refused(f"{variable} names no database")
    return Login(
        user=unquote(parts.username),
        password=unquote(parts.password) if parts.password is not None else None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        dbname=dbname,
    )


def default_owner_url(app_url: str) -> str:
    """The application's URL with the owner's user name and no password (local trust or a
    ~/.pgpass entry; set FOLJA_MIGRATE_DATABASE_URL to give the owner a password)."""
    parts = urlsplit(app_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(OWNER_DEFAULT)}@{host}"))


def urls(env: dict[str, str]) -> tuple[str, str, str]:
    """Admin, owner and application URLs from the environment."""
    app = env.get("DATABASE_URL") or APP_DEFAULT
    owner = env.get("FOLJA_MIGRATE_DATABASE_URL") or default_owner_url(app)
    return env.get("FOLJA_PG_ADMIN_URL") or ADMIN_DEFAULT, owner, app


def check(owner: Login, app: Login) -> None:
    if (owner.host, owner.port, owner.dbname) != (app.host, app.port, app.dbname):
        raise Refused(
            "FOLJA_MIGRATE_DATABASE_URL and DATABASE_URL must name the same server and database"
        )
    if owner.user == app.user:
        raise Refused(
            f"the owner and the application must be two roles; both URLs name {app.user!r}"
        )


def setup(admin_url: str, owner: Login, app: Login, *, roles_only: bool = False) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        _refuse_superusers(conn, [("FOLJA_MIGRATE_DATABASE_URL", owner), ("DATABASE_URL", app)])
        for login in (owner, app):
            _ensure_role(conn, login)
        _no_membership(conn, owner.user, app.user)
        if roles_only:
            return
        _ensure_database(conn, owner)
    with (
        psycopg.connect(admin_url, dbname=app.dbname, autocommit=True) as conn,
        conn.transaction(),
    ):
        _adopt(conn, owner.user)
        _grant(conn, owner.user, app)


def _refuse_superusers(conn, logins: list[tuple[str, Login]]) -> None:
    me = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not me or not me[0]:
        raise Refused("FOLJA_PG_ADMIN_URL must connect as a superuser")
    for variable, login in logins:
        row = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = %s", [login.user]
        ).fetchone()
        if row and row[0]:
            raise Refused(
                f"{variable} connects as {login.user!r}, a superuser, who can switch off the "
                "append-only trigger; name a role of its own (e.g. folja_app / folja_owner)"
            )


def _ensure_role(conn, login: Login) -> None:
    role = sql.Identifier(login.user)
    attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
    row = conn.execute(
        "SELECT rolcanlogin, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = %s",
        [login.user],
    ).fetchone()
    if row is None:
        # A concurrent run may create it a moment before us, with the same attributes.
        with contextlib.suppress(errors.DuplicateObject):
            conn.execute(sql.SQL("CREATE ROLE {} {}").format(role, attributes))
    elif tuple(row) != (True, False, False, False, False):
        conn.execute(sql.SQL("ALTER ROLE {} {}").format(role, attributes))
    if login.password is not None:
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(login.password)))


def _no_membership(conn, owner: str, app: str) -> None:
    """A member of the owner role would inherit the owner's rights."""
    member = conn.execute(
        "SELECT 1 FROM pg_auth_members WHERE roleid = %s::regrole AND member = %s::regrole",
        [owner, app],
    ).fetchone()
    if member:
        conn.execute(
            sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app))
        )


def _ensure_database(conn, owner: Login) -> None:
    name, role = sql.Identifier(owner.dbname), sql.Identifier(owner.user)
    row = conn.execute(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [owner.dbname]
    ).fetchone()
    if row is None:
        # template0: nobody is ever connected to it, unlike template1 under a busy suite.
        with contextlib.suppress(errors.DuplicateDatabase):
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0").format(name, role)
            )
    elif row[0] != owner.user:
        conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(name, role))


def _adopt(conn, owner: str) -> None:
    role = sql.Identifier(owner)
    for relname, relkind in conn.execute(FOREIGN_RELATIONS, {"owner": owner}).fetchall():
        conn.execute(
            sql.SQL("ALTER {} {} OWNER TO {}").format(
                sql.SQL(KIND[relkind]), sql.Identifier(relname), role
            )
        )
    for (signature,) in conn.execute(FOREIGN_ROUTINES, {"owner": owner}).fetchall():
        # regprocedure's text is already a quoted, schema-resolvable signature.
        conn.execute(sql.SQL("ALTER ROUTINE {} OWNER TO {}").format(sql.SQL(signature), role))


def _grant(conn, owner: str, app: Login) -> None:
    o, a = sql.Identifier(owner), sql.Identifier(app.user)
    tables, sequences = sql.SQL(TABLE_PRIVILEGES), sql.SQL(SEQUENCE_PRIVILEGES)
    statements = [
        sql.SQL("ALTER SCHEMA public OWNER TO {}").format(o),
        # Before PostgreSQL 15 every role could create objects in `public`, and own them.
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(app.dbname), a),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(a),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(tables, a),
        sql.SQL("GRANT {} ON ALL SEQUENCES IN SCHEMA public TO {}").format(sequences, a),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON TABLES TO {}"
        ).format(o, tables, a),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT {} ON SEQUENCES TO {}"
        ).format(o, sequences, a),
    ]
    for statement in statements:
        conn.execute(statement)
    # After the grant on all tables, which included the logs.
    for (table,) in conn.execute(LOG_TABLES).fetchall():
        conn.execute(
            sql.SQL("REVOKE {} ON {} FROM {}").format(
                sql.SQL(LOG_REWRITES), sql.Identifier(table), a
            )
        )


def main(argv: list[str]) -> int:
    admin_url, owner_url, app_url = urls(dict(os.environ))
    try:
        owner = parse(owner_url, "FOLJA_MIGRATE_DATABASE_URL")
        app = parse(app_url, "DATABASE_URL")
        check(owner, app)
        if "--owner-url" in argv:
            print(owner_url)
            return 0
        setup(admin_url, owner, app, roles_only="--roles-only" in argv)
    except Refused as exc:
        print(f"pg_roles: refused: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # psycopg's errors: cannot connect, no privilege, …
        print(f"pg_roles: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    what = "roles" if "--roles-only" in argv else f"database {app.dbname!r}"
    print(f"pg_roles: {what} ready: {owner.user} owns, {app.user} serves (logs append-only)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
