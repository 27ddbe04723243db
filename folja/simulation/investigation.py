"""One investigation run: fit the demand model on the city's history, simulate the chosen
models, and compute the sensitivity and the explanation of the flex3 gain. Used by the
`simulate` command, the analyst's page and the memo, so all three show the same numbers for
the same inputs and seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max

from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.people.models import District
from folja.simulation.engine import CostParams, RunResult, simulate
from folja.simulation.engine.fit import FitReport, fit_population
from folja.simulation.engine.params import FLEX3, FREE, MONTHLY, Population
from folja.simulation.engine.sensitivity import FlexGain, Tornado, flex_gain, tornado
from folja.simulation.engine.summary import differences, summarise
from folja.simulation.selectors import HistoryContext, population_history


class EmptyPopulation(ValueError):
    pass


@dataclass(frozen=True)
class Investigation:
    on: date
    district: District | None
    params: CostParams
    population: Population
    fit: FitReport
    context: HistoryContext
    result: RunResult
    tornado: Tornado | None
    gain: FlexGain | None
    summary: dict = field(default_factory=dict)
    diffs: dict = field(default_factory=dict)


def params_from_guideline(context: HistoryContext, **overrides: float) -> CostParams:
    g = context.guideline
    base = CostParams()
    if g is not None:
        base = base.with_changes(
            review_threshold=float(g.free_review_threshold),
            allowance_per_month=float(g.expense_allowance_per_month),
            late_cancellation_charged=g.late_cancellation_charged,
        )
    return base.with_changes(**{k: v for k, v in overrides.items() if v is not None})


def _data_version() -> str:
    """Changes whenever sessions or decisions are added, removed or re-verified, so a cached
    fit is never used on changed history."""
    s = Session.objects.aggregate(n=Count("id"), m=Max("id"), c=Max("reviewed_at"))
    d = Decision.objects.aggregate(n=Count("id"), m=Max("id"))
    return f"{s['n']}-{s['m']}-{s['c']}-{d['n']}-{d['m']}"


def fitted(
    *, on: date, district: District | None, history_months: int
) -> tuple[HistoryContext, Population, FitReport]:
    """The fitted population, cached for an hour: reading two years of sessions is the slow
    part of a run, and the analyst often re-runs the same population with other settings."""
    key = "simulation-fit:" + ":".join(
        [
            on.isoformat(),
            str(district.pk if district else "city"),
            str(history_months),
            _data_version(),
        ]
    )
    hit = cache.get(key)
    if hit is not None:
        return hit
    context = population_history(on=on, district=district, months=history_months)
    if not context.person_ids:
        raise EmptyPopulation("population: no persons with a decision in force")
    pop, report = fit_population(context.history, start_month=on.month)
    cache.set(key, (context, pop, report), 3600)
    return context, pop, report


def run_investigation(
    *,
    on: date,
    district: District | None = None,
    models: tuple[str, ...] = (MONTHLY, FLEX3, FREE),
    replicates: int = 200,
    months: int = 12,
    seed: int = 1,
    history_months: int = 24,
    overrides: dict | None = None,
    sensitivity: bool = True,
    sensitivity_replicates: int = 30,
) -> Investigation:
    context, pop, report = fitted(on=on, district=district, history_months=history_months)
    params = params_from_guideline(context, **(overrides or {}))
    result = simulate(
        pop, models=models, replicates=replicates, months=months, seed=seed, params=params
    )
    torn = None
    gain = None
    if sensitivity:
        base = FLEX3 if FLEX3 in models else MONTHLY
        other = FREE if FREE in models else (FLEX3 if base == MONTHLY else None)
        if other and other != base:
            torn = tornado(
                pop,
                params,
                baseline_model=base,
                compared_model=other,
                replicates=sensitivity_replicates,
                months=months,
                seed=seed,
            )
        gain = flex_gain(pop, params, replicates=sensitivity_replicates, months=months, seed=seed)
    return Investigation(
        on=on,
        district=district,
        params=params,
        population=pop,
        fit=report,
        context=context,
        result=result,
        tornado=torn,
        gain=gain,
        summary=summarise(result),
        diffs=differences(result),
    )
