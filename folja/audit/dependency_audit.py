"""`make audit` (`python -m folja.audit.dependency_audit`): pip-audit of the installed environment.

Passes only when the audit really ran: it fails on a known vulnerability, on an installed
distribution that could not be audited, and when pip-audit's vulnerability service (its
default one; no address is configured here) cannot be reached. It needs network access, so it
is not part of `make test`; run it before every release and weekly (README).

Before auditing, a canary — a release with published vulnerabilities — must come back
vulnerable: a mirror or proxy that answers the service's requests without vulnerability data
would otherwise make every package look clean.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Django 3.2.0 (April 2021) has dozens of published advisories; it is only looked up, never
# installed.
CANARY = "django==3.2"


@dataclass(frozen=True)
class AuditRun:
    """One pip-audit run: its exit code, its JSON report (None when it ended without one,
    e.g. the service could not be reached) and what it printed on stderr."""

    returncode: int
    report: dict | None
    stderr: str


def pip_audit_executable() -> str | None:
    return shutil.which("pip-audit", path=str(Path(sys.executable).parent))


def run_pip_audit(executable: str, args: list[str], cache_dir: str) -> AuditRun:
    # A fresh cache: an answer cached by an earlier run must not stand in for the service.
    command = [
        executable,
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--cache-dir",
        cache_dir,
    ]
    completed = subprocess.run(  # noqa: S603  # nosec B603
        [*command, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        report = None
    return AuditRun(completed.returncode, report, completed.stderr)


def _dependencies(run: AuditRun) -> list[dict]:
    return (run.report or {}).get("dependencies", [])


def unreachable(run: AuditRun) -> str | None:
    """Why the run did not produce a report, or None when it did."""
    if run.report is not None:
        return None
    last = [line for line in run.stderr.strip().splitlines() if line.strip()][-3:]
    return (
        "pip-audit: FAILED — the vulnerability service could not be reached (pip-audit exited "
        f"{run.returncode} without a report). `make audit` needs network access.\n"
        + "\n".join(f"  {line}" for line in last)
    )


def canary_problem(run: AuditRun) -> str | None:
    """None when the canary came back with vulnerabilities, else what is wrong."""
    problem = unreachable(run)
    if problem:
        return problem
    dependencies = _dependencies(run)
    if any(dep.get("vulns") for dep in dependencies):
        return None
    said = "; ".join(dep["skip_reason"] for dep in dependencies if dep.get("skip_reason"))
    return (
        f"pip-audit: FAILED — the vulnerability service answered, but reported nothing for "
        f"{CANARY}, which has published vulnerabilities: it is not returning vulnerability "
        "data (a mirror or proxy?), so a clean result would mean nothing."
        + (f"\n  pip-audit said: {said}" if said else "")
    )


def audit_problems(run: AuditRun) -> list[str]:
    """Every reason the environment's audit is not a pass; empty when it is."""
    problem = unreachable(run)
    if problem:
        return [problem]
    problems = []
    for dep in _dependencies(run):
        skipped = dep.get("skip_reason")
        # The project itself is installed editable and is not published: nothing to look up.
        if skipped and "editable" not in skipped:
            problems.append(f"{dep['name']}: not audited ({skipped})")
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            problems.append(f"{dep['name']} {dep.get('version')}: {vuln['id']} (fixed in {fixed})")
    return problems


def main() -> int:
    executable = pip_audit_executable()
    if executable is None:
        print("pip-audit: not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="folja-audit-") as tmp:
        requirements = Path(tmp) / "canary.txt"
        requirements.write_text(CANARY + "\n")
        canary = run_pip_audit(
            executable, ["-r", str(requirements), "--no-deps", "--disable-pip"], tmp
        )
        problem = canary_problem(canary)
        if problem:
            print(problem, file=sys.stderr)
            return 1
        audit = run_pip_audit(executable, ["--skip-editable"], tmp)
    problems = audit_problems(audit)
    if problems:
        print("pip-audit: FAILED", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    audited = sum(1 for dep in _dependencies(audit) if not dep.get("skip_reason"))
    print(f"pip-audit: {audited} installed distributions, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
