"""`python -m folja.audit.dependency_audit`: pip-audit of the installed environment.

Runs pip-audit (PyPI's advisory data) when the advisory service can be reached and fails on any
known vulnerability; on a machine without network it says so plainly and exits 0, because
"could not check" is not "vulnerable" — CI, which has network, is where this gate bites.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

# pip-audit's default source: PyPI's JSON API, which lists known vulnerabilities per release.
PROBE = "https://pypi.org/pypi/django/5.2.19/json"


def advisory_service_works(timeout: float = 5.0) -> bool:
    """True when PyPI's JSON API answers with vulnerability data. A proxy or mirror that
    answers without it (as on an offline build machine) counts as unreachable."""
    try:
        with urllib.request.urlopen(PROBE, timeout=timeout) as response:  # nosec B310
            return "vulnerabilities" in json.load(response)
    except (OSError, ValueError):
        return False


def main() -> int:
    if not advisory_service_works():
        print(
            "pip-audit: SKIPPED — the vulnerability service (pypi.org) cannot be reached from "
            "this machine; run `make test` with network access to check dependencies."
        )
        return 0
    executable = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if executable is None:
        print("pip-audit: not installed (pip install -e '.[dev]')", file=sys.stderr)
        return 1
    # The project itself is installed editable and is not on PyPI: skip it, audit the rest.
    return subprocess.call(  # noqa: S603  # nosec B603
        [executable, "--progress-spinner", "off", "--skip-editable"]
    )


if __name__ == "__main__":
    sys.exit(main())
