"""Regression with one fixed effect per district, fitted on the normal equations' block form.

The equality analysis (folja.followup.equality) fits hours (OLS, HC1 standard errors) and
rejection (logistic) on a district effect plus a few case-mix terms. A general-purpose fitter
builds the dense design with one column per district and decomposes it: at national scale
(≈300 districts, ≈14,000 decisions a year) that took statsmodels 15 s for the OLS and 50 s for
the logit. Here the district block of X'WX is diagonal and its cross-products with the case mix
are per-district sums, so every product costs O(n · terms); of the (districts + terms) square
matrix only the case-mix corner is decomposed. The estimates, standard errors and 95 %
intervals are the same as
statsmodels' `ols(...).fit(cov_type="HC1")` and `logit(...).fit()` with sum-coded districts
(tested in folja/followup/tests/test_fixed_effects.py).

Parametrisation: one intercept per district (no common intercept) and the case-mix columns.
A district's deviation from "the city mean" is its intercept minus the unweighted mean of all
fitted districts' intercepts: the same linear function the sum coding reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054  # the normal quantile statsmodels uses for these intervals


@dataclass(frozen=True)
class Effect:
    estimate: float
    low: float
    high: float


def _cross(groups: np.ndarray, n_groups: int, z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """X' diag(w) X for X = [district indicators | z], built from per-district sums."""
    p = z.shape[1]
    out = np.zeros((n_groups + p, n_groups + p))
    out[np.arange(n_groups), np.arange(n_groups)] = np.bincount(groups, w, n_groups)
    for k in range(p):
        column = np.bincount(groups, w * z[:, k], n_groups)
        out[:n_groups, n_groups + k] = column
        out[n_groups + k, :n_groups] = column
    out[n_groups:, n_groups:] = (z * w[:, None]).T @ z
    return out


def _cross_y(groups: np.ndarray, n_groups: int, z: np.ndarray, v: np.ndarray) -> np.ndarray:
    """X' v."""
    return np.concatenate([np.bincount(groups, v, n_groups), z.T @ v])


def _inverse(m: np.ndarray, n_groups: int) -> tuple[np.ndarray, int]:
    """(M⁻¹, rank of M) for M = X'WX with its diagonal district block, by the Schur complement:
    only the case-mix square (a few terms) is decomposed, never the whole matrix. A generalised
    inverse of that square keeps a collinear case-mix term from failing the fit."""
    a = np.diag(m)[:n_groups]
    b = m[:n_groups, n_groups:]
    a_inv_b = b / a[:, None]
    schur = m[n_groups:, n_groups:] - b.T @ a_inv_b
    s_inv = np.linalg.pinv(schur) if schur.size else schur
    rank = n_groups + (np.linalg.matrix_rank(schur) if schur.size else 0)
    upper_right = -a_inv_b @ s_inv
    out = np.empty_like(m)
    out[:n_groups, :n_groups] = np.diag(1 / a) - upper_right @ a_inv_b.T
    out[:n_groups, n_groups:] = upper_right
    out[n_groups:, :n_groups] = upper_right.T
    out[n_groups:, n_groups:] = s_inv
    return out, rank


def independent(groups: np.ndarray, z: np.ndarray) -> np.ndarray:
    """z without the columns that add nothing beside the district intercepts and the columns
    before them (a term constant within every district, say the missing-need indicator when one
    district has no scores at all and the others all have theirs). With such a column the
    districts' deviations are not determined, and any generalised inverse would pick one
    arbitrarily; without it, the district effect absorbs the term."""
    n_groups = int(groups.max()) + 1
    keep: list[int] = []
    for k in range(z.shape[1]):
        trial = z[:, [*keep, k]]
        _, rank = _inverse(_cross(groups, n_groups, trial, np.ones(len(z))), n_groups)
        if rank == n_groups + len(keep) + 1:
            keep.append(k)
    return z[:, keep]


def _predict(theta: np.ndarray, groups: np.ndarray, n_groups: int, z: np.ndarray) -> np.ndarray:
    return theta[:n_groups][groups] + z @ theta[n_groups:]


def _effects(theta: np.ndarray, cov: np.ndarray, n_groups: int) -> list[Effect]:
    """Each district's intercept minus the mean of all districts' intercepts, with its CI."""
    alpha = theta[:n_groups]
    block = cov[:n_groups, :n_groups]
    row_mean = block.mean(axis=1)
    total_mean = block.mean()
    out = []
    for j in range(n_groups):
        # Var(α_j − ᾱ) = V_jj − 2·mean_k V_jk + mean_kl V_kl
        variance = max(block[j, j] - 2 * row_mean[j] + total_mean, 0.0)
        estimate = float(alpha[j] - alpha.mean())
        half = Z95 * float(np.sqrt(variance))
        out.append(Effect(estimate, estimate - half, estimate + half))
    return out


def ols_hc1(y: np.ndarray, groups: np.ndarray, z: np.ndarray) -> list[Effect]:
    """OLS of y on district intercepts and z; each district's deviation with an HC1 95 % CI.
    `groups` holds 0..G−1, every value present."""
    n_groups = int(groups.max()) + 1
    z = independent(groups, z)
    n = len(y)
    ones = np.ones(n)
    bread, rank = _inverse(_cross(groups, n_groups, z, ones), n_groups)
    theta = bread @ _cross_y(groups, n_groups, z, y)
    residual = y - _predict(theta, groups, n_groups, z)
    meat = _cross(groups, n_groups, z, residual**2)
    cov = bread @ meat @ bread * (n / (n - rank))
    return _effects(theta, cov, n_groups)


def logit(
    y: np.ndarray, groups: np.ndarray, z: np.ndarray, *, max_iterations: int = 50
) -> list[Effect] | None:
    """Logistic regression of y (0/1) on district intercepts and z by Newton's method; each
    district's deviation in log-odds with a 95 % CI from the inverse information. None when the
    fit does not converge. Every district must have both outcomes (else its intercept has no
    finite estimate: the caller leaves such districts out)."""
    n_groups = int(groups.max()) + 1
    z = independent(groups, z)
    theta = np.zeros(n_groups + z.shape[1])
    # Start from each district's own log-odds: Newton then needs a handful of steps.
    share = np.bincount(groups, y, n_groups) / np.bincount(groups, None, n_groups)
    theta[:n_groups] = np.log(share / (1 - share))
    previous = np.inf
    for _ in range(max_iterations):
        eta = _predict(theta, groups, n_groups, z)
        mu = 1.0 / (1.0 + np.exp(-eta))
        weight = mu * (1 - mu)
        inverse, _ = _inverse(_cross(groups, n_groups, z, weight), n_groups)
        step = inverse @ _cross_y(groups, n_groups, z, y - mu)
        theta = theta + step
        deviance = -2 * float(np.sum(y * eta - np.logaddexp(0, eta)))
        if abs(previous - deviance) <= 1e-10 * (abs(deviance) + 1) and np.max(np.abs(step)) < 1e-8:
            break
        previous = deviance
    else:
        return None
    eta = _predict(theta, groups, n_groups, z)
    mu = 1.0 / (1.0 + np.exp(-eta))
    cov, _ = _inverse(_cross(groups, n_groups, z, mu * (1 - mu)), n_groups)
    return _effects(theta, cov, n_groups)
