"""Run the test suite on PostgreSQL when it can be reached, else on SQLite.

DATABASE_URL wins when set. Otherwise PostgreSQL on 127.0.0.1:5432 as user postgres is tried.
With FOLJA_REQUIRE_POSTGRES=1 (CI) an unreachable PostgreSQL fails the run instead of falling
back, so a green CI always means the PostgreSQL-only tests ran.
"""

from __future__ import annotations

import os
import subprocess
import sys

LOCAL_PG = "postgres://postgres@127.0.0.1:5432/folja"


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> int:
    env = dict(os.environ)
    require = env.get("FOLJA_REQUIRE_POSTGRES") == "1"
    url = env.get("DATABASE_URL")
    if not url:
        url = LOCAL_PG if postgres_reachable(LOCAL_PG) else "sqlite:///var/test.sqlite3"
        env["DATABASE_URL"] = url
    on_pg = url.startswith(("postgres://", "postgresql://"))
    if on_pg and not postgres_reachable(url):
        print(f"PostgreSQL at {url} cannot be reached.", file=sys.stderr)
        if require:
            return 1
    if require and not on_pg:
        print("FOLJA_REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: failing.", file=sys.stderr)
        return 1
    print(f"Test database: {'PostgreSQL' if on_pg else 'SQLite'} ({url})", flush=True)
    env.setdefault("FOLJA_ENV", "test")
    workers = env.get("FOLJA_TEST_WORKERS", "2")
    extra = sys.argv[1:]
    command = [sys.executable, "-m", "pytest", "-n", workers, "--dist", "loadfile", *extra]
    # Every test runs in parallel: the one that restarts a server starts its own throwaway
    # cluster (test_reliability_db_restart.py), so no test has to run alone.
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
