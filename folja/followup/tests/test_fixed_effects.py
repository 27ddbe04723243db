"""The block-form fits give statsmodels' sum-coded estimates and intervals (no database)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from folja.followup.fixed_effects import logit, ols_hc1


def _data(seed: int, n: int = 900, districts: int = 9) -> pd.DataFrame:
    rnd = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "district": rnd.integers(0, districts, n),
            "act": rnd.choice(["LSS", "SoL"], n),
            "age": rnd.choice(["0-17", "18-64", "65+"], n),
            "need": rnd.normal(2.5, 0.8, n),
            "other": rnd.integers(0, 4, n),
        }
    )
    level = rnd.normal(0, 2, districts)
    df["hours"] = 10 + level[df["district"]] + 2 * df["need"] + rnd.normal(0, 1 + df["other"], n)
    odds = -1 + 0.4 * level[df["district"]] - 0.3 * df["need"] + 0.5 * (df["act"] == "SoL")
    df["rejected"] = (rnd.random(n) < 1 / (1 + np.exp(-odds))).astype(float)
    return df


def _design(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    z = np.column_stack(
        [
            (df["act"] == "SoL").astype(float),
            (df["age"] == "18-64").astype(float),
            (df["age"] == "65+").astype(float),
            df["need"],
            df["other"].astype(float),
        ]
    )
    return df["district"].to_numpy(), z


def _statsmodels_effects(fit, districts: int, exp: bool = False) -> list[tuple[float, ...]]:
    names = list(fit.params.index)
    idx = [i for i, name in enumerate(names) if name.startswith("C(district, Sum)")]
    out = []
    for j in range(districts):
        contrast = np.zeros(len(names))
        if j < len(idx):
            contrast[idx[j]] = 1.0
        else:
            contrast[idx] = -1.0
        t = fit.t_test(contrast)
        values = (float(np.ravel(t.effect)[0]), *(float(v) for v in np.ravel(t.conf_int())[:2]))
        out.append(values)
    return out


TERMS = "C(district, Sum) + C(act) + C(age) + need + other"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_hours_fit_equals_statsmodels_ols_with_hc1_errors(seed):
    df = _data(seed)
    expected = _statsmodels_effects(smf.ols(f"hours ~ {TERMS}", data=df).fit(cov_type="HC1"), 9)
    got = ols_hc1(df["hours"].to_numpy(), *_design(df))
    for e, g in zip(expected, got, strict=True):
        assert (g.estimate, g.low, g.high) == pytest.approx(e, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rejection_fit_equals_statsmodels_logit(seed):
    df = _data(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.logit(f"rejected ~ {TERMS}", data=df).fit(disp=0, maxiter=100)
    expected = _statsmodels_effects(fit, 9)
    got = logit(df["rejected"].to_numpy(), *_design(df))
    assert got is not None
    for e, g in zip(expected, got, strict=True):
        assert (g.estimate, g.low, g.high) == pytest.approx(e, rel=1e-6, abs=1e-8)


def test_a_case_mix_term_constant_within_every_district_is_absorbed_by_the_district():
    df = _data(4)
    df["need_missing"] = (df["district"] == 0).astype(float)  # one district has no scores
    groups, z = _design(df)
    z = np.column_stack([z, df["need_missing"]])
    # With the term the deviations are not determined; the fit is the one without it.
    expected = _statsmodels_effects(smf.ols(f"hours ~ {TERMS}", data=df).fit(cov_type="HC1"), 9)
    got = ols_hc1(df["hours"].to_numpy(), groups, z)
    for e, g in zip(expected, got, strict=True):
        assert (g.estimate, g.low, g.high) == pytest.approx(e, rel=1e-6, abs=1e-8)
