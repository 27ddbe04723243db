"""Backup and restore with a manifest: row count and SHA-256 per table, computed from the same
snapshot the dump is taken from, and checked again after a restore.

PostgreSQL: `pg_dump --format=custom --snapshot=…` inside a REPEATABLE READ transaction that
also computes the manifest, so dump and manifest see exactly the same rows even while users
keep working. `pg_restore --single-transaction` restores all or nothing.
SQLite (the demo): the online backup API, which copies a consistent image.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection

MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    pass


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def table_digests(cursor, tables: list[str], quote) -> dict[str, dict[str, Any]]:
    """Row count and a digest of every row, in a fixed order, per table. Rows are ordered by
    all columns so the digest does not depend on physical order."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608  # nosec B608
        rows = sorted(repr(tuple(_normal(v) for v in row)) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        result[table] = {"rows": len(rows), "sha256": digest}
    return result


def _normal(value: Any) -> Any:
    # The same value must digest the same whichever driver read it.
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name}: not found on PATH")
    return found


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _pg_args(settings_dict: dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return args


def current_digests() -> dict[str, dict[str, Any]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return table_digests(cursor, tables, connection.ops.quote_name)


def backup(path: Path) -> dict[str, dict[str, Any]]:
    path = Path(path)
    if connection.vendor == "postgresql":
        manifest = _backup_postgres(path)
    elif connection.vendor == "sqlite":
        manifest = _backup_sqlite(path)
    else:
        raise BackupError(f"database: {connection.vendor} is not supported")
    manifest_path(path).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
    return manifest


def _backup_postgres(path: Path) -> dict:
    pg_dump = _tool("pg_dump")
    settings_dict = connection.settings_dict
    connection.ensure_connection()
    raw = connection.connection
    # A dedicated transaction whose snapshot pg_dump shares (--snapshot).
    previous_autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # Arguments are a list (no shell); values come from settings, not from users.
            result = subprocess.run(  # noqa: S603
                [
                    pg_dump,
                    *_pg_args(settings_dict),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--file",
                    str(path),
                    str(settings_dict["NAME"]),
                ],
                env=_pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump: {result.stderr.strip()}")
            tables = connection.introspection.table_names(cursor)
            manifest = table_digests(cursor, tables, connection.ops.quote_name)
        raw.rollback()
    finally:
        raw.autocommit = previous_autocommit
    return manifest


def _backup_sqlite(path: Path) -> dict:
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(path) as target:
        source.backup(target)
    return current_digests()


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                return False
    return True


def restore(path: Path) -> dict[str, dict[str, Any]]:
    """Restore `path` into the (empty) configured database and check it against the manifest.
    Returns the manifest; raises BackupError on any difference."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"file: {path} does not exist")
    mpath = manifest_path(path)
    if not mpath.exists():
        raise BackupError(f"file: manifest {mpath.name} is missing next to the backup")
    manifest = json.loads(mpath.read_text("utf-8"))
    if not database_is_empty():
        raise BackupError("database: not empty; restore only into an empty database")
    if connection.vendor == "postgresql":
        _restore_postgres(path)
    elif connection.vendor == "sqlite":
        _restore_sqlite(path)
    else:
        raise BackupError(f"database: {connection.vendor} is not supported")
    restored = current_digests()
    differences = [
        t for t in sorted(set(manifest) | set(restored)) if manifest.get(t) != restored.get(t)
    ]
    if differences:
        raise BackupError(f"verify: tables differ after restore: {', '.join(differences)}")
    return manifest


def _restore_postgres(path: Path) -> None:
    settings_dict = connection.settings_dict
    # pg_restore opens its own connection; ours must not hold anything open meanwhile.
    connection.close()
    result = subprocess.run(  # noqa: S603 - a list, no shell; values from settings
        [
            _tool("pg_restore"),
            *_pg_args(settings_dict),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(settings_dict["NAME"]),
            str(path),
        ],
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore: {result.stderr.strip()}")


def _restore_sqlite(path: Path) -> None:
    connection.ensure_connection()
    target = connection.connection
    with sqlite3.connect(path) as source:
        source.backup(target)
