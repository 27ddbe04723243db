"""The vectorised Monte Carlo core.

Arrays are shaped (months, replicates, persons): each month is one contiguous block, which is
what the month-by-month policy loops walk. Demand is drawn once per replicate and every policy
is applied to the same draw (common random numbers), so the difference between two models in a
replicate comes from the rules alone, not from the luck of the draw. Large arrays are float32
(hours need no more than 7 digits); every total is summed in float64.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from folja.simulation.engine.params import (
    DAYS_PER_MONTH,
    FREE,
    MODELS,
    MONTHLY,
    CostParams,
    Population,
)

# Replicates per chunk: keeps each (months, chunk, persons) array near 5 MB for a city of 4,000
# and fixes the random streams per chunk, so results do not depend on the machine.
CHUNK = 25
F32 = np.float32


@dataclass(frozen=True)
class Demand:
    desired: np.ndarray  # (m, r, n) hours the person would book without any cap
    ill_share: np.ndarray  # (m, r, n) share of the month lost to illness


def draw_demand(pop: Population, months: int, replicates: int, rng: np.random.Generator) -> Demand:
    """Desired hours = lognormal level × season × (1 − share of the month ill)."""
    n = pop.size
    shape = (months, replicates, n)
    desired = rng.standard_normal(shape, dtype=F32)
    desired *= pop.log_sd.astype(F32)
    desired += pop.log_mean.astype(F32)
    np.exp(desired, out=desired)
    cal = (pop.start_month - 1 + np.arange(months)) % 12
    desired *= pop.season[cal].astype(F32)[:, None, None]

    # Illness episodes: at most one new episode starts in a month, on a uniform day, and lasts
    # an exponential number of days; what does not fit in the month spills into the next ones.
    # One uniform u gives both: an episode starts when u < p, on day 30·u/p (uniform again).
    u = rng.random(shape, dtype=F32)
    length = rng.standard_exponential(shape, dtype=F32)
    onset_p = np.maximum(pop.illness_onset, 1e-9).astype(F32)
    mean_days = pop.illness_days.astype(F32)
    ill = np.empty(shape, dtype=F32)
    carry = np.zeros((replicates, n), dtype=F32)
    days_pm = F32(DAYS_PER_MONTH)
    for m in range(months):
        starts = u[m] < onset_p
        new = np.where(starts, length[m] * mean_days, F32(0))
        room = np.maximum(days_pm * (F32(1) - u[m] / onset_p), F32(0))
        within = np.minimum(new, room)
        total = carry + within
        days = np.minimum(total, days_pm)
        carry = (total - days) + (new - within)
        ill[m] = days / days_pm
    # Hours lost to illness come back in part as extra demand the month after (catch-up),
    # itself reduced if that month is also ill.
    backlog = np.zeros((replicates, n), dtype=F32)
    catch = F32(pop.catch_up)
    for m in range(months):
        lost = desired[m] * ill[m]
        desired[m] = desired[m] - lost + backlog * (F32(1) - ill[m])
        backlog = lost * catch
    return Demand(desired=desired, ill_share=ill)


def periods(months: int, length: int) -> list[range]:
    return [range(s, min(s + length, months)) for s in range(0, months, length)]


def outcomes(
    model: str,
    pop: Population,
    demand: Demand,
    params: CostParams,
    demand_total: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per-replicate totals over persons and months for one model, plus executed hours per
    month (for charts), in one pass over the months.

    - monthly: each month's grant is a pool; unused time lapses at month end and demand
      above what remains is unmet.
    - flex3: three months' grant is one pool, used in month order; what is left lapses at
      the period end.
    - free: no pool; all demand is met; months whose rolling three months exceed the review
      threshold × plan become follow-up tasks (CALC.md rule 6).

    Late cancellations are a fixed share of each person's booked hours, so executed =
    booked × (1 − rate). Expense claims follow executed hours and draw on the allowance pooled
    on the model's grid (the free model keeps today's three-month pool)."""
    desired = demand.desired
    months, r, n = desired.shape
    capped = model != FREE
    length = 1 if model == MONTHLY else 3
    g = pop.grant_hours.astype(F32)
    keep64 = 1.0 - pop.late_cancel_rate
    keep = keep64.astype(F32)
    expense_rate = (keep64 * pop.expense_per_hour).astype(F32)
    used_threshold = (F32(0.05) / np.maximum(keep, F32(1e-6))).astype(F32)
    review_limit = (F32(params.review_threshold) * g).astype(F32)
    trigger = F32(params.apply_trigger)

    booked_pm = np.zeros((r, n), dtype=np.float64)
    months_used = np.zeros((r, n), dtype=F32)
    over = np.zeros((r, n), dtype=F32)
    triggers = np.zeros((r, n), dtype=F32)
    reviews = np.zeros((r, n), dtype=F32)
    lapsed = np.zeros(r)
    expense = np.zeros(r)
    by_month = np.zeros((r, months))
    window = np.zeros((r, n), dtype=F32)
    recent: list[np.ndarray] = []
    for period in periods(months, length):
        pool = g * F32(len(period))
        remaining = np.broadcast_to(pool, (r, n)).copy() if capped else None
        unmet = np.zeros((r, n), dtype=F32) if capped else None
        period_booked = np.zeros((r, n), dtype=F32)
        for m in period:
            want = desired[m]
            if capped:
                use = np.minimum(want, remaining)
                over += want > remaining + F32(1e-4)
                unmet += want - use
                remaining -= use
            else:
                use = want
                window += use
                recent.append(use)
                if len(recent) > 3:
                    window -= recent.pop(0)
                reviews += window > review_limit * F32(len(recent))
            period_booked += use
            months_used += use > used_threshold
            by_month[:, m] = use @ keep
        booked_pm += period_booked
        claims = period_booked * expense_rate
        expense += np.minimum(claims, F32(params.allowance_per_month * len(period))).sum(
            axis=1, dtype=np.float64
        )
        if capped:
            lapsed += remaining.sum(axis=1, dtype=np.float64)
            triggers += unmet > trigger * pool

    exec_pm = booked_pm * keep64
    late_pm = booked_pm - exec_pm
    paid_hours = exec_pm + (late_pm if params.late_cancellation_charged else 0.0)
    payment = paid_hours @ pop.rate_per_hour
    flagged = over.sum(axis=1, dtype=np.float64) * params.flag_share
    applications = triggers.sum(axis=1, dtype=np.float64) * params.apply_probability
    review_tasks = reviews.sum(axis=1, dtype=np.float64)
    admin_minutes = (
        applications * params.application_minutes
        + flagged * params.flag_review_minutes
        + review_tasks * params.review_minutes
        + months_used.sum(axis=1, dtype=np.float64) * params.invoice_check_minutes
        + n * params.reassessment_minutes * months / 12.0
    )
    admin_cost = admin_minutes / 60.0 * params.caseworker_cost_per_hour
    granted = float(pop.grant_hours.sum()) * months
    executed_total = exec_pm.sum(axis=1)
    if demand_total is None:
        demand_total = desired.sum(axis=(0, 2), dtype=np.float64)
    booked_total = booked_pm.sum(axis=1)
    return {
        "granted_hours": np.full(r, granted),
        "demand_hours": demand_total,
        "executed_hours": executed_total,
        "late_cancelled_hours": late_pm.sum(axis=1),
        "lapsed_hours": lapsed,
        "unmet_hours": np.maximum(demand_total - booked_total, 0.0),
        "execution_share": executed_total / granted if granted > 0 else np.zeros(r),
        "provider_payment": payment,
        "expense_paid": expense,
        "admin_minutes": admin_minutes,
        "admin_cost": admin_cost,
        "total_cost": payment + expense + admin_cost,
        "flagged_sessions": flagged,
        "applications": applications,
        "review_tasks": review_tasks,
        "_executed_by_month": by_month,  # (r, m)
    }


@dataclass(frozen=True)
class RunResult:
    models: tuple[str, ...]
    replicates: int
    months: int
    seed: int
    values: dict[str, dict[str, np.ndarray]]  # model -> metric -> (replicates,)
    executed_by_month: dict[str, np.ndarray]  # model -> (replicates, months)
    mean_ill_share: float
    persons: int


def simulate(
    pop: Population,
    *,
    models: tuple[str, ...] = MODELS,
    replicates: int = 1000,
    months: int = 12,
    seed: int = 1,
    params: CostParams | None = None,
    workers: int | None = None,
) -> RunResult:
    """Run `replicates` Monte Carlo replicates of `months` months for each model.

    The random streams are spawned per chunk of `CHUNK` replicates from `seed`, so the same
    seed, population and replicate count give exactly the same numbers, whatever `workers`
    (threads; default: one per CPU) is.
    """
    params = params or CostParams()
    for model in models:
        if model not in MODELS:
            raise ValueError(f"models: unknown model {model!r}")
    if replicates < 1 or months < 1:
        raise ValueError("replicates and months must be at least 1")
    if pop.size == 0:
        raise ValueError("population: no persons")
    chunks = (replicates + CHUNK - 1) // CHUNK
    streams = np.random.SeedSequence(seed).spawn(chunks)

    def run_chunk(i: int) -> tuple[dict[str, dict[str, np.ndarray]], float]:
        size = min(CHUNK, replicates - i * CHUNK)
        rng = np.random.Generator(np.random.PCG64(streams[i]))
        demand = draw_demand(pop, months, size, rng)
        ill = float(demand.ill_share.sum(dtype=np.float64))
        total = demand.desired.sum(axis=(0, 2), dtype=np.float64)
        return {model: outcomes(model, pop, demand, params, total) for model in models}, ill

    # NumPy releases the GIL in its loops, so chunks run in parallel threads. Each chunk has
    # its own random stream and results are joined in chunk order: the thread count never
    # changes a number.
    workers = max(1, min(workers if workers is not None else (os.cpu_count() or 1), chunks))
    if workers == 1:
        done = [run_chunk(i) for i in range(chunks)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(run_chunk, range(chunks)))
    parts: dict[str, dict[str, list[np.ndarray]]] = {m: {} for m in models}
    ill_total = 0.0
    for per_model, ill in done:
        ill_total += ill
        for model in models:
            for key, value in per_model[model].items():
                parts[model].setdefault(key, []).append(value)
    values = {
        model: {k: np.concatenate(v) for k, v in parts[model].items() if not k.startswith("_")}
        for model in models
    }
    by_month = {model: np.concatenate(parts[model]["_executed_by_month"]) for model in models}
    return RunResult(
        models=tuple(models),
        replicates=replicates,
        months=months,
        seed=seed,
        values=values,
        executed_by_month=by_month,
        mean_ill_share=ill_total / max(1, replicates * pop.size * months),
        persons=pop.size,
    )
