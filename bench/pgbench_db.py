"""The benchmarks' own PostgreSQL databases: each bench works in a database of its own on the
server named by DATABASE_URL (default postgres@127.0.0.1:5432), created fresh per run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
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


ROOT = Path(__file__).resolve().parent.parent


def folja(db_url: str, *args: str) -> None:
    """Run `folja ARGS` against `db_url` with this interpreter and this checkout (`-m folja`
    from the repository root), whichever tree it is."""
    env = os.environ | {"DATABASE_URL": db_url, "FOLJA_ENV": "development"}
    subprocess.run([sys.executable, "-m", "folja", *args], env=env, check=True, cwd=ROOT)


def seeded(db: str, *, scale: str, today: str, reuse: str | None) -> str:
    """URL of a database seeded at `scale`: `reuse` as it is, else `db` made fresh, migrated
    and seeded (the seed's time printed)."""
    if reuse:
        return reuse
    admin, db_url = urls(db)
    recreate(admin, db)
    folja(db_url, "migrate", "-v0")
    start = time.perf_counter()
    folja(db_url, "seed", "--scale", scale, "--today", today, "--quiet")
    print(f"seed {scale}: {time.perf_counter() - start:.1f} s", flush=True)
    return db_url
