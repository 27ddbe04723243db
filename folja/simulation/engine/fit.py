"""Fitting the demand model from history (pure NumPy; the selectors build the arrays).

History comes as one row per person and one column per calendar month of the look-back window:
minutes granted, minutes charged (executed + late cancellations + no-shows: what the person
booked and used of the grant), minutes late-cancelled or no-show, and minutes cancelled in time.
Illness shows in two ways: months in which the person used far less than usual or cancelled
much of what they booked (longer episodes: runs of such months), and runs of cancellations
inside an otherwise ordinary month (short episodes, found by the selectors in the sessions).

Where a person's history is thin, each parameter is shrunk towards the population
(empirical Bayes with pseudo-counts), so a person with two months of history gets mostly the
population's figures and one with two years mostly their own.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from math import erf, exp, pi, sqrt

import numpy as np

from folja.simulation.engine.params import DAYS_PER_MONTH, Population

# Pseudo-counts of the shrinkage (how many months of "population" each person starts with).
LEVEL_PRIOR_MONTHS = 3.0
SD_PRIOR_MONTHS = 4.0
ILLNESS_PRIOR_MONTHS = 6.0
EPISODE_PRIOR_COUNT = 2.0
LATE_PRIOR_HOURS = 10.0
SEASON_PRIOR_PERSON_MONTHS = 50.0
# A month is "healthy" (used to fit the level) when the person cancelled in time less than
# this share of what they booked; otherwise it is part of an illness episode.
ILL_CANCEL_SHARE = 0.25
# ... or when they used less than this share of their usual (median) month.
LOW_USE_SHARE = 0.4
# Booked at least this share of the month's grant: the demand was probably cut by the cap.
CENSOR_SHARE = 0.95
DEFAULT_SD = 0.4
# Illustrative (exempelvärde) when the history has no month after an illness to learn from.
DEFAULT_CATCH_UP = 0.5


@dataclass(frozen=True)
class History:
    grant_hours_now: np.ndarray  # (n,) hours_per_month of the current decision
    granted: np.ndarray  # (n, h) minutes granted per month (0 when not covered)
    charged: np.ndarray  # (n, h) minutes executed + late-cancelled + no-show
    late: np.ndarray  # (n, h) minutes late-cancelled or no-show
    in_time: np.ndarray  # (n, h) minutes cancelled in time by the person
    calendar_month: np.ndarray  # (h,) 1..12
    # Short illness episodes from the sessions: runs of at least two of the person's own
    # cancellations with no executed session between them (row, month column, days).
    run_person: np.ndarray
    run_month: np.ndarray
    run_days: np.ndarray
    rate_per_hour: np.ndarray  # (n,)
    expense_per_hour: np.ndarray  # (n,)
    age: np.ndarray | None = None
    keys: np.ndarray | None = None


@dataclass(frozen=True)
class FitReport:
    """Population-level figures of the fit, for the memo's text and the docs."""

    persons: int
    person_months: int
    season: np.ndarray
    illness_onsets_per_year: float
    illness_mean_days: float
    late_cancel_rate: float
    desired_to_grant: float  # mean desired hours in a healthy month / grant
    censored_share: float  # share of healthy months at the cap
    thin_history_share: float  # persons with fewer than 6 months of history
    catch_up: float = 0.5


def _norm_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / sqrt(2 * pi)


def _norm_sf(x: np.ndarray) -> np.ndarray:
    verf = np.vectorize(erf)
    return 0.5 * (1.0 - verf(x / sqrt(2)))


def fit_population(history: History, start_month: int) -> tuple[Population, FitReport]:
    granted = history.granted.astype(float)
    charged = history.charged.astype(float)
    covered = granted > 0
    n = granted.shape[0]
    months_obs = covered.sum(axis=1)

    # --- illness months: far below the person's usual use, or much cancelled in time ------
    positive = np.where(covered & (charged > 0), charged, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        usual = np.nanmedian(positive, axis=1)  # NaN for a person who never used the service
    usual_col = np.nan_to_num(usual)[:, None]
    cancelled_much = history.in_time > ILL_CANCEL_SHARE * np.maximum(charged, 1.0)
    low = charged < LOW_USE_SHARE * usual_col
    ill_month = covered & (usual_col > 0) & (cancelled_much | low)
    lost_share = np.where(
        ill_month,
        np.clip(1.0 - charged / np.maximum(usual_col, 1e-9), 0.0, 1.0),
        0.0,
    )
    lost_share = np.where(
        ill_month & cancelled_much & ~low, np.maximum(lost_share, 0.25), lost_share
    )
    healthy = covered & ~ill_month

    # --- seasonality (population level) ------------------------------------------------
    person_mean = np.where(
        healthy.sum(axis=1) > 0,
        (charged * healthy).sum(axis=1) / np.maximum(healthy.sum(axis=1), 1),
        np.nan,
    )
    season = np.ones(12)
    for c in range(1, 13):
        cols = history.calendar_month == c
        cell = healthy[:, cols] & ~np.isnan(person_mean)[:, None]
        count = cell.sum()
        if count == 0:
            continue
        ratio = (charged[:, cols] * cell).sum() / (np.nan_to_num(person_mean)[:, None] * cell).sum()
        season[c - 1] = (count * ratio + SEASON_PRIOR_PERSON_MONTHS) / (
            count + SEASON_PRIOR_PERSON_MONTHS
        )
    season /= season.mean()

    # --- level and spread of desired hours (lognormal, censored at the grant) -------------
    s_cols = season[history.calendar_month - 1][None, :]
    use = healthy & (charged > 0)
    logs = np.where(use, np.log(np.maximum(charged, 1.0) / 60.0 / s_cols), np.nan)
    censored = use & (charged >= CENSOR_SHARE * granted)
    n_i = use.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu_hat = np.nanmean(np.where(n_i[:, None] > 0, logs, 0.0), axis=1)
        sd_hat = np.nanstd(np.where(n_i[:, None] > 0, logs, 0.0), axis=1, ddof=0)
    mu_hat = np.where(n_i > 0, mu_hat, np.nan)
    sd_hat = np.where(n_i > 1, np.maximum(sd_hat, 0.05), np.nan)
    # Censored months saw only "at least the grant": replace them by the expected value of a
    # normal above the cap (a few Tobit-style passes are enough for the memo's precision).
    for _ in range(3):
        sd_use = np.where(np.isnan(sd_hat), DEFAULT_SD, sd_hat)[:, None]
        mu_use = np.where(np.isnan(mu_hat), 0.0, mu_hat)[:, None]
        a = (logs - mu_use) / sd_use
        mills = _norm_pdf(a) / np.maximum(_norm_sf(a), 1e-6)
        adj = np.where(censored, logs + sd_use * mills, logs)
        # Rows with no usable month are all-NaN; their mean is NaN on purpose (prior used).
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mu_hat = np.where(n_i > 0, np.nanmean(np.where(use, adj, np.nan), axis=1), np.nan)
    grant_now = np.maximum(history.grant_hours_now.astype(float), 0.5)
    log_ratio = mu_hat - np.log(grant_now)
    pop_log_ratio = float(np.nanmean(log_ratio)) if np.any(n_i > 0) else np.log(0.9)
    pop_sd = float(np.nanmean(sd_hat)) if np.any(n_i > 1) else DEFAULT_SD
    prior_mu = np.log(grant_now) + pop_log_ratio
    mu = np.where(
        n_i > 0,
        (n_i * np.nan_to_num(mu_hat) + LEVEL_PRIOR_MONTHS * prior_mu) / (n_i + LEVEL_PRIOR_MONTHS),
        prior_mu,
    )
    dof = np.maximum(n_i - 1, 0)
    var = (dof * np.nan_to_num(sd_hat) ** 2 + SD_PRIOR_MONTHS * pop_sd**2) / (dof + SD_PRIOR_MONTHS)
    sd = np.sqrt(var)
    # mu above is the mean of log hours; the lognormal's own mu is that, by definition.

    # --- illness episodes: runs of ill months, plus short runs of cancellations -----------
    episodes = np.zeros(n)
    episode_days = np.zeros(n)
    starts = ill_month & ~np.concatenate([np.zeros((n, 1), bool), ill_month[:, :-1]], axis=1)
    episodes += starts.sum(axis=1)
    episode_days += (lost_share * DAYS_PER_MONTH).sum(axis=1)
    if len(history.run_person):
        in_healthy = healthy[history.run_person, history.run_month]
        np.add.at(episodes, history.run_person[in_healthy], 1.0)
        np.add.at(episode_days, history.run_person[in_healthy], history.run_days[in_healthy])
    total_months = max(float(months_obs.sum()), 1.0)
    pop_rate = float(episodes.sum()) / total_months
    rate = (episodes + ILLNESS_PRIOR_MONTHS * pop_rate) / (months_obs + ILLNESS_PRIOR_MONTHS)
    onset = 1.0 - np.exp(-rate)
    pop_days = float(episode_days.sum() / episodes.sum()) if episodes.sum() else 10.0
    days = (episode_days + EPISODE_PRIOR_COUNT * pop_days) / (episodes + EPISODE_PRIOR_COUNT)

    # --- catch-up after illness: extra hours booked in a healthy month right after an ill
    # month, as a share of what the ill month lost against the person's usual level ---------
    expected = np.nan_to_num(person_mean)[:, None] * s_cols
    after = healthy[:, 1:] & ill_month[:, :-1] & (expected[:, 1:] > 0)
    excess = np.where(after, charged[:, 1:] - expected[:, 1:], 0.0).sum()
    lost = np.where(after, np.maximum(expected[:, :-1] - charged[:, :-1], 0.0), 0.0).sum()
    catch_up = float(np.clip(excess / lost, 0.0, 1.0)) if lost > 0 else DEFAULT_CATCH_UP

    # --- late cancellations ----------------------------------------------------------------
    charged_h = charged.sum(axis=1) / 60.0
    late_h = history.late.sum(axis=1) / 60.0
    pop_late = float(late_h.sum() / charged_h.sum()) if charged_h.sum() > 0 else 0.03
    late_rate = (late_h + LATE_PRIOR_HOURS * pop_late) / (charged_h + LATE_PRIOR_HOURS)

    population = Population(
        grant_hours=history.grant_hours_now.astype(float),
        log_mean=mu,
        log_sd=sd,
        illness_onset=np.clip(onset, 0.0, 0.95),
        illness_days=np.clip(days, 1.0, 120.0),
        late_cancel_rate=np.clip(late_rate, 0.0, 0.9),
        rate_per_hour=history.rate_per_hour.astype(float),
        expense_per_hour=history.expense_per_hour.astype(float),
        season=season,
        start_month=start_month,
        catch_up=catch_up,
        age=history.age,
        keys=history.keys,
    )
    desired = population.desired_mean()
    report = FitReport(
        persons=n,
        person_months=int(months_obs.sum()),
        season=season,
        illness_onsets_per_year=float(np.mean(rate) * 12),
        illness_mean_days=float(np.mean(days)) if n else pop_days,
        late_cancel_rate=float(np.mean(late_rate)) if n else pop_late,
        desired_to_grant=float(np.mean(desired / grant_now)) if n else exp(pop_log_ratio),
        censored_share=float(censored.sum() / max(use.sum(), 1)),
        thin_history_share=float(np.mean(months_obs < 6)) if n else 0.0,
        catch_up=catch_up,
    )
    return population, report


def report_from_population(pop: Population, season_source: str = "synthetic") -> FitReport:
    """The same population-level figures for a population built directly as arrays."""
    rate = -np.log(1.0 - pop.illness_onset)
    return FitReport(
        persons=pop.size,
        person_months=0,
        season=pop.season,
        illness_onsets_per_year=float(np.mean(rate) * 12),
        illness_mean_days=float(np.mean(pop.illness_days)),
        late_cancel_rate=float(np.mean(pop.late_cancel_rate)),
        desired_to_grant=float(np.mean(pop.desired_mean() / np.maximum(pop.grant_hours, 0.5))),
        censored_share=0.0,
        thin_history_share=0.0,
        catch_up=pop.catch_up,
    )
