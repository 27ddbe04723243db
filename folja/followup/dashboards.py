"""What the dashboards, the tertial report and the charts show: compositions of the measures
layer (`selectors.py`), aggregates only."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from folja.cases.models import Decision
from folja.core import clock
from folja.followup.models import MonthlyRollup
from folja.followup.selectors import (
    Measures,
    Slice,
    district_names,
    measures_many,
    swedish_key,
)
from folja.ledger.decisions import granting_decisions
from folja.rules.stats import hours, share

SEX_LABELS = {
    "female": gettext_lazy("Kvinnor"),
    "male": gettext_lazy("Män"),
    "": gettext_lazy("Okänt"),
}
HOUR_BINS = (0, 5, 10, 15, 20, 25, 30, 40, 50, 70, 100)


def month_label(month: date) -> str:
    """The month as "jan 2024" in Swedish and "Jan 2024" in English: Django's translated month
    names, in the form the catalogue gives per language (Swedish writes them in lower case)."""
    return date_format(month, pgettext("short month and year, a date format", "b Y"))


def default_year() -> int:
    latest = MonthlyRollup.objects.aggregate(m=Max("month"))["m"]
    this_year = date.today().year
    if latest is None:
        latest_decision = Decision.objects.aggregate(m=Max("decided_on"))["m"]
        return latest_decision.year if latest_decision else this_year
    return min(latest.year, this_year)


SESSION_FIELDS = (
    "sessions_executed",
    "cancelled_in_time",
    "cancelled_late",
    "no_shows",
    "cancelled_by_provider",
)


def has_sessions(m: Measures) -> bool:
    # Years before session reporting have grants but no sessions at all: their execution rate
    # is unknown ("inga uppgifter"), not 0 %.
    return any(m.sums[f] for f in SESSION_FIELDS)


def passed_rate(passed: Measures | None) -> Decimal | None:
    """The execution rate over the months that have passed only (a month still running has
    its grant but not yet its sessions); None when none has passed or none has session data."""
    if passed is None or not has_sessions(passed):
        return None
    return passed.execution_rate


def _row(label: str, m: Measures, passed: Measures | None = None) -> dict:
    q = m.hours_per_decision or {}
    return {
        "label": label,
        "persons": m.persons,
        "applications": m.applications,
        "decisions": m.decisions,
        "rejected_or_partly": m.rejected_or_partly,
        "rejection_share": m.rejection_share,
        "median_hours": q.get("median"),
        "q1_hours": q.get("q1"),
        "q3_hours": q.get("q3"),
        # Minutes for the pages (shown through the one `hours` filter), hours for charts and
        # files; both rounded by folja.rules.stats.
        "granted_minutes": int(m.sums["granted_minutes"]),
        "executed_minutes": int(m.sums["executed_minutes"]),
        "lapsed_minutes": int(m.sums["lapsed_minutes"]),
        "granted_hours": hours(m.sums["granted_minutes"]),
        "executed_hours": hours(m.sums["executed_minutes"]),
        "lapsed_hours": hours(m.sums["lapsed_minutes"]),
        "execution_rate": passed_rate(passed),
        "has_sessions": has_sessions(passed) if passed is not None else False,
        "flexible_share": m.flexible_share,
        "cancellations": m.cancellations,
        **m.cancellations,
        "expenses_sek": Decimal(m.sums["expenses_sek"]),
        "feedback": int(m.sums["feedback_count"]),
        "complaints": int(m.sums["complaint_count"]),
    }


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def passed_slice(s: Slice, today: date) -> Slice | None:
    """The months of `s` that have ended by `today`; None when none has. The one rule for
    an ongoing year or tertial: the dashboards, the tertial report and the slices count the
    execution rate over these months only."""
    this_month = today.replace(day=1)
    if s.end < this_month:
        return s
    last = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
    if last < s.start:
        return None
    return replace(s, end=last)


BYS = [None, "month", "district", "sex", "act", "age_band"]


def overview(s: Slice) -> dict:
    """Everything one dashboard or report page shows for slice `s`. The execution rate counts
    the months that have passed only; a slice reaching into this month is preliminary."""
    many = measures_many(s, BYS)
    passed = passed_slice(s, clock.today())
    if passed == s:
        many_passed = many
    elif passed is None:
        many_passed = {by: {} for by in BYS}
    else:
        many_passed = measures_many(passed, [None, "district", "sex", "act", "age_band"])

    def row(label: str, by: str | None, key, m: Measures) -> dict:
        return _row(label, m, many_passed[by].get(key, Measures()) if passed else None)

    total = many[None].get(None, Measures())
    by_month = many["month"]
    months = []
    current = s.start
    while current <= s.end:
        m = by_month.get(current, Measures())
        passed_month = m if passed is not None and current <= passed.end else None
        months.append(_row(month_label(current), m, passed_month))
        current = _next_month(current)
    by_district = many["district"]
    names = district_names(by_district)
    districts = sorted(
        (row(names[k], "district", k, m) for k, m in by_district.items() if k in names),
        key=lambda r: swedish_key(r["label"]),
    )
    by_sex = many["sex"]
    sexes = [
        row(str(SEX_LABELS.get(k, k)), "sex", k, m) for k, m in sorted(by_sex.items(), key=str)
    ]
    persons_total = sum(r["persons"] for r in sexes) or None
    for r in sexes:
        r["persons_share"] = share(r["persons"], persons_total) if persons_total else None
    by_act = many["act"]
    acts = [row(k or "–", "act", k, m) for k, m in sorted(by_act.items(), key=str)]
    by_age = many["age_band"]
    ages = [row(k or "–", "age_band", k, m) for k, m in sorted(by_age.items(), key=str)]
    return {
        "slice": s,
        "preliminary": passed != s,
        "passed_until": month_label(passed.end) if passed is not None else None,
        "total": row(_("Totalt"), None, None, total),
        "months": months,
        "districts": districts,
        "sexes": sexes,
        "acts": acts,
        "ages": ages,
        "histogram": (histogram := hours_histogram(s)),
        "histogram_decisions": sum(b["count"] for b in histogram),
    }


def hours_histogram(s: Slice) -> list[dict]:
    """Granted hours per month per decision, counted in bins (the distribution chart)."""
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    qs = granting_decisions(Decision.objects.filter(decided_on__gte=s.start, decided_on__lt=last))
    if s.district_id is not None:
        qs = qs.filter(district_id=s.district_id)
    values = [float(h) for h in qs.values_list("hours_per_month", flat=True) if h is not None]
    rows = []
    for low, high in itertools.pairwise(HOUR_BINS):
        last_bin = high == HOUR_BINS[-1]
        n = sum(1 for v in values if low <= v < high or (last_bin and v >= high))
        rows.append({"label": f"{low}–{high}" if not last_bin else f"{low}–", "count": n})
    return rows


def histogram_values(s: Slice) -> list[float]:
    last = date(s.end.year + (s.end.month == 12), s.end.month % 12 + 1, 1)
    qs = granting_decisions(Decision.objects.filter(decided_on__gte=s.start, decided_on__lt=last))
    if s.district_id is not None:
        qs = qs.filter(district_id=s.district_id)
    return [min(float(h), HOUR_BINS[-1]) for h in qs.values_list("hours_per_month", flat=True) if h]
