"""Benchmark of the casework pages (issue 3) at `city` scale on PostgreSQL.

Data: the `city` synthetic city (`folja seed --scale city`, ≈4,000 persons, 14 districts, five
years) in its own database `folja_bench_pages`, seeded once and kept (seeding runs only when the
database has no persons).

Measured in one process with Django's test client, warm, median of --runs renders each:
  * the caseload (first page, 50 persons, with the access log written as in production),
  * the person page of the district's typical person with a current decision (median number
    of sessions), and, reported but not gated, of the busiest one,
  * the unit manager's dashboard (tables; the SVG charts are separate requests, also timed),
    as served (its figures are cached for five minutes) and, reported but not gated, with the
    cache cleared before every render;
  * the person page and Mina sidor of the same life with one year and with ten years of
    history (bench/history_persons.py), gated at ten years ≤ 1.2 × one year;
against two references measured in the same run: the `healthz` view (one `SELECT 1`) and the
login page render. Prints each median and its ratio to the references; exits 1 when a page's
median is over 150 ms.

    .venv/bin/python bench/bench_pages.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from pgbench_db import urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "folja_bench_pages"
LIMIT_MS = 150.0
HISTORY_RATIO = 1.2


def ensure_database(admin: str, db_url: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB}")
    env = os.environ | {"DATABASE_URL": db_url}
    folja = [sys.executable, "-m", "folja"]
    subprocess.run([*folja, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    print("seeding `city` if empty (first run only) …", flush=True)
    subprocess.run([*folja, "seed", "--scale", "city", "--if-empty"], check=True, env=env, cwd=ROOT)


def median_ms(client, url: str, runs: int, expect: int = 200, before=None) -> float:
    for _ in range(3):  # warm connections and templates
        response = client.get(url)
        if response.status_code != expect:
            raise SystemExit(f"{url}: status {response.status_code}")
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == expect
    return statistics.median(times)


def pick(today):
    """The largest district, its staff (created if the seed has none), and two persons with a
    decision in force: the typical one (median number of sessions) and the busiest."""
    from django.db.models import Count

    from folja.accounts.models import Role, User
    from folja.cases.models import Decision
    from folja.people.models import District, Person

    district = District.objects.annotate(n=Count("persons")).order_by("-n").first()

    def staff(role: str, username: str) -> User:
        user = User.objects.filter(role=role, district=district, is_active=True).first()
        if user is None:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"role": role, "district": district}
            )
        return user

    current = Decision.objects.filter(
        district=district, valid_from__lte=today, valid_to__gte=today
    ).values("person_id")
    persons = list(
        Person.objects.filter(pk__in=current).annotate(n=Count("sessions")).order_by("n", "pk")
    )
    if not persons:
        return district, None, None, None, None
    return (
        district,
        staff(Role.CASEWORKER, "bench_caseworker"),
        staff(Role.UNIT_MANAGER, "bench_manager"),
        persons[len(persons) // 2],
        persons[-1],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args, _unknown = parser.parse_known_args()
    runs = max(args.runs, 5)

    admin, db_url = urls(DB)
    ensure_database(admin, db_url)
    os.environ["DATABASE_URL"] = db_url
    os.environ["DEBUG"] = "0"  # no query log, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folja.config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from folja.core.clock import today

    district, caseworker, manager, person, busiest = pick(today())
    if person is None:
        print("no person with a current decision: is the seed complete?", file=sys.stderr)
        return 1
    cw, um, anon = Client(), Client(), Client()
    sys.path.insert(0, str(ROOT / "bench"))
    cw.force_login(caseworker)
    um.force_login(manager)

    results = {
        "reference: healthz (SELECT 1)": median_ms(anon, reverse("healthz"), runs),
        "reference: login page": median_ms(anon, reverse("login"), runs),
        "caseload": median_ms(cw, reverse("cases:caseload"), runs),
        "caseload search": median_ms(cw, reverse("cases:caseload") + "?q=an", runs),
        "person page": median_ms(cw, reverse("cases:person_detail", args=[person.pk]), runs),
        "person page, busiest person": median_ms(
            cw, reverse("cases:person_detail", args=[busiest.pk]), runs
        ),
        "manager dashboard": median_ms(um, reverse("cases:manager_dashboard"), runs),
        "manager dashboard, cache cleared": median_ms(
            um, reverse("cases:manager_dashboard"), runs, before=cache.clear
        ),
        "dashboard chart (svg)": median_ms(
            um, reverse("cases:manager_chart", args=["timmar"]), runs
        ),
    }
    # A page's cost must not grow with the length of a person's history: the same life with
    # one and with ten years behind it, person page and Mina sidor, in this same run.
    from history_persons import history_persons

    one_year, ten_years = history_persons(district, today())
    history: dict[str, float] = {}
    for label, user in (("1 year", one_year), ("10 years", ten_years)):
        own = Client()
        own.force_login(user)
        page = reverse("cases:person_detail", args=[user.person_id])
        history[f"person page, {label}"] = median_ms(cw, page, runs)
        history[f"Mina sidor, {label}"] = median_ms(own, reverse("portal:home"), runs)
    results.update(history)
    ref_select = results["reference: healthz (SELECT 1)"]
    ref_login = results["reference: login page"]
    print(
        f"district: {district.name}; typical person #{person.pk} ({person.n} sessions), "
        f"busiest #{busiest.pk} ({busiest.n} sessions); {runs} runs each, medians"
    )
    print(f"{'page':32} {'ms':>8} {'× SELECT 1':>11} {'× login':>8}")
    failed = []
    for name, ms in results.items():
        print(f"{name:32} {ms:8.1f} {ms / ref_select:11.1f} {ms / ref_login:8.2f}")
        if (
            not name.startswith("reference")
            and name
            in (
                "caseload",
                "person page",
                "manager dashboard",
            )
            and ms > LIMIT_MS
        ):
            failed.append(name)
    for page in ("person page", "Mina sidor"):
        ratio = history[f"{page}, 10 years"] / history[f"{page}, 1 year"]
        print(f"{page}: ten years of history / one year = {ratio:.2f} (limit {HISTORY_RATIO})")
        if ratio > HISTORY_RATIO:
            failed.append(f"{page} grows with history")
    if failed:
        print(f"over {LIMIT_MS:.0f} ms: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all pages within {LIMIT_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
