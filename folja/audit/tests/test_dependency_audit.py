"""`make audit` is a check that can fail: it fails when pip-audit's service cannot be reached or
answers without vulnerability data, on a known vulnerability and on an unaudited dependency;
it is not part of `make test`; and the repository names no package registry's host."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from folja.audit import dependency_audit
from folja.audit.dependency_audit import AuditRun, audit_problems, canary_problem

ROOT = Path(__file__).resolve().parents[3]

VULNERABLE_CANARY = AuditRun(
    1,
    {
        "dependencies": [
            {
                "name": "django",
                "version": "3.2",
                "vulns": [{"id": "PYSEC-2021-98", "fix_versions": ["3.2.1"]}],
            }
        ]
    },
    "",
)
CLEAN = AuditRun(
    0,
    {
        "dependencies": [
            {"name": "folja", "skip_reason": "distribution marked as editable"},
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "psycopg", "version": "3.2.9", "vulns": []},
        ]
    },
    "",
)
NO_REPORT = AuditRun(1, None, "Traceback ...\nrequests.exceptions.ConnectionError: refused\n")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_audit_fails_when_its_service_cannot_be_reached():
    # Every request pip-audit makes goes to a proxy on a port nobody listens on: nothing leaves
    # the machine, and the service is as unreachable as on an offline one.
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {**os.environ, "NO_PROXY": "", "no_proxy": ""}
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        env[name] = proxy
    done = subprocess.run(
        [sys.executable, "-m", "folja.audit.dependency_audit"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "could not be reached" in done.stderr
    assert "SKIPPED" not in done.stdout + done.stderr


def test_a_service_that_answers_without_vulnerability_data_fails_the_canary():
    # What a mirror or proxy without the vulnerability feed answers: the canary "not found", or
    # found without vulnerabilities.
    not_found = AuditRun(
        0,
        {
            "dependencies": [
                {"name": "django", "skip_reason": "Dependency not found and could not be audited"}
            ]
        },
        "",
    )
    no_vulns = AuditRun(
        0, {"dependencies": [{"name": "django", "version": "3.2", "vulns": []}]}, ""
    )
    assert "not found" in canary_problem(not_found)
    assert "not returning vulnerability data" in canary_problem(no_vulns)
    assert "could not be reached" in canary_problem(NO_REPORT)
    assert canary_problem(VULNERABLE_CANARY) is None


def test_a_known_vulnerability_or_a_dependency_it_could_not_audit_fails_the_audit():
    report = {
        "dependencies": [
            {"name": "folja", "skip_reason": "distribution marked as editable"},
            {"name": "pillow", "version": "9.0.0", "vulns": [{"id": "GHSA-x", "fix_versions": []}]},
            {"name": "private-wheel", "skip_reason": "Dependency not found"},
        ]
    }
    assert audit_problems(AuditRun(1, report, "")) == [
        "pillow 9.0.0: GHSA-x (fixed in no fixed release yet)",
        "private-wheel: not audited (Dependency not found)",
    ]
    assert "could not be reached" in audit_problems(NO_REPORT)[0]
    assert audit_problems(CLEAN) == []


@pytest.mark.parametrize(
    ("canary", "audit", "code"),
    [
        (VULNERABLE_CANARY, CLEAN, 0),
        (NO_REPORT, CLEAN, 1),
        (AuditRun(0, {"dependencies": []}, ""), CLEAN, 1),
        (VULNERABLE_CANARY, NO_REPORT, 1),
        (VULNERABLE_CANARY, VULNERABLE_CANARY, 1),
    ],
)
def test_the_audit_passes_only_when_the_canary_is_vulnerable_and_the_environment_clean(
    monkeypatch, capsys, canary, audit, code
):
    runs = iter([canary, audit])
    monkeypatch.setattr(dependency_audit, "run_pip_audit", lambda *args: next(runs))
    assert dependency_audit.main() == code
    output = capsys.readouterr()
    assert ("no known vulnerabilities" in output.out) == (code == 0)
    assert "SKIPPED" not in output.out + output.err


def _make_dry_run(target: str) -> str:
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def test_make_test_leaves_the_dependency_audit_to_make_audit():
    assert "folja.audit.dependency_audit" not in _make_dry_run("test")
    assert "folja.audit.dependency_audit" in _make_dry_run("audit")


# Built from parts, so that this file does not name them either (nor match a grep for them).
REGISTRY_HOSTS = [
    ".".join(parts)
    for parts in (
        ("pypi", "org"),
        ("python" + "hosted", "org"),
        ("registry", "npmjs", "org"),
        ("registry", "yarnpkg", "com"),
        ("deb", "debian", "org"),
        ("security", "debian", "org"),
        ("crates", "io"),
        ("proxy", "golang", "org"),
        ("rubygems", "org"),
    )
]


def test_the_repository_names_no_package_registry_host():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.split(b"\0")
    pattern = re.compile("|".join(re.escape(host) for host in REGISTRY_HOSTS), re.IGNORECASE)
    named = []
    for name in filter(None, listed):
        path = ROOT / name.decode()
        if not path.is_file():  # deleted in the work tree
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        named += [f"{name.decode()}: {m.group(0)}" for m in pattern.finditer(text)]
    assert named == []
