"""Pilot design and evaluation, pure NumPy: a stratified random draw (as Värmdö did: half
under and half over 21), nearest-neighbour matched controls, and a difference-in-differences
estimate with bootstrap and Welch t intervals."""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import numpy as np


@dataclass(frozen=True)
class Draw:
    pilot: np.ndarray  # indices into the candidates
    control: np.ndarray  # control[i] is matched to pilot[i]
    strata: np.ndarray  # stratum (0 = under the age split, 1 = at or over) per candidate
    # (stratum, drawn, wanted) for each stratum too small to give its half of the group: the
    # other stratum made up the rest, so the group is not balanced by age.
    short: tuple[tuple[int, int, int], ...] = ()


def draw_pilot(
    *,
    hours: np.ndarray,
    age: np.ndarray,
    execution: np.ndarray,
    size: int,
    age_split: float = 21,
    seed: int = 1,
) -> Draw:
    """Draw `size` pilot persons, half in each age stratum (the larger half to the larger
    stratum when `size` is odd or a stratum is short), then for each a control of the same
    stratum not yet used, nearest on standardised hours granted, age and execution share."""
    rng = np.random.default_rng(seed)
    strata = (age >= age_split).astype(int)
    features = np.column_stack([hours, age, execution]).astype(float)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    z = (features - features.mean(axis=0)) / scale
    pools = [np.flatnonzero(strata == s) for s in (0, 1)]
    # Each pilot needs a control in its stratum, so a stratum can give at most half its size.
    room = [len(p) // 2 for p in pools]
    if sum(room) < size:
        raise ValueError(f"size: only {sum(room)} pilot persons can be drawn with a control each")
    want = [size // 2, size - size // 2]
    half = list(want)
    if room[0] < want[0]:
        want = [room[0], size - room[0]]
    if room[1] < want[1]:
        want = [size - room[1], room[1]]
    pilot: list[int] = []
    control: list[int] = []
    for s in (0, 1):
        chosen = rng.choice(pools[s], size=want[s], replace=False) if want[s] else []
        taken = set(int(c) for c in chosen)
        for p in chosen:
            candidates = [int(c) for c in pools[s] if int(c) not in taken]
            dist = np.linalg.norm(z[candidates] - z[int(p)], axis=1)
            best = candidates[int(np.argmin(dist))]
            taken.add(best)
            pilot.append(int(p))
            control.append(best)
    short = tuple((s, want[s], half[s]) for s in (0, 1) if want[s] < half[s])
    return Draw(np.array(pilot, dtype=int), np.array(control, dtype=int), strata, short)


@dataclass(frozen=True)
class Estimate:
    difference: float  # pilot − control (of the change, for DiD)
    boot_low: float
    boot_high: float
    t_low: float
    t_high: float
    n_pilot: int
    n_control: int

    @property
    def excludes_zero(self) -> bool:
        return self.boot_low > 0 or self.boot_high < 0


def did_estimate(
    pilot_before: np.ndarray,
    pilot_after: np.ndarray,
    control_before: np.ndarray,
    control_after: np.ndarray,
    *,
    level: float = 0.90,
    resamples: int = 4000,
    seed: int = 1,
) -> Estimate:
    """Difference in differences: mean change in the pilot group minus mean change in the
    control group, with a percentile bootstrap (resampling persons within each group) and a
    Welch t interval."""
    dp = np.asarray(pilot_after, float) - np.asarray(pilot_before, float)
    dc = np.asarray(control_after, float) - np.asarray(control_before, float)
    diff = float(dp.mean() - dc.mean()) if len(dp) and len(dc) else float("nan")
    # Imported here: SciPy's statistics take seconds to import, and the draw (which the seed
    # runs for its pilot) needs none of it.
    from scipy import stats

    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    if len(dp) >= 2 and len(dc) >= 2:
        bp = dp[rng.integers(0, len(dp), (resamples, len(dp)))].mean(axis=1)
        bc = dc[rng.integers(0, len(dc), (resamples, len(dc)))].mean(axis=1)
        low, high = np.quantile(bp - bc, [alpha, 1 - alpha])
        vp, vc = dp.var(ddof=1) / len(dp), dc.var(ddof=1) / len(dc)
        se = sqrt(vp + vc)
        if se > 0:
            dof = (vp + vc) ** 2 / (vp**2 / (len(dp) - 1) + vc**2 / (len(dc) - 1) or 1e-12)
            q = float(stats.t.ppf(1 - alpha, dof))
            t_low, t_high = diff - q * se, diff + q * se
        else:
            t_low = t_high = diff
    else:
        low = high = t_low = t_high = float("nan")
    return Estimate(diff, float(low), float(high), float(t_low), float(t_high), len(dp), len(dc))
