"""The database goes away under request load and comes back: while it is down every request
gets the 503 page ("Tjänsten är tillfälligt otillgänglig", with Retry-After), never a 500
traceback, and once it is back the very next requests succeed, a logged-in session included.

The database is a throwaway PostgreSQL cluster of the test's own — `initdb` into a temporary
directory, its own free port on 127.0.0.1, its unix socket in that directory — migrated and
served by the application under gunicorn, as in production. Stopping and starting that cluster
disturbs nothing else on the machine (the suite's own PostgreSQL is never touched), so the test
runs with the others. The cluster is stopped and deleted at the end, also when the test fails.

PostgreSQL refuses to run as root: as root (CI), the cluster is owned and run by the `postgres`
OS user. The server binaries come from Debian's `postgresql` package (`make install`)."""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
PG_LIB = Path("/usr/lib/postgresql")
CLUSTER_OWNER = "postgres"
UNAVAILABLE = "Tjänsten är tillfälligt otillgänglig"
DEADLINE_SECONDS = 120.0
# Migrates the throwaway database and logs an analyst in, printing the session cookie.
PREPARE = """
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from folja.accounts.models import Role
from folja.testing.factories import make_user
call_command("migrate", verbosity=0)
client = Client()
client.force_login(make_user(Role.ANALYST))
print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def _server_bindir() -> Path:
    """The newest installed PostgreSQL's server binaries (Debian keeps them off PATH)."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.parent.name.split(".") if part.isdigit())

    found = sorted((p for p in PG_LIB.glob("*/bin") if (p / "initdb").exists()), key=version)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found: run `make install`")


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", CLUSTER_OWNER, "--", *command]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(condition: Callable[[], bool], what: str, timeout: float = DEADLINE_SECONDS) -> None:
    """Polls `condition` until it holds; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> None:
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "120", *args]
        done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)
        assert done.returncode == 0, (done.stdout, done.stderr, self.log())

    def start(self) -> None:
        # fsync off: the cluster is thrown away, and syncing would slow the machine for others.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c shared_buffers=16MB -c max_connections=30"
        )
        self.pg_ctl("-l", str(self.root / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""


@pytest.fixture
def throwaway_cluster() -> Iterator[Cluster]:
    bindir = _server_bindir()
    root = Path(tempfile.mkdtemp(prefix="folja-pg-"))
    cluster = None
    try:
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(CLUSTER_OWNER)
            except KeyError:
                pytest.fail(f"running as root needs the `{CLUSTER_OWNER}` OS user to own a cluster")
            os.chown(root, owner.pw_uid, owner.pw_gid)
        initdb = [
            str(bindir / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
        done = subprocess.run(_as_owner(initdb), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        cluster = Cluster(bindir, root, _free_port())
        cluster.start()
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE folja")
        yield cluster
    finally:
        if cluster is not None and cluster.running():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class App:
    port: int
    cookie: str
    process: subprocess.Popen
    errors: Path

    def request(self, path: str, *, logged_in: bool = False) -> tuple[int, dict, str]:
        """One request on a fresh connection, redirects not followed."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Cookie": self.cookie} if logged_in else {})
            response = conn.getresponse()
            body = response.read().decode(errors="replace")
            return response.status, dict(response.getheaders()), body
        finally:
            conn.close()


@pytest.fixture
def app(throwaway_cluster, tmp_path) -> Iterator[App]:
    env = {
        **os.environ,
        "DATABASE_URL": throwaway_cluster.url("folja"),
        "FOLJA_ENV": "test",
        "DEBUG": "0",  # a 500 would be the plain production page, as a user would see it
        "FOLJA_VAR_DIR": str(tmp_path / "var"),
    }
    prepared = subprocess.run(
        [sys.executable, "-m", "folja", "shell", "-c", PREPARE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr
    name, value = prepared.stdout.split()[-2:]
    port = _free_port()
    errors = tmp_path / "gunicorn.log"
    with errors.open("w") as log:
        # Two workers, each keeping its database connection between requests (CONN_MAX_AGE):
        # after the restart those connections are dead and must be noticed, not used.
        process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "folja.config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
    server = App(port, f"{name}={value}", process, errors)
    try:

        def serving() -> bool:
            assert process.poll() is None, errors.read_text()
            try:
                return server.request("/healthz")[0] == 200
            except OSError:
                return False

        _until(serving, "gunicorn to answer /healthz")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Load:
    """Requests from several threads, each remembering in which phase it started and ended."""

    app: App
    phase: str = "up"
    results: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, path: str, logged_in: bool) -> None:
        while not self.stop.is_set():
            began = self.phase
            try:
                status, headers, body = self.app.request(path, logged_in=logged_in)
                seen = _classify(path, status, headers, body)
            except OSError as exc:  # the application server itself must stay up
                seen = f"no answer: {exc}"
            with self.lock:
                self.results.append((began, self.phase, path, status, seen))

    def count(self, phase: str) -> int:
        with self.lock:
            return sum(1 for began, ended, *_ in self.results if began == ended == phase)


def _classify(path: str, status: int, headers: dict, body: str) -> str:
    """'ok', 'unavailable' (the clean 503 page), or what else came back."""
    if path == "/healthz" and status == 200 and '"ok"' in body:
        return "ok"
    # The analyst's session was read from the database: sent on to the start page.
    if path == "/" and status == 302 and headers.get("Location") == "/uppfoljning/":
        return "ok"
    if (
        status == 503
        and UNAVAILABLE in body
        and headers.get("Retry-After") == "30"
        and "no-store" in headers.get("Cache-Control", "")
    ):
        return "unavailable"
    return f"{status} {headers.get('Location', '')} {body[:300]}"


@pytest.mark.slow
def test_requests_while_the_database_is_down_get_the_503_page_and_succeed_once_it_is_back(
    throwaway_cluster, app
):
    load = Load(app)
    threads = [
        threading.Thread(target=load.run, args=(path, path == "/"), daemon=True)
        for path in ("/healthz", "/healthz", "/", "/")
    ]
    for thread in threads:
        thread.start()
    try:
        _until(lambda: load.count("up") >= 20, "requests before the outage")

        load.phase = "stopping"
        throwaway_cluster.stop()
        load.phase = "down"
        status, headers, body = app.request("/healthz")
        assert _classify("/healthz", status, headers, body) == "unavailable"
        status, headers, body = app.request("/", logged_in=True)
        assert _classify("/", status, headers, body) == "unavailable"
        _until(lambda: load.count("down") >= 20, "requests during the outage")

        load.phase = "starting"
        throwaway_cluster.start()
        load.phase = "back"
        # The very first requests after the restart succeed: the connections the workers kept
        # are found dead and replaced, and the login stored in the database is still valid.
        status, headers, body = app.request("/healthz")
        assert _classify("/healthz", status, headers, body) == "ok"
        status, headers, body = app.request("/", logged_in=True)
        assert _classify("/", status, headers, body) == "ok"
        _until(lambda: load.count("back") >= 20, "requests after the restart")
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=90)

    # Every answer was either the page itself or the clean 503 page; none a 500 or traceback.
    assert {seen for *_, seen in load.results} <= {"ok", "unavailable"}
    # Each phase answered as it should: pages while up, the 503 page while down, pages again
    # from the first request after the restart (requests spanning a change are not judged).
    by_phase: dict[str, set[str]] = {}
    for began, ended, _path, _status, seen in load.results:
        if began == ended:
            by_phase.setdefault(began, set()).add(seen)
    assert by_phase["up"] == {"ok"}
    assert by_phase["down"] == {"unavailable"}
    assert by_phase["back"] == {"ok"}
    assert app.process.poll() is None, app.errors.read_text()
