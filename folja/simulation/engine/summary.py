"""Summaries of a run: mean and 90 % interval per model and metric, and paired differences."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from folja.simulation.engine.core import RunResult
from folja.simulation.engine.params import METRICS


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float  # 5th percentile
    high: float  # 95th percentile

    def as_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "p05": self.low, "p95": self.high}


def interval(values: np.ndarray) -> Interval:
    low, high = np.percentile(values, [5, 95])
    return Interval(float(np.mean(values)), float(low), float(high))


def summarise(result: RunResult) -> dict[str, dict[str, Interval]]:
    return {
        model: {metric: interval(result.values[model][metric]) for metric in METRICS}
        for model in result.models
    }


def differences(result: RunResult) -> dict[tuple[str, str], dict[str, Interval]]:
    """b − a for every pair of models, paired by replicate (same demand draw)."""
    out: dict[tuple[str, str], dict[str, Interval]] = {}
    for a, b in combinations(result.models, 2):
        out[(a, b)] = {
            metric: interval(result.values[b][metric] - result.values[a][metric])
            for metric in METRICS
        }
    return out


def to_json(result: RunResult) -> dict:
    """The machine-readable result (`folja simulate --json`)."""
    return {
        "persons": result.persons,
        "replicates": result.replicates,
        "months": result.months,
        "seed": result.seed,
        "models": {
            model: {metric: iv.as_dict() for metric, iv in per.items()}
            for model, per in summarise(result).items()
        },
        "differences": {
            f"{b}-{a}": {metric: iv.as_dict() for metric, iv in per.items()}
            for (a, b), per in differences(result).items()
        },
    }
