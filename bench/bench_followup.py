"""Benchmark of the follow-up measures layer (issue 6) at `national` scale.

Data: 290 districts (municipalities), 25,000 persons, five years (2020–2024) of decisions and
person-month facts, generated directly into the follow-up tables of a fresh PostgreSQL
database `folja_bench_followup` (the seed command's `national` scale is another engineer's;
this bench does not depend on it). The roll-up is then built by the same aggregation SQL the
incremental refresh uses.

Measured, warm, median of --runs:
  * page level: `overview(Slice.year(2024))` (everything the analyst's dashboard computes) and
    one district's overview, and `rejections_table(2024)` — the ≤ 1 s bar;
  * the three queries behind `measures_by(Slice.year(2024), "district")` as SQL on PostgreSQL,
    and the equivalent queries in DuckDB over the same rows exported to Parquet (pyarrow) in
    the same run. Prints the medians and the ratio PostgreSQL / DuckDB.

    .venv/bin/python bench/bench_followup.py [--runs 5] [--persons 25000] [--districts 290]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
from pgbench_db import recreate, urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "folja_bench_followup"
YEARS = (2020, 2021, 2022, 2023, 2024)
LIMIT_SECONDS = 1.0


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from folja.guidelines.reference import load_reference_data

    load_reference_data()


def _copy(conn: psycopg.Connection, table: str, columns: list[str], rows) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(db_url: str, persons: int, districts: int) -> None:
    """Synthetic national data, calibrated loosely on FACTS.md: 60 % women, rejection shares
    8–43 % by district, execution about 64 %, about half of flex3 users using flexibility."""
    from folja.guidelines.models import LegalBasis
    from folja.rules.stats import age_band

    rnd = random.Random(6)
    basis = {
        b.act: b.pk
        for b in LegalBasis.objects.filter(valid_from__lte=date(2020, 1, 1)).exclude(
            valid_to__lt=date(2024, 12, 31)
        )
    }
    with psycopg.connect(db_url) as conn:
        _copy(
            conn,
            "people_district",
            ["code", "name", "municipality", "active"],
            ((f"K{i:03d}", f"Kommun {i:03d}", f"Kommun {i:03d}", True) for i in range(districts)),
        )
        district_ids = [r[0] for r in conn.execute("SELECT id FROM people_district ORDER BY id")]
        reject_p = {d: rnd.uniform(0.08, 0.43) for d in district_ids}
        level = {d: rnd.uniform(-4, 4) for d in district_ids}
        people = []
        for i in range(persons):
            sex = "female" if rnd.random() < 0.6 else "male"
            born = date(rnd.randint(1935, 2015), rnd.randint(1, 12), rnd.randint(1, 28))
            people.append(
                (
                    f"B{i:012d}",
                    "Syntetisk",
                    f"Person {i}",
                    born,
                    sex,
                    rnd.choice(district_ids),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "svenska",
                    "standard",
                    "none",
                    "2020-01-01 00:00",
                    f"bench-{i}",
                )
            )
        _copy(
            conn,
            "people_person",
            [
                "personnummer",
                "first_name",
                "last_name",
                "birth_date",
                "sex",
                "district_id",
                "address",
                "postal_code",
                "city",
                "phone",
                "email",
                "language",
                "preferred_format",
                "protected_identity",
                "created_at",
                "pseudonym",
            ],
            people,
        )
        rows = conn.execute("SELECT id, district_id, sex, birth_date FROM people_person").fetchall()
        decisions, facts = [], []
        for pid, did, sex, born in rows:
            act = "LSS" if rnd.random() < 0.45 else "SoL"
            start = date(rnd.choice(YEARS[:-1]), rnd.randint(1, 12), 1)
            year, month = start.year, start.month
            while year <= 2024:
                decided = date(year, month, 1)
                rejected = rnd.random() < reject_p[did]
                outcome = (
                    ("rejected" if rnd.random() < 0.5 else "partly_rejected")
                    if rejected
                    else "granted"
                )
                model = "monthly" if year < 2018 + 2 else rnd.choice(["flex3", "flex3", "monthly"])
                hours = max(2, round(rnd.lognormvariate(2.6, 0.5) + level[did], 1))
                if outcome == "rejected":
                    decisions.append(
                        (
                            pid,
                            did,
                            decided,
                            outcome,
                            basis[act],
                            hours,
                            None,
                            model,
                            False,
                            None,
                            None,
                            "",
                            "[]",
                            "",
                            "",
                            "2020-01-01 00:00",
                        )
                    )
                    year += 1
                    continue
                decisions.append(
                    (
                        pid,
                        did,
                        decided,
                        outcome,
                        basis[act],
                        hours,
                        hours,
                        model,
                        False,
                        decided,
                        date(year + 1, month, 1) - timedelta(days=1),  # one year
                        "",
                        "[]",
                        "",
                        "",
                        "2020-01-01 00:00",
                    )
                )
                for k in range(12):
                    y, m = year + (month - 1 + k) // 12, (month - 1 + k) % 12 + 1
                    if y > 2024:
                        break
                    granted = int(hours * 60)
                    executed = int(granted * min(2.0, max(0.0, rnd.gauss(0.64, 0.3))))
                    band = age_band(born, date(y, m, 1))  # the application's one scheme
                    flex = model == "flex3"
                    facts.append(
                        (
                            pid,
                            date(y, m, 1),
                            did,
                            None,
                            act,
                            model,
                            sex,
                            band,
                            True,
                            flex,
                            flex and executed > granted,
                            granted,
                            executed,
                            executed,
                            max(0, granted - executed),
                            executed // 120,
                            rnd.randint(0, 1),
                            rnd.randint(0, 1),
                            0,
                            0,
                            round(rnd.uniform(0, 300), 2),
                            0,
                            0,
                        )
                    )
                year += 1
        _copy(
            conn,
            "cases_decision",
            [
                "person_id",
                "district_id",
                "decided_on",
                "outcome",
                "legal_basis_id",
                "requested_hours_per_month",
                "hours_per_month",
                "model",
                "double_staffing",
                "valid_from",
                "valid_to",
                "reasons",
                "rejected_parts",
                "deviation_reason",
                "external_ref",
                "created_at",
            ],
            decisions,
        )
        _copy(
            conn,
            "followup_personmonth",
            [
                "person_id",
                "month",
                "district_id",
                "provider_id",
                "act",
                "model",
                "sex",
                "age_band",
                "has_grant",
                "flex3_month",
                "used_flexibly",
                "granted_minutes",
                "executed_minutes",
                "charged_minutes",
                "lapsed_minutes",
                "sessions_executed",
                "cancelled_in_time",
                "cancelled_late",
                "no_shows",
                "cancelled_by_provider",
                "expenses_sek",
                "feedback_count",
                "complaint_count",
            ],
            facts,
        )
        conn.commit()
    print(f"generated {persons} persons, {len(decisions)} decisions, {len(facts)} person-months")


# The same rows `services._person_periods` derives, in SQL for speed: per person and year
# (tertial 0) and per tertial, the distinct slice values with the flags OR-ed.
PERIODS_SQL = """
INSERT INTO followup_personperiod (person_id, year, tertial, district_id, provider_id, act,
    model, sex, age_band, has_grant, flex3_month, used_flexibly)
SELECT person_id, y, t, district_id, provider_id, act, model, sex, age_band,
       bool_or(has_grant), bool_or(flex3_month), bool_or(used_flexibly)
FROM (
    SELECT *, EXTRACT(YEAR FROM month)::int AS y, 0 AS t FROM followup_personmonth
    UNION ALL
    SELECT *, EXTRACT(YEAR FROM month)::int, (EXTRACT(MONTH FROM month)::int - 1) / 4 + 1
    FROM followup_personmonth
) x
GROUP BY person_id, y, t, district_id, provider_id, act, model, sex, age_band
"""


def build_rollup() -> int:
    from folja.followup.models import MonthlyRollup, PersonMonth
    from folja.followup.services import _aggregate

    MonthlyRollup.objects.bulk_create(_aggregate(PersonMonth.objects.all()), batch_size=5000)
    from django.db import connection

    with connection.cursor() as c:
        c.execute(PERIODS_SQL)
        c.execute("VACUUM ANALYZE")
    return MonthlyRollup.objects.count()


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
        FROM followup_monthlyrollup WHERE month BETWEEN '2024-01-01' AND '2024-12-01'
        GROUP BY district_id""",
    "distinct persons by district": """
        SELECT district_id, COUNT(DISTINCT person_id) FILTER (WHERE has_grant),
               COUNT(DISTINCT person_id) FILTER (WHERE flex3_month),
               COUNT(DISTINCT person_id) FILTER (WHERE used_flexibly)
        FROM followup_personperiod WHERE year = 2024 AND tertial = 0
        GROUP BY district_id""",
    "decisions by district": """
        SELECT district_id, COUNT(*),
               COUNT(*) FILTER (WHERE outcome IN ('rejected', 'partly_rejected')),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_per_month)
        FROM cases_decision WHERE decided_on >= '2024-01-01' AND decided_on < '2025-01-01'
        GROUP BY district_id""",
}
DUCK_QUERIES = {
    "rollup sums by district": """
        SELECT district_id, SUM(granted_minutes), SUM(executed_minutes), SUM(lapsed_minutes),
               SUM(cancelled_in_time), SUM(cancelled_late), SUM(no_shows), SUM(expenses_sek)
        FROM rollup WHERE month BETWEEN DATE '2024-01-01' AND DATE '2024-12-01'
        GROUP BY district_id""",
    "distinct persons by district": """
        SELECT district_id, COUNT(DISTINCT person_id) FILTER (WHERE has_grant),
               COUNT(DISTINCT person_id) FILTER (WHERE flex3_month),
               COUNT(DISTINCT person_id) FILTER (WHERE used_flexibly)
        FROM periods WHERE year = 2024 AND tertial = 0
        GROUP BY district_id""",
    "decisions by district": """
        SELECT district_id, COUNT(*),
               COUNT(*) FILTER (WHERE outcome IN ('rejected', 'partly_rejected')),
               quantile_cont(hours_per_month, 0.5)
        FROM decisions WHERE decided_on >= DATE '2024-01-01' AND decided_on < DATE '2025-01-01'
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--persons", type=int, default=25000)
    parser.add_argument("--districts", type=int, default=290)
    args = parser.parse_args()
    admin, db_url = urls(DB)
    recreate(admin, DB)
    setup_django(db_url)
    t = time.perf_counter()
    generate(db_url, args.persons, args.districts)
    print(f"roll-up rows: {build_rollup()} (data ready in {time.perf_counter() - t:.1f} s)")

    from django.core.cache import cache

    from folja.followup.dashboards import overview
    from folja.followup.selectors import Slice, rejections_table
    from folja.people.models import District

    cache.clear()
    one = District.objects.order_by("id").first()
    page = {
        "city dashboard (overview 2024)": lambda: overview(Slice.year(2024)),
        "district dashboard (overview 2024)": lambda: overview(
            Slice.year(2024, district_id=one.pk)
        ),
        "rejections report 2024": lambda: rejections_table(year=2024),
    }
    print("\nPage level, PostgreSQL, warm median:")
    worst = 0.0
    for name, fn in page.items():
        s = timed(fn, args.runs)
        worst = max(worst, s)
        print(f"  {name:40s} {s * 1000:8.1f} ms")

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
                pg = timed(lambda n=name: conn.execute(PG_QUERIES[n]).fetchall(), args.runs)
                dk = timed(lambda n=name: duck.execute(DUCK_QUERIES[n]).fetchall(), args.runs)
                a = sorted(conn.execute(PG_QUERIES[name]).fetchall())
                b = sorted(duck.execute(DUCK_QUERIES[name]).fetchall())
                assert len(a) == len(b), name
                pg_total, duck_total = pg_total + pg, duck_total + dk
                print(
                    f"  {name:32s} PG {pg * 1000:7.1f} ms  DuckDB {dk * 1000:7.1f} ms  "
                    f"ratio {pg / dk:5.2f}"
                )
        print(
            f"  {'total':32s} PG {pg_total * 1000:7.1f} ms  DuckDB {duck_total * 1000:7.1f} ms  "
            f"ratio {pg_total / duck_total:5.2f}"
        )
    ok = worst <= LIMIT_SECONDS
    print(f"\nslowest page {worst:.3f} s — {'OK' if ok else 'OVER'} the 1 s bar")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
