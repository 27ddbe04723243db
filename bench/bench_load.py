"""Load test: headless locust against gunicorn + PostgreSQL on the `city` data.

Seeds `folja_bench_load` with `folja seed --scale city` once (kept between runs), starts
gunicorn (production-like: DEBUG off), runs the scenario in bench/locustfile.py
(caseworkers, providers, persons) and prints requests/s, median and p95 response times and
the error count. Target (issue 8): at least 50 requests/s with p95 at most 300 ms and zero
errors on a 2-core machine; exits 1 when a target is missed.

    .venv/bin/python bench/bench_load.py [--users 100] [--rate 55] [--seconds 60] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DB = "folja_bench_load"
TARGET_RPS, TARGET_P95_MS = 50.0, 300.0


def _base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url.rsplit("/", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "FOLJA_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "ERROR",
    }


def ensure_database(db_url: str) -> None:
    admin = _base_url() + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')
    env = _env(db_url)
    folja = str(VENV_BIN / "folja")
    subprocess.run([folja, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    with psycopg.connect(db_url) as conn:
        persons = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
    if persons == 0:
        print("seeding the city (once)…", flush=True)
        subprocess.run([folja, "seed", "--scale", "city"], env=env, check=True, cwd=ROOT)
    subprocess.run([folja, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)


def bench_users(db_url: str, password: str, per_role: int = 20) -> dict[str, list[str]]:
    """Users whose password is the demo password, per role. Seeded users share a handful of
    password hashes, so one check per distinct hash finds them all."""
    from django.conf import settings

    if not settings.configured:
        settings.configure()
    from django.contrib.auth.hashers import check_password

    users: dict[str, list[str]] = {}
    with psycopg.connect(db_url) as conn:
        for role in ("caseworker", "provider_staff", "person"):
            hashes = [
                h
                for (h,) in conn.execute(
                    "SELECT DISTINCT password FROM accounts_user WHERE role = %s AND is_active",
                    [role],
                ).fetchall()
                if check_password(password, h)
            ]
            rows = conn.execute(
                "SELECT username FROM accounts_user WHERE role = %s AND is_active "
                "AND password = ANY(%s) ORDER BY id LIMIT %s",
                [role, hashes, per_role],
            ).fetchall()
            users[role] = [r[0] for r in rows]
    missing = [r for r, names in users.items() if not names]
    if missing:
        raise SystemExit(f"no users with the demo password and roles {missing}: seed first")
    return users


def _wait_until_serving(port: int, workers: int) -> None:
    """Until every worker has answered: the measurement must not include worker start-up."""
    import urllib.request

    deadline = time.monotonic() + 120
    answered = 0
    while time.monotonic() < deadline and answered < 4 * workers:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/login/", timeout=30):  # nosec B310
                answered += 1
        except OSError:
            time.sleep(0.5)


def _login(base: str, username: str, password: str):
    """An opener with a logged-in session, through the real login form."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/konto/login/", timeout=60).read().decode()  # nosec B310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    opener.open(f"{base}/konto/login/", data=data, timeout=60).read()  # nosec B310
    return opener


def single_user_reference(base: str, users: dict[str, list[str]], password: str) -> list[float]:
    """The reference, measured in the same run on the same server: the scenario's pages
    fetched one at a time by a single user of each role (milliseconds per page)."""
    import re

    pages: list[tuple[object, str]] = []
    caseworker = _login(base, users["caseworker"][0], password)
    caseload = caseworker.open(f"{base}/handlaggning/", timeout=60).read().decode()  # nosec B310
    persons = re.findall(r'href="/handlaggning/person/(\d+)/"', caseload)[:10]
    pages += [(caseworker, "/handlaggning/"), (caseworker, "/handlaggning/arbetslista/")]
    pages += [(caseworker, f"/handlaggning/person/{pk}/") for pk in persons]
    provider = _login(base, users["provider_staff"][0], password)
    inbox = provider.open(f"{base}/utforare/", timeout=60).read().decode()  # nosec B310
    orders = re.findall(r'href="/utforare/bestallning/(\d+)/"', inbox)[:10]
    pages += [(provider, "/utforare/"), (provider, "/utforare/pass/")]
    pages += [(provider, f"/utforare/bestallning/{pk}/") for pk in orders]
    person = _login(base, users["person"][0], password)
    pages += [(person, "/mina-sidor/"), (person, "/mina-sidor/pengar/"), (person, "/information/")]
    times: list[float] = []
    for _round in range(3):
        for opener, path in pages:
            started = time.perf_counter()
            opener.open(f"{base}{path}", timeout=60).read()  # nosec B310
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def _percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument(
        "--rate",
        type=float,
        default=55,
        help="requests/s offered by all users together (default 55: 10 %% above the target)",
    )
    parser.add_argument("--seconds", type=int, default=60)
    # Four single-threaded workers measured best on two cores: a worker waiting for
    # PostgreSQL leaves the core to another, without threads contending for one GIL.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    db_url = f"{_base_url()}/{DB}"
    ensure_database(db_url)
    users = bench_users(db_url, os.environ.get("FOLJA_BENCH_PASSWORD", "demo"))
    port = _free_port()
    env = _env(db_url)
    gunicorn = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "folja.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
            "--preload",
        ],
        env=env,
        cwd=ROOT,
    )
    out = Path("var") / "bench_load"
    out.mkdir(parents=True, exist_ok=True)
    try:
        _wait_until_serving(port, args.workers)
        reference = single_user_reference(
            f"http://127.0.0.1:{port}", users, os.environ.get("FOLJA_BENCH_PASSWORD", "demo")
        )
        window_file = out / "window.json"
        window_file.unlink(missing_ok=True)
        locust_env = {
            **env,
            "FOLJA_BENCH_USERS": json.dumps(users),
            "FOLJA_BENCH_SECONDS": str(args.seconds),
            "FOLJA_BENCH_RATE": str(args.rate),
            "FOLJA_BENCH_USER_COUNT": str(args.users),
            "FOLJA_BENCH_WINDOW_FILE": str(window_file),
        }
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                # A cap only: the locustfile stops the run `seconds` after the last login.
                "--run-time",
                f"{args.seconds + 600}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(out / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=ROOT,
            check=False,
        )
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()

    window = json.loads(window_file.read_text()) if window_file.exists() else {}
    measured = float(window.get("measured_seconds", 0))
    if measured < args.seconds * 0.9:
        print(f"RESULT: FAIL (the steady state was not reached: measured {measured:.0f} s)")
        return 1
    with open(out / "load_stats.csv", encoding="utf-8") as fh:
        rows = {r["Name"]: r for r in csv.DictReader(fh)}
    total = rows["Aggregated"]
    rps = float(total["Requests/s"])
    p50 = float(total["50%"])
    p95 = float(total["95%"])
    failures = int(total["Failure Count"])
    requests = int(total["Request Count"])
    print(
        f"\nload: {args.users} users offering {args.rate:.0f} req/s together, "
        f"{measured:.0f} s measured after the last login, "
        f"gunicorn {args.workers} workers × {args.threads} threads"
    )
    for name, r in sorted(rows.items()):
        if name != "Aggregated":
            count = int(r["Request Count"])
            print(f"  {name:20} {count:6} req  p50 {r['50%']:>5} ms  p95 {r['95%']:>5} ms")
    print(
        f"total: {requests} requests, {rps:.1f} req/s (target ≥ {TARGET_RPS:.0f}), "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (target ≤ {TARGET_P95_MS:.0f}), errors {failures}"
    )
    ref_p50, ref_p95 = _percentile(reference, 0.5), _percentile(reference, 0.95)
    print(
        f"reference, same pages one at a time on the same server: p50 {ref_p50:.0f} ms, "
        f"p95 {ref_p95:.0f} ms; under load p95 is {p95 / ref_p95:.1f}× that"
    )
    ok = rps >= TARGET_RPS and p95 <= TARGET_P95_MS and failures == 0
    print("RESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
