"""Benchmark of the providers' bulk session import (issue 4): 100,000 rows validated, stored and
verified by the rules engine, all or nothing, in ≤ 20 s on PostgreSQL.

Data: a fresh PostgreSQL database `folja_bench_import` with one provider, --persons persons
(each with a flex3 decision and an accepted order) and escorts, seeded directly (this bench
does not depend on `folja seed`). The rows are --rows sessions spread over 2024, as the import
endpoint receives them (dicts with the CSV columns).

Measured per run (sessions are emptied between runs), median of --runs:
  * `sessions_import(...)`: validation in memory, bulk insert, verification per person;
  * the reference: PostgreSQL `COPY` of the same rows into a plain table, in the same run.
Prints rows/s for both and the ratio import / COPY.

    .venv/bin/python bench/bench_import.py [--runs 3] [--rows 100000] [--persons 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
from pgbench_db import recreate, urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "folja_bench_import"
LIMIT_SECONDS = 20.0


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from folja.guidelines.reference import load_reference_data

    load_reference_data()


def seed(persons: int) -> tuple[object, list[dict]]:
    """One provider, its escorts, and `persons` persons with a decision and accepted order."""
    from folja.cases.models import Decision
    from folja.guidelines.models import GuidelineVersion, LegalBasis
    from folja.people.models import District, Person
    from folja.providers.models import Escort, Order, Provider
    from folja.rules.luhn import make_personnummer

    district = District.objects.create(code="B01", name="Bänkstaden")
    provider = Provider.objects.create(name="Bänk AB", org_number="556000-0001", regi="private")
    Escort.objects.bulk_create(
        Escort(
            provider=provider,
            first_name=f"L{i}",
            last_name="Bänk",
            gender="female",
            age_band="30-49",
        )
        for i in range(50)
    )
    basis = LegalBasis.objects.get(reference="LSS 9 § 3")
    guideline = GuidelineVersion.objects.order_by("-valid_from").first()
    people = Person.objects.bulk_create(
        Person(
            personnummer=make_personnummer(
                date(1950 + i // 1000, 1 + i // 100 % 10, 1 + i % 28), (i * 2) % 1000 or 998
            ),
            first_name="Syntetisk",
            last_name=f"Person {i}",
            birth_date=date(1950 + i // 1000, 1 + i // 100 % 10, 1 + i % 28),
            sex="female",
            district=district,
            pseudonym=f"B{i:010d}",
        )
        for i in range(persons)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            person=p,
            district=district,
            decided_on=date(2023, 12, 1),
            outcome="granted",
            legal_basis=basis,
            hours_per_month=40,
            model="flex3",
            guideline_version=guideline,
            valid_from=date(2024, 1, 1),
            valid_to=date(2024, 12, 31),
        )
        for p in people
    )
    orders = Order.objects.bulk_create(
        Order(decision=d, person=d.person, provider=provider, status="accepted") for d in decisions
    )
    escorts = list(Escort.objects.values_list("pk", flat=True))
    return provider, [
        {"pnr": o.person.personnummer, "order": o.pk, "escorts": escorts} for o in orders
    ]


def make_rows(people: list[dict], total: int) -> list[dict]:
    """`total` sessions, spread evenly over the persons and over 2024, non-overlapping."""
    rnd = random.Random(4)
    per_person = max(1, total // len(people))
    rows: list[dict] = []
    for n, p in enumerate(people):
        for k in range(per_person):
            if len(rows) >= total:
                break
            day = datetime(2024, 1, 1) + timedelta(days=k * 365 // per_person)
            start = day + timedelta(hours=rnd.choice((9, 13, 18)))
            end = start + timedelta(minutes=rnd.choice((60, 90, 120, 180)))
            status = "executed" if rnd.random() < 0.9 else "no_show"
            rows.append(
                {
                    "external_id": f"b{n}-{k}",
                    "personnummer": p["pnr"],
                    "order_id": str(p["order"]),
                    "escort_id": str(rnd.choice(p["escorts"])),
                    "start": f"{start:%Y-%m-%dT%H:%M}",
                    "end": f"{end:%Y-%m-%dT%H:%M}",
                    "status": status,
                    "cancelled_at": "",
                    "escorts": "1",
                }
            )
    return rows


def reset_sessions() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE delivery_session CASCADE")


def time_import(provider, rows: list[dict]) -> tuple[float, float]:
    """Wall time, and this process's CPU time (the machine is shared: CPU time shows the
    Python work whatever else is running; the database's own work is in the wall time)."""
    from folja.delivery.services import sessions_import

    reset_sessions()
    began, cpu = time.perf_counter(), time.process_time()
    result = sessions_import(user=None, provider=provider, rows=rows)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert result.created == len(rows), result
    return elapsed, cpu


def time_copy(db_url: str, rows: list[dict]) -> float:
    columns = list(rows[0])
    quoted = ", ".join(f'"{c}"' for c in columns)  # "end" is a reserved word
    with psycopg.connect(db_url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute("CREATE TABLE bench_copy (" + ", ".join(f'"{c}" text' for c in columns) + ")")
        conn.commit()
        began = time.perf_counter()
        with conn.cursor().copy(f"COPY bench_copy ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        conn.commit()
        return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=1000)
    args = parser.parse_args()

    admin, db_url = urls(DB)
    recreate(admin, DB)
    setup_django(db_url)
    provider, people = seed(args.persons)
    rows = make_rows(people, args.rows)
    print(f"{len(rows):,} rows, {args.persons:,} persons, {args.runs} runs", flush=True)
    imports, cpus, copies = [], [], []
    for run in range(args.runs):
        wall, cpu = time_import(provider, rows)
        imports.append(wall)
        cpus.append(cpu)
        copies.append(time_copy(db_url, rows))
        print(
            f"run {run + 1}: import {wall:.2f} s (Python CPU {cpu:.2f} s), COPY {copies[-1]:.2f} s",
            flush=True,
        )
    imp, cop = statistics.median(imports), statistics.median(copies)
    print(f"load average during the runs: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print(f"import Python CPU time: median {statistics.median(cpus):.2f} s")
    print(f"import (validate + store + verify): median {imp:.2f} s, {len(rows) / imp:,.0f} rows/s")
    print(f"PostgreSQL COPY (plain table):      median {cop:.2f} s, {len(rows) / cop:,.0f} rows/s")
    print(f"ratio import / COPY: {imp / cop:.1f}×")
    ok = imp <= LIMIT_SECONDS
    print(f"{'OK' if ok else 'TOO SLOW'}: limit {LIMIT_SECONDS:.0f} s for {len(rows):,} rows")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
