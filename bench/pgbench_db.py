"""The benchmarks' own PostgreSQL databases: each bench works in a database of its own on the
server named by DATABASE_URL (default postgres@127.0.0.1:5432), created fresh per run."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import psycopg


def urls(db: str) -> tuple[str, str]:
    """(admin URL of the server's `postgres` database, URL of the bench database `db`)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    p = urlparse(url)
    base = f"postgres://{p.username or 'postgres'}"
    base += f":{p.password}" if p.password else ""
    base += f"@{p.hostname or '127.0.0.1'}:{p.port or 5432}"
    return f"{base}/postgres", f"{base}/{db}"


def drop(admin: str, db: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db}")


def recreate(admin: str, db: str) -> None:
    drop(admin, db)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {db}")
