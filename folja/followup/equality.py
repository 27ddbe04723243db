"""Equality across districts (likvärdighet): do districts decide alike on alike needs?

Model choice: OLS with district fixed effects in *sum (deviation) coding*, so each district's
coefficient is its deviation from the unweighted mean of all districts ("the city mean"), and
the deviations sum to zero. We prefer it to a MixedLM with district random intercepts because
(a) the question is about *each named district*, not about a population of districts to
generalise to, and random effects shrink small districts toward the mean, hiding exactly the
deviations the council asks about; (b) it is stable and fast with 7–290 districts. Standard
errors are heteroscedasticity-robust (HC1): hours vary more in districts that grant more.

Case mix: legal basis (SoL/LSS), age band, the assessment's need score (mean DUR rating;
missing scores imputed by the mean with a missing-indicator, since imported history has none)
and the number of other services. For rejection (rejected or partly rejected), a logistic
regression with the same terms; its deviations are odds ratios against the city mean.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from folja.cases.models import Decision, Outcome
from folja.core.templatetags.figures import format_number
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


def _terms(df) -> str:
    terms = []
    for name in ("act", "age"):
        if df[name].nunique() > 1:
            terms.append(f"C({name})")
    for name in ("need", "other", "need_missing"):
        if df[name].nunique() > 1:
            terms.append(name)
    return "".join(f" + {t}" for t in terms)


def _district_effects(result, districts: list[str], exp: bool = False):
    """Each district's deviation and 95 % CI from a sum-coded fit; the last district's is
    minus the sum of the others (a linear contrast, so it gets its own CI)."""
    import numpy as np

    names = list(result.params.index)
    idx = [i for i, n in enumerate(names) if n.startswith("C(district, Sum)")]
    out = {}
    for j, district in enumerate(districts):
        contrast = np.zeros(len(names))
        if j < len(idx):
            contrast[idx[j]] = 1.0
        else:
            contrast[idx] = -1.0
        t = result.t_test(contrast)
        est = float(np.asarray(t.effect).ravel()[0])
        low, high = (float(v) for v in np.asarray(t.conf_int()).ravel()[:2])
        if exp:
            est, low, high = math.exp(est), math.exp(low), math.exp(high)
        out[district] = (est, low, high)
    return out


def hours_equality(s: Slice) -> list[Deviation]:
    """Granted hours per month per decision: each district against the city, raw and given the
    case mix."""
    import statsmodels.formula.api as smf

    df = _frame(_rows(s))
    if df.empty:
        return []
    df = df[df["hours"].notna()]
    districts = sorted(df["district"].unique(), key=swedish_key)
    if not len(df):
        return []
    city_mean = df["hours"].mean()
    effects: dict = {}
    if len(districts) >= 2 and len(df) > len(districts) + 5:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = smf.ols(f"hours ~ C(district, Sum){_terms(df)}", data=df).fit(cov_type="HC1")
                effects = _district_effects(fit, districts)
            except (ValueError, ZeroDivisionError, ArithmeticError):
                effects = {}
    result = []
    for d in districts:
        group = df[df["district"] == d]
        raw = float(group["hours"].mean() - city_mean)
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


def rejection_equality(s: Slice) -> list[Deviation]:
    """Rejection (rejected or partly rejected): each district's odds against the city mean,
    raw share difference and adjusted odds ratio from a logistic regression."""
    import statsmodels.formula.api as smf

    df = _frame(_rows(s))
    if df.empty:
        return []
    districts = sorted(df["district"].unique(), key=swedish_key)
    city = df["rejected"].mean()
    effects: dict = {}
    if len(districts) >= 2 and 0 < df["rejected"].sum() < len(df):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = smf.logit(f"rejected ~ C(district, Sum){_terms(df)}", data=df).fit(
                    disp=0, maxiter=100
                )
                effects = _district_effects(fit, districts, exp=True)
            except (ValueError, ZeroDivisionError, ArithmeticError, OverflowError):
                effects = {}
            except Exception as exc:  # statsmodels' PerfectSeparationError and LinAlgError
                if type(exc).__name__ not in ("PerfectSeparationError", "LinAlgError"):
                    raise
                effects = {}
    result = []
    for d in districts:
        group = df[df["district"] == d]
        est = effects.get(d)
        if est and not all(map(math.isfinite, est)):
            est = None
        result.append(
            Deviation(
                district=d,
                n=len(group),
                raw=float(group["rejected"].mean() - city),
                adjusted=est[0] if est else None,
                low=est[1] if est else None,
                high=est[2] if est else None,
                sentence=_rejection_sentence(d, est),
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
