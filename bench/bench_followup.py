"""Benchmark of the follow-up at `national` scale (issue 6, issue 14).

Data: `folja seed --scale national` (25,000 persons in 290 municipalities, every session verified
through the ledger, the roll-up built from the ledger's stored results) in a fresh PostgreSQL
database `folja_bench_followup`, or, with --reuse URL, a database already seeded that way.

Measured, warm (the process and PostgreSQL's buffers warm, the page cache cleared before every
request so each one computes its figures), median of --runs, for the last full year of the data:
  * the pages as an analyst gets them through Django: the city dashboard, one district's
    dashboard, the equality page and the execution-rate slices page — the ≤ 1 s bar;
  * `overview()` alone, what the dashboard computes;
  * the three aggregate queries behind the dashboard's per-district measures as SQL on
    PostgreSQL, and the same queries in DuckDB over the same rows exported to Parquet (pyarrow)
    in the same run — the ≤ 3× bar is PostgreSQL's total over DuckDB's.

    .venv/bin/python bench/bench_followup.py [--runs 5] [--today YYYY-MM-DD] [--reuse URL] [--keep]

Prints each figure, then one JSON line; exits 1 when a page is over 1 s or the ratio over 3.
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
from datetime import date
from pathlib import Path

import psycopg
from pgbench_db import drop, seeded, urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "folja_bench_followup"
LIMIT_SECONDS = 1.0
LIMIT_RATIO = 3.0


def timed(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


PG_QUERIES = {
    "rollup sums by district": """
        SELECT district_id, SUM(granted_minutes), SUM(executed_minutes), SUM(lapsed_minutes),
               SUM(cancelled_in_time), SUM(cancelled_late), SUM(no_shows), SUM(expenses_sek)
        FROM followup_monthlyrollup WHERE month BETWEEN '{year}-01-01' AND '{year}-12-01'
        GROUP BY district_id""",
    "distinct persons by district": """
        SELECT district_id, COUNT(DISTINCT person_id) FILTER (WHERE has_grant),
               COUNT(DISTINCT person_id) FILTER (WHERE flex3_month),
               COUNT(DISTINCT person_id) FILTER (WHERE used_flexibly)
        FROM followup_personperiod WHERE year = {year} AND tertial = 0
        GROUP BY district_id""",
    "decisions by district": """
        SELECT district_id, COUNT(*),
               COUNT(*) FILTER (WHERE outcome IN ('rejected', 'partly_rejected')),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_per_month)
        FROM cases_decision WHERE decided_on >= '{year}-01-01' AND decided_on < '{next}-01-01'
        GROUP BY district_id""",
}
DUCK_QUERIES = {
    "rollup sums by district": """
        SELECT district_id, SUM(granted_minutes), SUM(executed_minutes), SUM(lapsed_minutes),
               SUM(cancelled_in_time), SUM(cancelled_late), SUM(no_shows), SUM(expenses_sek)
        FROM rollup WHERE month BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-01'
        GROUP BY district_id""",
    "distinct persons by district": """
        SELECT district_id, COUNT(DISTINCT person_id) FILTER (WHERE has_grant),
               COUNT(DISTINCT person_id) FILTER (WHERE flex3_month),
               COUNT(DISTINCT person_id) FILTER (WHERE used_flexibly)
        FROM periods WHERE year = {year} AND tertial = 0
        GROUP BY district_id""",
    "decisions by district": """
        SELECT district_id, COUNT(*),
               COUNT(*) FILTER (WHERE outcome IN ('rejected', 'partly_rejected')),
               quantile_cont(hours_per_month, 0.5)
        FROM decisions WHERE decided_on >= DATE '{year}-01-01' AND decided_on < DATE '{next}-01-01'
        GROUP BY district_id""",
}


def export_parquet(db_url: str, folder: Path) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    tables = {
        "rollup": "SELECT month, district_id, granted_minutes, executed_minutes, lapsed_minutes, "
        "cancelled_in_time, cancelled_late, no_shows, expenses_sek::float8 AS expenses_sek "
        "FROM followup_monthlyrollup",
        "periods": "SELECT year, tertial, district_id, person_id, has_grant, flex3_month, "
        "used_flexibly FROM followup_personperiod",
        "decisions": "SELECT district_id, decided_on, outcome, hours_per_month::float8 AS "
        "hours_per_month FROM cases_decision",
    }
    paths = {}
    with psycopg.connect(db_url) as conn:
        for name, sql in tables.items():
            buffer = io.BytesIO()
            with conn.cursor().copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            table = pacsv.read_csv(buffer)
            if "month" in table.column_names:
                table = table.set_column(
                    table.column_names.index("month"), "month", table["month"].cast(pa.date32())
                )
            path = folder / f"{name}.parquet"
            pq.write_table(table, path)
            paths[name] = path
    return paths


def _page_timer(client, url: str):
    from django.core.cache import cache

    def fetch() -> None:
        cache.clear()  # each request computes its figures; "warm" is the process and buffers
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", default=date.today().isoformat())
    parser.add_argument("--reuse", help="URL of a database already seeded at national scale")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    admin, _ = urls(DB)
    db_url = seeded(DB, scale="national", today=args.today, reuse=args.reuse)
    year = date.fromisoformat(args.today).year - 1  # the last full year of the data
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from folja.accounts.models import Role, User
    from folja.followup.dashboards import overview
    from folja.followup.models import MonthlyRollup, PersonMonth
    from folja.followup.selectors import Slice, rejections_table
    from folja.people.models import District, Person

    settings.ALLOWED_HOSTS = ["*"]
    analyst = User.objects.filter(role=Role.ANALYST, is_active=True).first()
    assert analyst is not None, "the seed makes an analyst login"
    client = Client()
    client.force_login(analyst)
    busiest = (
        PersonMonth.objects.filter(month__year=year)
        .values_list("district_id", flat=True)
        .order_by()
        .first()
    )
    one = District.objects.get(pk=busiest)
    print(
        f"data: {Person.objects.count():,} persons, {District.objects.count()} districts, "
        f"{PersonMonth.objects.count():,} person-months, "
        f"{MonthlyRollup.objects.count():,} roll-up rows; year {year}",
        flush=True,
    )
    pages = {
        "city dashboard page": f"/uppfoljning/?year={year}",
        "district dashboard page": f"/uppfoljning/stadsdel/?year={year}&district={one.pk}",
        "equality page": f"/uppfoljning/likvardighet/?year={year}",
        "execution-rate slices page": f"/uppfoljning/utforandegrad/?year={year}",
    }
    figures: dict[str, float] = {}
    print("\nPages through Django, PostgreSQL, warm median:")
    for name, url in pages.items():
        figures[name] = timed(_page_timer(client, url), args.runs)
        print(f"  {name:40s} {figures[name] * 1000:8.1f} ms", flush=True)
    computations = {
        "overview(), city": lambda: overview(Slice.year(year)),
        "overview(), one district": lambda: overview(Slice.year(year, district_id=one.pk)),
        "rejections_table() (folja report rejections)": lambda: rejections_table(year=year),
    }
    print("\nThe computations alone, warm median:")
    for name, fn in computations.items():
        figures[name] = timed(fn, args.runs)
        print(f"  {name:40s} {figures[name] * 1000:8.1f} ms", flush=True)

    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        paths = export_parquet(db_url, Path(tmp))
        duck = duckdb.connect()
        for name, path in paths.items():
            duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        print("\nSame query, PostgreSQL vs DuckDB on Parquet, warm median:")
        pg_total = duck_total = 0.0
        with psycopg.connect(db_url) as conn:
            for name in PG_QUERIES:
                pg_sql = PG_QUERIES[name].format(year=year, next=year + 1)
                dk_sql = DUCK_QUERIES[name].format(year=year, next=year + 1)
                pg = timed(lambda q=pg_sql: conn.execute(q).fetchall(), args.runs)
                dk = timed(lambda q=dk_sql: duck.execute(q).fetchall(), args.runs)
                a = sorted(conn.execute(pg_sql).fetchall())
                b = sorted(duck.execute(dk_sql).fetchall())
                assert len(a) == len(b) > 0, name  # same rows, and not an empty year
                pg_total, duck_total = pg_total + pg, duck_total + dk
                print(
                    f"  {name:32s} PG {pg * 1000:7.1f} ms  DuckDB {dk * 1000:7.1f} ms  "
                    f"ratio {pg / dk:5.2f}"
                )
        ratio = pg_total / duck_total
        print(
            f"  {'total':32s} PG {pg_total * 1000:7.1f} ms  DuckDB {duck_total * 1000:7.1f} ms  "
            f"ratio {ratio:5.2f}"
        )
    worst = max(figures[name] for name in pages)
    ok = worst <= LIMIT_SECONDS and ratio <= LIMIT_RATIO
    result = {
        "benchmark": "followup",
        "year": year,
        "runs": args.runs,
        "median_ms": {n: round(v * 1000, 1) for n, v in figures.items()},
        "queries_pg_ms": round(pg_total * 1000, 1),
        "queries_duckdb_ms": round(duck_total * 1000, 1),
        "ratio_pg_to_duckdb": round(ratio, 2),
        "limits": {"page_seconds": LIMIT_SECONDS, "ratio": LIMIT_RATIO},
    }
    print(json.dumps(result))
    if not args.reuse and not args.keep:
        from django.db import connections

        connections.close_all()
        drop(admin, DB)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
