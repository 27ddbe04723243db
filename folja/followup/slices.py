"""The execution rate broken down by one dimension (district, provider, legal basis, gender,
age band, month, model): one table for the follow-up page, its chart, its CSV file and
`folja report slices`, so the three can never disagree. The figures are the measures layer's
(`selectors.measures_by`, from the roll-up of the ledger); nothing is counted here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from folja.followup.dashboards import SEX_LABELS, month_label
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
    execution rate (a share, None when nothing was granted). A district or provider no longer
    on the register keeps its figures under "–"."""
    if by not in BY:
        raise ValueError(f"unknown dimension {by!r}")
    groups: dict[object, Measures] = measures_by(s, by)
    keys = list(groups)
    names = _labels(by, keys)
    rows = []
    for key, m in groups.items():
        label = names.get(key) or "–"
        rows.append(
            {
                "key": key.isoformat() if isinstance(key, date) else ("" if key is None else key),
                "label": label,
                "persons": m.persons,
                "granted_minutes": int(m.sums["granted_minutes"]),
                "executed_minutes": int(m.sums["executed_minutes"]),
                "granted_hours": hours(m.sums["granted_minutes"]),
                "executed_hours": hours(m.sums["executed_minutes"]),
                "execution_rate": m.execution_rate,
                "sort": _sort_key(by, key, label),
            }
        )
    return sorted(rows, key=lambda r: r["sort"])


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
