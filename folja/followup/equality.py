"""Equality across districts (likvärdighet): do districts decide alike on alike needs?

Model choice: OLS with district fixed effects in *sum (deviation) coding*, so each district's
coefficient is its deviation from the unweighted mean of all districts ("the city mean"), and
the deviations sum to zero. We prefer it to a MixedLM with district random intercepts because
(a) the question is about *each named district*, not about a population of districts to
generalise to, and random effects shrink small districts toward the mean, hiding exactly the
deviations the council asks about; (b) it is stable and fast with 7–290 districts. Standard
errors are heteroscedasticity-robust (HC1): hours vary more in districts that grant more.

Both fits use the block form of the normal equations (folja.followup.fixed_effects): the same
estimates and intervals as statsmodels' sum-coded fits, in milliseconds at national scale. A
district with no rejection, or only rejections, has no finite odds and is left out of the
logistic fit; the others are compared with the mean of the districts fitted.

Case mix: legal basis (SoL/LSS), age band, the assessment's need score (mean DUR rating;
missing scores imputed by the mean with a missing-indicator, since imported history has none)
and the number of other services. For rejection (rejected or partly rejected), a logistic
regression with the same terms; its deviations are odds ratios against the city mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from folja.cases.models import Decision, Outcome
from folja.core.templatetags.figures import format_number
from folja.followup.fixed_effects import logit, ols_hc1
from folja.followup.selectors import Slice, swedish_key
from folja.ledger.decisions import GRANTING_FIELDS, grants_time
from folja.rules.stats import age_band, round_half_up


@dataclass(frozen=True)
class Deviation:
    district: str
    n: int
    raw: float  # district mean − city mean (hours) or rejection share − city share
    adjusted: float | None  # model deviation (hours) or odds ratio (rejection)
    low: float | None
    high: float | None
    sentence: str


def _num(value: float, places: int = 1) -> str:
    # Written like every figure (folja.core.templatetags.figures): rounded half-up, a decimal
    # comma and a true minus sign on a Swedish page, "–" for a deviation that cannot be fitted.
    return format_number(value, places)


def _rows(s: Slice) -> list[dict]:
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    qs = Decision.objects.filter(decided_on__gte=s.start, decided_on__lt=last)
    if s.district_id is not None:
        qs = qs.filter(district_id=s.district_id)
    rows = []
    for d in qs.values(
        *GRANTING_FIELDS,
        "decided_on",
        "legal_basis__act",
        "district__name",
        "person__birth_date",
        "application__assessment__need_score",
        "application__assessment__other_services",
    ).iterator(chunk_size=5000):
        need = d["application__assessment__need_score"]
        rows.append(
            {
                "district": d["district__name"],
                "act": d["legal_basis__act"],
                "age": age_band(d["person__birth_date"], d["decided_on"]),
                "need": float(need) if need is not None else math.nan,
                "other": len(d["application__assessment__other_services"] or []),
                "rejected": int(d["outcome"] in (Outcome.REJECTED, Outcome.PARTLY_REJECTED)),
                # Hours only of decisions that grant time: a decision replaced on
                # reconsideration would otherwise count beside its replacement.
                "hours": float(d["hours_per_month"]) if grants_time(d) else math.nan,
            }
        )
    return rows


def _frame(rows: list[dict]):
    import pandas as pd

    # The columns are named even for a year without decisions, which has no rows to name them.
    columns = ["district", "act", "age", "need", "other", "rejected", "hours"]
    df = pd.DataFrame(rows, columns=columns)
    df["need_missing"] = df["need"].isna().astype(int)
    df["need"] = df["need"].fillna(df["need"].mean() if df["need"].notna().any() else 0.0)
    return df


def _design(df, districts: list[str]):
    """(district index per row, case-mix matrix) for folja.followup.fixed_effects: treatment
    dummies for legal basis and age band, and the need score, other services and the
    missing-need indicator; a term that does not vary in the data is left out (it would be
    collinear with the district intercepts)."""
    import numpy as np

    index = {d: i for i, d in enumerate(districts)}
    groups = df["district"].map(index).to_numpy(dtype=np.int64)
    columns = []
    for name in ("act", "age"):
        levels = sorted(df[name].unique())
        for level in levels[1:]:
            columns.append((df[name] == level).to_numpy(dtype=float))
    for name in ("need", "other", "need_missing"):
        if df[name].nunique() > 1:
            columns.append(df[name].to_numpy(dtype=float))
    z = np.column_stack(columns) if columns else np.zeros((len(df), 0))
    return groups, z


def comparisons(s: Slice) -> tuple[list[Deviation], list[Deviation]]:
    """(hours, rejection) from one read of the slice's decisions."""
    df = _frame(_rows(s))
    return hours_equality(s, df), rejection_equality(s, df)


def hours_equality(s: Slice, df=None) -> list[Deviation]:
    """Granted hours per month per decision: each district against the city, raw and given the
    case mix. `df`: the slice's decisions as `_frame` makes them, when already read."""
    df = _frame(_rows(s)) if df is None else df
    if df.empty:
        return []
    df = df[df["hours"].notna()]
    districts = sorted(df["district"].unique(), key=swedish_key)
    if not len(df):
        return []
    city_mean = df["hours"].mean()
    effects: dict = {}
    if len(districts) >= 2 and len(df) > len(districts) + 5:
        groups, z = _design(df, districts)
        fitted = ols_hc1(df["hours"].to_numpy(dtype=float), groups, z)
        effects = {d: (e.estimate, e.low, e.high) for d, e in zip(districts, fitted, strict=True)}
    by_district = dict(tuple(df.groupby("district")["hours"]))
    result = []
    for d in districts:
        group = by_district[d]
        raw = float(group.mean() - city_mean)
        est = effects.get(d)
        result.append(
            Deviation(
                district=d,
                n=len(group),
                raw=raw,
                adjusted=est[0] if est else None,
                low=est[1] if est else None,
                high=est[2] if est else None,
                sentence=_hours_sentence(d, est),
            )
        )
    return result


def _hours_sentence(district: str, est) -> str:
    if est is None:
        return _("%(d)s: för få beslut för att jämföra.") % {"d": district}
    value, low, high = est
    ci = _("95 %% KI %(low)s till %(high)s") % {"low": _num(low), "high": _num(high)}
    if low <= 0 <= high:
        return _(
            "%(d)s beviljar inte säkert mer eller mindre än förväntat givet behoven "
            "(%(v)s timmar per månad, %(ci)s)."
        ) % {"d": district, "v": _num(value), "ci": ci}
    word = _("mer") if value > 0 else _("mindre")
    return _(
        "%(d)s beviljar %(v)s timmar %(word)s per månad än förväntat givet behoven (%(ci)s)."
    ) % {"d": district, "v": _num(abs(value)), "word": word, "ci": ci}


def rejection_equality(s: Slice, df=None) -> list[Deviation]:
    """Rejection (rejected or partly rejected): each district's odds against the city mean,
    raw share difference and adjusted odds ratio from a logistic regression."""
    df = _frame(_rows(s)) if df is None else df
    if df.empty:
        return []
    districts = sorted(df["district"].unique(), key=swedish_key)
    city = df["rejected"].mean()
    # A district whose decisions were all rejected, or none, has no finite log-odds: it is
    # left out of the fit (and its sentence says so) rather than dragging the city mean the
    # other districts are compared with.
    shares = df.groupby("district")["rejected"].mean()
    fitted_districts = [d for d in districts if 0 < shares[d] < 1]
    effects: dict = {}
    if len(fitted_districts) >= 2:
        fit_df = df[df["district"].isin(fitted_districts)]
        groups, z = _design(fit_df, fitted_districts)
        fitted = logit(fit_df["rejected"].to_numpy(dtype=float), groups, z)
        if fitted is not None:
            effects = {
                d: (math.exp(e.estimate), math.exp(e.low), math.exp(e.high))
                for d, e in zip(fitted_districts, fitted, strict=True)
            }
    by_district = dict(tuple(df.groupby("district")["rejected"]))
    result = []
    for d in districts:
        group = by_district[d]
        est = effects.get(d)
        if est and not all(map(math.isfinite, est)):
            est = None
        result.append(
            Deviation(
                district=d,
                n=len(group),
                raw=float(group.mean() - city),
                adjusted=est[0] if est else None,
                low=est[1] if est else None,
                high=est[2] if est else None,
                sentence=(
                    _rejection_sentence(d, est)
                    if d in fitted_districts or len(group) < 2
                    else _(
                        "%(d)s: alla beslut avslogs eller inget avslogs; oddskvoten kan inte "
                        "skattas."
                    )
                    % {"d": d}
                ),
            )
        )
    return result


def _rejection_sentence(district: str, est) -> str:
    if est is None:
        return _("%(d)s: för få beslut för att jämföra.") % {"d": district}
    value, low, high = est
    ci = _("95 %% KI %(low)s till %(high)s") % {"low": _num(low, 2), "high": _num(high, 2)}
    if low <= 1 <= high:
        return _(
            "%(d)s avslår inte säkert oftare eller mer sällan än förväntat givet behoven "
            "(oddskvot %(v)s, %(ci)s)."
        ) % {"d": district, "v": _num(value, 2), "ci": ci}
    word = _("oftare") if value > 1 else _("mer sällan")
    return _(
        "%(d)s avslår helt eller delvis %(word)s än förväntat givet behoven "
        "(oddskvot %(v)s, %(ci)s)."
    ) % {"d": district, "word": word, "v": _num(value, 2), "ci": ci}


def spread(values: list[float]) -> Decimal | None:
    """Max − min of the districts' figures, the simplest spread the seeds quote."""
    vals = [v for v in values if v is not None and not math.isnan(v)]
    if not vals:
        return None
    return round_half_up(max(vals) - min(vals), 3)
