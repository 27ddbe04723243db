"""`make bench`: run every bench/bench_*.py in turn and report which failed.

Each benchmark prints its own figures (as ratios against a reference measured in the same
run) with its default settings; run one directly for its options.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for bench in sorted(HERE.glob("bench_*.py")):
        print(f"== {bench.name}", flush=True)
        began = time.perf_counter()
        code = subprocess.run([sys.executable, str(bench)], check=False).returncode
        print(f"== {bench.name}: exit {code} after {time.perf_counter() - began:.0f} s", flush=True)
        if code:
            failed.append(bench.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
