"""The case-mix-adjusted equality comparison as rows of one table, and as a spreadsheet: the
page's tables, its chart, the CSV file and the Excel file read the same estimates
(folja.followup.equality), so the four cannot disagree."""

from __future__ import annotations

import io
import math

from django.core.cache import cache
from django.utils.translation import gettext as _
from openpyxl import Workbook

from folja.core.cachekeys import text_cache_key
from folja.core.xlsx import DECIMAL, SHARE, WHOLE, write_table
from folja.followup.equality import Deviation, comparisons
from folja.followup.selectors import Slice

COLUMNS = ("measure", "district", "decisions", "raw", "adjusted", "ci_low", "ci_high")
ODDS_RATIO = "0.00"  # an odds ratio reads with two decimals, as on the page


def finite(value: float | None) -> float | None:
    # A fit that failed gives NaN; a file leaves the cell empty, as for any missing figure.
    return value if value is not None and math.isfinite(value) else None


def year_comparisons(year: int) -> tuple[list[Deviation], list[Deviation]]:
    """(hours, rejection) of a year. Cached briefly, as the dashboard's figures are: the page,
    its chart image and its files ask for the same fits at once. The sentences are in the
    reader's language: one entry per language."""
    key = text_cache_key("followup:equality", year)
    data = cache.get(key)
    if data is None:
        data = comparisons(Slice.year(year))
        cache.set(key, data, 60)
    return data


def equality_rows(year: int) -> list[list]:
    """Both comparisons, hours first: measure, district, decisions, raw difference, adjusted
    estimate and its 95 % interval (NaN from a failed fit left as it is)."""
    hours, rejection = year_comparisons(year)
    rows = []
    for measure, deviations in (("hours", hours), ("rejection", rejection)):
        for d in deviations:
            rows.append([measure, d.district, d.n, d.raw, d.adjusted, d.low, d.high])
    return rows


def file_rows(year: int) -> list[list]:
    """The rows as the CSV and Excel files hold them: a failed fit as an empty cell."""
    return [[*r[:3], *(finite(v) for v in r[3:])] for r in equality_rows(year)]


def equality_xlsx(year: int) -> bytes:
    """One sheet per comparison with the page's headings, numbers as numbers (hours with one
    decimal, the raw difference in rejection share as a percentage, the odds ratio with two
    decimals) and the header row frozen; the figures are the CSV file's, cell for cell."""
    rows = file_rows(year)
    wb = Workbook()
    hours_sheet = wb.active
    hours_sheet.title = _("Beviljade timmar")[:31]
    header = [
        _("Stadsdel"),
        _("Beslut"),
        _("Rå skillnad (timmar per månad)"),
        _("Justerad skillnad (timmar per månad)"),
        _("Nedre konfidensgräns (95 procent)"),
        _("Övre konfidensgräns (95 procent)"),
    ]
    write_table(
        hours_sheet,
        header,
        [r[1:] for r in rows if r[0] == "hours"],
        formats={header[1]: WHOLE, **{h: DECIMAL for h in header[2:]}},
    )
    rejection_sheet = wb.create_sheet(_("Avslag och delavslag")[:31])
    header = [
        _("Stadsdel"),
        _("Beslut"),
        _("Rå skillnad i andel avslag"),
        _("Justerad oddskvot"),
        _("Nedre konfidensgräns (95 procent)"),
        _("Övre konfidensgräns (95 procent)"),
    ]
    write_table(
        rejection_sheet,
        header,
        [r[1:] for r in rows if r[0] == "rejection"],
        formats={header[1]: WHOLE, header[2]: SHARE, **{h: ODDS_RATIO for h in header[3:]}},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
