"""What the dashboards, the tertial report and the charts show: compositions of the measures
layer (`selectors.py`), aggregates only."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from folja.cases.models import Decision
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


def _row(label: str, m: Measures) -> dict:
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
        "execution_rate": m.execution_rate,
        "flexible_share": m.flexible_share,
        "cancellations": m.cancellations,
        "expenses_sek": Decimal(m.sums["expenses_sek"]),
        "feedback": int(m.sums["feedback_count"]),
        "complaints": int(m.sums["complaint_count"]),
    }


def overview(s: Slice) -> dict:
    """Everything one dashboard or report page shows for slice `s`."""
    many = measures_many(s, [None, "month", "district", "sex", "act", "age_band"])
    total = many[None].get(None, Measures())
    by_month = many["month"]
    months = []
    current = s.start
    while current <= s.end:
        m = by_month.get(current, Measures())
        months.append(_row(month_label(current), m))
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    by_district = many["district"]
    names = district_names(by_district)
    districts = sorted(
        (_row(names[k], m) for k, m in by_district.items() if k in names),
        key=lambda r: swedish_key(r["label"]),
    )
    by_sex = many["sex"]
    sexes = [_row(str(SEX_LABELS.get(k, k)), m) for k, m in sorted(by_sex.items(), key=str)]
    persons_total = sum(r["persons"] for r in sexes) or None
    for r in sexes:
        r["persons_share"] = share(r["persons"], persons_total) if persons_total else None
    by_act = many["act"]
    acts = [_row(k or "–", m) for k, m in sorted(by_act.items(), key=str)]
    by_age = many["age_band"]
    ages = [_row(k or "–", m) for k, m in sorted(by_age.items(), key=str)]
    return {
        "slice": s,
        "total": _row(_("Totalt"), total),
        "months": months,
        "districts": districts,
        "sexes": sexes,
        "acts": acts,
        "ages": ages,
        "histogram": hours_histogram(s),
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
