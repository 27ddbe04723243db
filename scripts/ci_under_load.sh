#!/usr/bin/env bash
# The suite's reliability check (issue 16): `.ci/run` on a clean clone of main, once on an idle
# machine and then RUNS times in a row while CPU-heavy processes (one busy loop per core) run
# beside it. Prints each run's wall time and result; exits 1 if any run fails.
#
#   scripts/ci_under_load.sh [RUNS]        # default 3; takes about 5 min + RUNS x 10 min here
#
# Run it before a release and after changing the test harness; the figures go in the README.
set -uo pipefail
runs="${1:-3}"
repo="$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)"
work="$(mktemp -d)"
hogs=()
cleanup() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

commit="$(git -C "$repo" rev-parse HEAD)"

one_run() {  # $1: label; every run tests the same commit, even if main moves on meanwhile
  rm -rf "$work/clone"
  git clone -q "$repo" "$work/clone"
  git -C "$work/clone" checkout -q --detach "$commit"
  local start end status
  start=$(date +%s)
  (cd "$work/clone" && CI=true bash .ci/run >"$work/$1.log" 2>&1)
  status=$?
  end=$(date +%s)
  local summary
  summary=$(grep -E "[0-9]+ (passed|failed)" "$work/$1.log" | tail -n 1)
  printf '%-8s %5d s  exit %d  %s\n' "$1" $((end - start)) "$status" "$summary"
  if [ "$status" -ne 0 ]; then
    cp "$work/$1.log" "/tmp/ci_under_load_$1.log"
    echo "         log kept: /tmp/ci_under_load_$1.log"
  fi
  return "$status"
}

failed=0
echo "commit ${commit:0:7}, $(nproc) cores"
one_run idle || failed=1
for _ in $(seq "$(nproc)"); do
  python3 -c "while True: pass" &
  hogs+=("$!")
done
for i in $(seq "$runs"); do
  one_run "loaded-$i" || failed=1
done
exit "$failed"
