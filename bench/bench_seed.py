"""Benchmark: `folja seed --scale city` into a fresh PostgreSQL database.

Each run drops and creates the database `folja_bench_seed`, migrates it, and times the seed
command end to end (process start, generation, rules-engine verification of every session,
COPY, commit). The reference, measured in the same run on the same server, is a plain
PostgreSQL COPY of as many session-shaped rows into an unindexed table: the ratio says how
far the whole load is from the bare cost of moving that many rows into PostgreSQL.

    .venv/bin/python bench/bench_seed.py [--runs 3] [--scale city] [--today YYYY-MM-DD]

PostgreSQL is taken from DATABASE_URL (its host, port and user) or postgres@127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from pgbench_db import drop, recreate, urls

ROOT = Path(__file__).resolve().parent.parent
FOLJA = str(ROOT / ".venv" / "bin" / "folja")
DB = "folja_bench_seed"
LIMIT_SECONDS = 120  # the bar for `city`


def folja(db_url: str, *args: str) -> None:
    env = os.environ | {"DATABASE_URL": db_url, "FOLJA_ENV": "development"}
    subprocess.run([FOLJA, *args], env=env, check=True, cwd=ROOT)


def session_count(db_url: str) -> int:
    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT count(*) FROM delivery_session").fetchone()[0]


def reference_copy(db_url: str, rows: int) -> float:
    """Seconds to COPY `rows` session-shaped rows into a plain table (no indexes, no FKs)."""
    start0 = datetime(2022, 1, 1, 10, 0)
    data = [
        (
            i,
            i % 4000 + 1,
            start0 + timedelta(hours=i),
            start0 + timedelta(hours=i, minutes=180),
            "executed",
            180,
            180,
            "1269.00",
            '{"day": 180}',
            "[]",
        )
        for i in range(rows)
    ]
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "CREATE TABLE bench_reference (id bigint, person_id bigint, start timestamp, "
            '"end" timestamp, status text, charged integer, payable integer, payment numeric, '
            "band_minutes jsonb, flags jsonb)"
        )
        conn.commit()
        began = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY bench_reference FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="city")
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    admin_url, db_url = urls(DB)
    seeds, copies, ratios = [], [], []
    sessions = 0
    for run in range(1, args.runs + 1):
        recreate(admin_url, DB)
        folja(db_url, "migrate", "-v0", "--skip-checks")
        began = time.perf_counter()
        folja(db_url, "seed", "--scale", args.scale, "--today", args.today, "--quiet")
        seconds = time.perf_counter() - began
        sessions = session_count(db_url)
        reference = reference_copy(db_url, sessions)
        seeds.append(seconds)
        copies.append(reference)
        ratios.append(seconds / reference)
        print(
            f"run {run}: seed {args.scale} {seconds:.1f} s; COPY of {sessions} rows "
            f"{reference:.2f} s; ratio {seconds / reference:.1f}",
            flush=True,
        )
    if not args.keep:
        drop(admin_url, DB)
    result = {
        "benchmark": "seed",
        "scale": args.scale,
        "runs": args.runs,
        "sessions": sessions,
        "median_seed_seconds": round(statistics.median(seeds), 1),
        "median_reference_copy_seconds": round(statistics.median(copies), 2),
        "median_ratio": round(statistics.median(ratios), 1),
        "limit_seconds": LIMIT_SECONDS if args.scale == "city" else None,
    }
    print(json.dumps(result))
    if args.scale == "city" and result["median_seed_seconds"] > LIMIT_SECONDS:
        print(f"city took longer than {LIMIT_SECONDS} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
