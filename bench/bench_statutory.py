"""Benchmark: producing each statutory file (issue 14) for the `national` data, at most 30 s each.

Seeds `folja seed --scale national` into a fresh PostgreSQL database `folja_bench_statutory`
(or, with --reuse URL, uses a database already seeded), then, in one warm process, times each
file as its command makes it, validation and the record of the file included:

  * the LSS register on 1 October of the data's last year (`lss-register`);
  * the SoL register of the last full month (`sol-register`);
  * cost per person for the last full year (`kpb`);
  * decisions not carried out, the last full quarter, IVO's and the committee's files
    (`not-carried-out`; the register is filled once beforehand by the work list's refresh
    at the quarter's end, untimed, unless --no-refresh).

The reference, measured in the same run on the same server, is a plain PostgreSQL
`COPY delivery_session TO STDOUT` (every session row out of the database): the ratio says how
far each file is from the bare cost of reading the largest table once.

    .venv/bin/python bench/bench_statutory.py [--runs 3] [--scale national] [--today YYYY-MM-DD]
        [--reuse postgres://.../db] [--no-refresh] [--keep]

Prints each run, then one JSON line with the medians; exits 1 when a median is over 30 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
from pgbench_db import drop, folja, seeded, urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "folja_bench_statutory"
LIMIT_SECONDS = 30.0  # the bar per statutory file


def reference_copy(db_url: str) -> float:
    with psycopg.connect(db_url) as conn, conn.cursor() as cur:
        start = time.perf_counter()
        with cur.copy("COPY delivery_session TO STDOUT") as copy:
            for _ in copy:
                pass
        return time.perf_counter() - start


def periods(today: date) -> dict[str, tuple]:
    """The last complete period of each report before `today`."""
    october = date(today.year if today >= date(today.year, 10, 1) else today.year - 1, 10, 1)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    quarter_index = (today.month - 1) // 3  # the current quarter, 0-based
    year, quarter = (today.year, quarter_index) if quarter_index else (today.year - 1, 4)
    return {
        "lss-register": ("--date", october.isoformat()),
        "sol-register": ("--month", f"{last_month:%Y-%m}"),
        "kpb": ("--year", str(today.year - 1)),
        "not-carried-out": ("--year", str(year), "--quarter", str(quarter)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="national", choices=["demo", "city", "national"])
    parser.add_argument("--today", default=date.today().isoformat())
    parser.add_argument("--reuse", help="URL of a database already seeded: no seeding")
    parser.add_argument("--no-refresh", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    today = date.fromisoformat(args.today)
    admin, _ = urls(DB)
    db_url = seeded(DB, scale=args.scale, today=args.today, reuse=args.reuse)
    jobs = periods(today)
    if not args.no_refresh:
        year, quarter = int(jobs["not-carried-out"][1]), int(jobs["not-carried-out"][3])
        quarter_end = date(year + (quarter == 4), quarter % 4 * 3 + 1, 1) - timedelta(days=1)
        folja(db_url, "refresh_tasks", "--today", quarter_end.isoformat())

    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    times: dict[str, list[float]] = {name: [] for name in jobs}
    references: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        for run in range(1, args.runs + 1):
            references.append(reference_copy(db_url))
            for name, period in jobs.items():
                target = out if name == "not-carried-out" else str(Path(out) / f"{name}.out")
                start = time.perf_counter()
                call_command(
                    "report",
                    name,
                    *period,
                    "--out",
                    target,
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
                times[name].append(time.perf_counter() - start)
            print(
                f"run {run}: "
                + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in times.items())
                + f"; COPY of the sessions {references[-1]:.2f} s",
                flush=True,
            )
    reference = statistics.median(references)
    result = {
        "benchmark": "statutory",
        "scale": args.scale,
        "runs": args.runs,
        "median_seconds": {n: round(statistics.median(t), 2) for n, t in times.items()},
        "median_copy_seconds": round(reference, 2),
        "ratio_to_copy": {
            n: round(statistics.median(t) / reference, 1) if reference else None
            for n, t in times.items()
        },
        "limit_seconds": LIMIT_SECONDS,
    }
    print(json.dumps(result))
    if not args.reuse and not args.keep:
        from django.db import connections

        connections.close_all()
        drop(admin, DB)
    return 1 if any(v > LIMIT_SECONDS for v in result["median_seconds"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
