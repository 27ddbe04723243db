"""The execution rate broken down by one dimension (district, provider, legal basis, gender,
age band, month, model): one table for the follow-up page, its chart, its CSV file and
`folja report slices`, so the three can never disagree. The figures are the measures layer's
(`selectors.measures_by`, from the roll-up of the ledger); nothing is counted here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.core import clock
from folja.followup.dashboards import (
    SEX_LABELS,
    has_sessions,
    month_label,
    passed_rate,
    passed_slice,
)
from folja.followup.selectors import (
    Measures,
    Slice,
    district_names,
    measures_by,
    provider_names,
    swedish_key,
)
from folja.guidelines.models import AllocationModel
from folja.rules.stats import hours, percent

# The dimensions a slice can be taken by, with the heading of their column.
BY = {
    "district": gettext_lazy("Stadsdel"),
    "provider": gettext_lazy("Utförare"),
    "act": gettext_lazy("Lagrum"),
    "sex": gettext_lazy("Kön"),
    "age_band": gettext_lazy("Åldersgrupp"),
    "month": gettext_lazy("Månad"),
    "model": gettext_lazy("Modell"),
}
# The columns of the CSV file and of `folja report slices` (docs/data-dictionary.md).
COLUMNS = ("key", "label", "persons", "granted_hours", "executed_hours", "execution_rate_pct")


def _labels(by: str, keys: list) -> dict:
    if by == "district":
        return district_names(keys)
    if by == "provider":
        return provider_names(keys)
    if by == "sex":
        return {k: str(SEX_LABELS.get(k, k)) for k in keys}
    if by == "month":
        return {k: month_label(k) for k in keys if isinstance(k, date)}
    if by == "model":
        names = dict(AllocationModel.choices)
        return {k: str(names.get(k, k)) if k else "–" for k in keys}
    return {k: k or "–" for k in keys}  # SoL/LSS and age bands read as they are


def _sort_key(by: str, key, label: str):
    return (key,) if by == "month" else (swedish_key(label),)


def execution_slices(s: Slice, by: str) -> list[dict]:
    """One row per value of `by` in slice `s`: persons, granted and executed hours and the
    execution rate. The rate is the dashboards' (`dashboards.passed_rate` over
    `dashboards.passed_slice`): in an ongoing year only the months that have passed count,
    and a group without any session data has none ("inga uppgifter"), not 0 %. A district or
    provider no longer on the register keeps its figures under "–"."""
    if by not in BY:
        raise ValueError(f"unknown dimension {by!r}")
    groups: dict[object, Measures] = measures_by(s, by)
    passed = passed_slice(s, clock.today())
    if passed is None:
        passed_groups: dict[object, Measures] = {}
    elif passed == s:
        passed_groups = groups
    else:
        passed_groups = measures_by(passed, by)
    keys = list(groups)
    names = _labels(by, keys)
    rows = []
    for key, m in groups.items():
        label = names.get(key) or "–"
        counted = passed_groups.get(key, Measures()) if passed is not None else None
        rows.append(
            {
                "key": key.isoformat() if isinstance(key, date) else ("" if key is None else key),
                "label": label,
                "persons": m.persons,
                "granted_minutes": int(m.sums["granted_minutes"]),
                "executed_minutes": int(m.sums["executed_minutes"]),
                "granted_hours": hours(m.sums["granted_minutes"]),
                "executed_hours": hours(m.sums["executed_minutes"]),
                "execution_rate": passed_rate(counted),
                "has_sessions": counted is not None and has_sessions(counted),
                "sort": _sort_key(by, key, label),
            }
        )
    return sorted(rows, key=lambda r: r["sort"])


def preliminary(s: Slice) -> str | None:
    """The last month counted when `s` reaches into a month not yet passed (the page says
    the figures are preliminary); None when the whole slice has passed."""
    passed = passed_slice(s, clock.today())
    if passed == s:
        return None
    return month_label(passed.end) if passed is not None else ""


def rate_percent(rate: Decimal | None) -> Decimal | None:
    # The one rounding of a share to a percentage (folja.rules.stats), as the pages write it.
    return None if rate is None else percent(rate)


def slices_table(rows: list[dict]) -> list[list]:
    """The rows as the CSV file and the CLI write them (COLUMNS)."""
    return [
        [
            r["key"],
            r["label"],
            r["persons"],
            r["granted_hours"],
            r["executed_hours"],
            rate_percent(r["execution_rate"]),
        ]
        for r in rows
    ]


def heading(by: str) -> str:
    return _("Utförandegrad per %(dimension)s") % {"dimension": str(BY[by]).lower()}
