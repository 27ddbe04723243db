"""One-at-a-time sensitivity (the tornado chart) and the decomposition that explains why flex3
executes more of the grant than monthly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from folja.simulation.engine.core import simulate
from folja.simulation.engine.params import FLEX3, FREE, MONTHLY, CostParams, Population

Change = Callable[[Population, CostParams, float], tuple[Population, CostParams]]


def _pop(field: str) -> Change:
    def change(pop: Population, params: CostParams, factor: float):
        return replace(pop, **{field: getattr(pop, field) * factor}), params

    return change


def _param(field: str) -> Change:
    def change(pop: Population, params: CostParams, factor: float):
        return pop, replace(params, **{field: getattr(params, field) * factor})

    return change


def _level(pop: Population, params: CostParams, factor: float):
    return replace(pop, log_mean=pop.log_mean + np.log(factor)), params


def _onset(pop: Population, params: CostParams, factor: float):
    return replace(pop, illness_onset=np.clip(pop.illness_onset * factor, 0, 0.95)), params


def _season(pop: Population, params: CostParams, factor: float):
    return replace(pop, season=1.0 + (pop.season - 1.0) * factor), params


@dataclass(frozen=True)
class Parameter:
    key: str
    low: float  # factor applied for the low end
    high: float
    change: Change


# Each parameter moved one at a time between a low and a high factor. Ranges are deliberately
# wide: they stand for "we do not know this well", not for a confidence interval.
PARAMETERS: tuple[Parameter, ...] = (
    Parameter("desired_level", 0.8, 1.2, _level),
    Parameter("spread", 0.75, 1.25, _pop("log_sd")),
    Parameter("illness_onset", 0.5, 1.5, _onset),
    Parameter("illness_days", 0.5, 1.5, _pop("illness_days")),
    Parameter("season_amplitude", 0.0, 2.0, _season),
    Parameter("late_cancel_rate", 0.5, 1.5, _pop("late_cancel_rate")),
    Parameter("rate_per_hour", 0.9, 1.1, _pop("rate_per_hour")),
    Parameter("review_threshold", 0.75, 1.5, _param("review_threshold")),
    Parameter("review_minutes", 0.5, 2.0, _param("review_minutes")),
    Parameter("caseworker_cost_per_hour", 0.75, 1.25, _param("caseworker_cost_per_hour")),
    Parameter("application_minutes", 0.5, 1.5, _param("application_minutes")),
    Parameter("allowance_per_month", 0.5, 1.5, _param("allowance_per_month")),
)


@dataclass(frozen=True)
class TornadoBar:
    key: str
    low_factor: float
    high_factor: float
    low_value: float  # outcome with the parameter at its low end
    high_value: float

    @property
    def swing(self) -> float:
        return abs(self.high_value - self.low_value)


@dataclass(frozen=True)
class Tornado:
    baseline_model: str
    compared_model: str
    base_value: float
    bars: tuple[TornadoBar, ...]  # sorted, largest swing first


def _difference(
    pop: Population, params: CostParams, base: str, other: str, reps: int, months: int, seed: int
) -> float:
    result = simulate(
        pop, models=(base, other), replicates=reps, months=months, seed=seed, params=params
    )
    return float(np.mean(result.values[other]["total_cost"] - result.values[base]["total_cost"]))


def tornado(
    pop: Population,
    params: CostParams,
    *,
    baseline_model: str = FLEX3,
    compared_model: str = FREE,
    replicates: int = 40,
    months: int = 12,
    seed: int = 1,
) -> Tornado:
    """Mean extra total cost of `compared_model` over `baseline_model` with each parameter at
    its low and high end (same seed throughout, so only the parameter moves the result)."""
    base = _difference(pop, params, baseline_model, compared_model, replicates, months, seed)
    bars = []
    for p in PARAMETERS:
        values = []
        for factor in (p.low, p.high):
            changed_pop, changed_params = p.change(pop, params, factor)
            values.append(
                _difference(
                    changed_pop,
                    changed_params,
                    baseline_model,
                    compared_model,
                    replicates,
                    months,
                    seed,
                )
            )
        bars.append(TornadoBar(p.key, p.low, p.high, values[0], values[1]))
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Tornado(baseline_model, compared_model, base, tuple(bars))


@dataclass(frozen=True)
class FlexGain:
    """Extra share of the grant executed under flex3 compared with monthly, in the full model
    and with illness and/or seasonality switched off: the difference shows how much of the gain
    each part of the model explains."""

    full: float
    without_illness: float
    without_season: float
    without_both: float
    monthly_share: float
    flex3_share: float

    @property
    def from_illness(self) -> float:
        return self.full - self.without_illness

    @property
    def from_season(self) -> float:
        return self.full - self.without_season


def flex_gain(
    pop: Population, params: CostParams, *, replicates: int = 40, months: int = 12, seed: int = 1
) -> FlexGain:
    def gain(p: Population) -> tuple[float, float, float]:
        r = simulate(
            p,
            models=(MONTHLY, FLEX3),
            replicates=replicates,
            months=months,
            seed=seed,
            params=params,
        )
        m = float(np.mean(r.values[MONTHLY]["execution_share"]))
        f = float(np.mean(r.values[FLEX3]["execution_share"]))
        return f - m, m, f

    no_ill = replace(pop, illness_onset=np.zeros_like(pop.illness_onset))
    flat = replace(pop, season=np.ones(12))
    full, m, f = gain(pop)
    return FlexGain(
        full=full,
        without_illness=gain(no_ill)[0],
        without_season=gain(flat)[0],
        without_both=gain(replace(no_ill, season=np.ones(12)))[0],
        monthly_share=m,
        flex3_share=f,
    )
