"""Benchmark of the Laholm-model simulation (issue 7).

Population: the synthetic `city` population generated directly as arrays
(`folja.simulation.engine.synthetic.synthetic_population`, 4,000 persons; no database).
Measured: 3 models × 1,000 replicates × 12 months with the vectorised NumPy core, median of
several runs; and, in the same run, a pure-Python per-person loop doing the same model
(lognormal demand, illness episodes with spill-over and catch-up, season, monthly / flex3 /
free rules, payments) on a subset of persons and replicates, scaled linearly to the full size
(the loop's cost is exactly linear in persons × replicates). Prints both and the ratio.

    .venv/bin/python bench/bench_simulation.py [--runs 3] [--persons 4000] [--replicates 1000]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from folja.simulation.engine import CostParams, simulate
from folja.simulation.engine.synthetic import synthetic_population


def python_loop(pop, persons: int, replicates: int, months: int, seed: int) -> float:
    """Total cost summed over models, persons and replicates: one person-month at a time."""
    rng = random.Random(seed)
    params = CostParams()
    total = 0.0
    for _r in range(replicates):
        for i in range(persons):
            g = float(pop.grant_hours[i])
            desired = []
            carry = backlog = 0.0
            for m in range(months):
                d = math.exp(rng.gauss(pop.log_mean[i], pop.log_sd[i]))
                d *= pop.season[(pop.start_month - 1 + m) % 12]
                u = rng.random()
                new = rng.expovariate(1.0) * pop.illness_days[i] if u < pop.illness_onset[i] else 0
                room = 30 * (1 - u / max(pop.illness_onset[i], 1e-9)) if new else 0.0
                within = min(new, max(room, 0.0))
                days = min(carry + within, 30.0)
                carry = carry + within - days + new - within
                ill = days / 30
                lost = d * ill
                d = d - lost + backlog * (1 - ill)
                backlog = lost * pop.catch_up
                desired.append(d)
            for model in ("monthly", "flex3", "free"):
                length = {"monthly": 1, "flex3": 3, "free": 0}[model]
                used = 0.0
                if length == 0:
                    used = sum(desired)
                else:
                    for s in range(0, months, length):
                        remaining = g * len(desired[s : s + length])
                        for d in desired[s : s + length]:
                            take = min(d, remaining)
                            used += take
                            remaining -= take
                executed = used * (1 - pop.late_cancel_rate[i])
                total += used * pop.rate_per_hour[i] + min(
                    executed * pop.expense_per_hour[i], params.allowance_per_month * months
                )
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--persons", type=int, default=4000)
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--loop-persons", type=int, default=200)
    parser.add_argument("--loop-replicates", type=int, default=20)
    args = parser.parse_args()
    pop = synthetic_population(args.persons)
    vector = []
    for run in range(args.runs):
        t = time.perf_counter()
        simulate(pop, replicates=args.replicates, months=args.months, seed=run + 1)
        vector.append(time.perf_counter() - t)
    loop = []
    scale = (args.persons * args.replicates) / (args.loop_persons * args.loop_replicates)
    for run in range(args.runs):
        t = time.perf_counter()
        python_loop(pop, args.loop_persons, args.loop_replicates, args.months, run + 1)
        loop.append((time.perf_counter() - t) * scale)
    v, p = statistics.median(vector), statistics.median(loop)
    print(
        f"simulation: {args.persons} persons x 3 models x {args.replicates} replicates x "
        f"{args.months} months"
    )
    print(f"  vectorised NumPy core : {v:8.2f} s (median of {args.runs}; target <= 10 s)")
    print(
        f"  pure-Python loop      : {p:8.2f} s (median of {args.runs}; measured on "
        f"{args.loop_persons} persons x {args.loop_replicates} replicates, scaled x{scale:.0f})"
    )
    print(f"  ratio loop / vector   : {p / v:8.1f} x")
    # The machine is shared: a load far above the core count slows both sides.
    load = os.getloadavg()[0]
    print(f"  load average (1 min)  : {load:8.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
