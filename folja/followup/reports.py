"""The tertial report to the council (T1 January–April, T2 May–August, T3 September–December):
PDF (WeasyPrint, with charts) and Excel (openpyxl), for the city or one district. Figures come
from the measures layer through `dashboards.overview`."""

from __future__ import annotations

import base64
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from folja.core.pdf import html_to_pdf
from folja.core.xlsx import DECIMAL, MONEY, SHARE, WHOLE, write_table
from folja.followup import charts
from folja.followup.dashboards import histogram_values, overview
from folja.followup.handbook import handbook_followup
from folja.followup.opendata import SUPPRESSED
from folja.followup.selectors import Slice
from folja.people.models import District
from folja.rules.stats import percent
from folja.surveys.selectors import awareness_trend

COLUMNS = (
    ("label", ""),
    ("persons", "Personer med insatsen"),
    ("applications", "Ansökningar"),
    ("decisions", "Beslut"),
    ("rejected_or_partly", "Avslag och delavslag"),
    ("rejection_share", "Andel avslag"),
    ("median_hours", "Timmar per beslut, median"),
    ("q1_hours", "Timmar per beslut, nedre kvartil"),
    ("q3_hours", "Timmar per beslut, övre kvartil"),
    ("granted_hours", "Beviljade timmar"),
    ("executed_hours", "Utförda timmar"),
    ("execution_rate", "Utförandegrad"),
    ("lapsed_hours", "Förfallna timmar"),
    ("cancelled_in_time", "Avbokade i tid"),
    ("cancelled_late", "Avbokade sent"),
    ("no_shows", "Uteblivna"),
    ("cancelled_by_provider", "Inställda av utföraren"),
    ("flexible_share", "Andel som använt timmarna flexibelt"),
    ("expenses_sek", "Använd omkostnadsersättning (kr)"),
    ("feedback", "Synpunkter"),
    ("complaints", "Klagomål"),
)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _charts(data: dict, s: Slice, where: str) -> list[dict]:
    months = data["months"]
    out = [
        {
            "title": _("Beviljade och utförda timmar per månad"),
            "src": _data_uri(
                charts.time_series(
                    f"{where}",
                    [m["label"] for m in months],
                    [
                        (_("Beviljade timmar"), [float(m["granted_hours"]) for m in months]),
                        (_("Utförda timmar"), [float(m["executed_hours"]) for m in months]),
                    ],
                    _("Timmar"),
                )
            ),
        },
        {
            "title": _("Beviljade timmar per månad och beslut"),
            "src": _data_uri(
                charts.histogram(
                    where,
                    histogram_values(s),
                    _("Timmar per månad"),
                    [0, 5, 10, 15, 20, 25, 30, 40, 50, 70, 100],
                )
            ),
        },
    ]
    rows = [r for r in data["districts"] if r["execution_rate"] is not None]
    if len(rows) > 1:
        out.append(
            {
                "title": _("Utförandegrad per stadsdel"),
                "src": _data_uri(
                    charts.bars(
                        where,
                        [r["label"] for r in rows],
                        [float(percent(r["execution_rate"])) for r in rows],
                        "{:.0f} %",
                        _("Utförda av beviljade timmar (%)"),
                    )
                ),
            }
        )
    return out


# Number formats of the report's columns (folja.core.xlsx): shares as percentages, hours with
# one decimal, money as "# ##0,00" in Swedish Excel.
XLSX_FORMATS = {
    "persons": WHOLE,
    "applications": WHOLE,
    "decisions": WHOLE,
    "rejected_or_partly": WHOLE,
    "rejection_share": SHARE,
    "median_hours": DECIMAL,
    "q1_hours": DECIMAL,
    "q3_hours": DECIMAL,
    "granted_hours": DECIMAL,
    "executed_hours": DECIMAL,
    "execution_rate": SHARE,
    "lapsed_hours": DECIMAL,
    "cancelled_in_time": WHOLE,
    "cancelled_late": WHOLE,
    "no_shows": WHOLE,
    "cancelled_by_provider": WHOLE,
    "flexible_share": SHARE,
    "expenses_sek": MONEY,
    "feedback": WHOLE,
    "complaints": WHOLE,
}


# The awareness section (issue 15, item 7): one row per person survey and awareness question,
# the same rows (`surveys.selectors.awareness_trend`, suppressed there) in the PDF and Excel.
AWARENESS_COLUMNS = (
    ("survey", "Enkät"),
    ("period", "Period"),
    ("question", "Fråga"),
    ("respondents", "Svarande"),
    ("yes_percent", "Andel som svarat ja"),
)
AWARENESS_SHEET = "Kännedom"
# The PDF writes whole percentages ("55 %"); the sheet holds the same figure as a share.
WHOLE_PERCENT = "0%"


def awareness_cell(row: dict, key: str):
    """A cell of the awareness sheet: the share who answered yes as a share of one (the PDF's
    percentage / 100, exact), a suppressed figure as "..", as the PDF writes it."""
    value = row[key]
    if key == "yes_percent":
        return SUPPRESSED if value is None else value / 100
    return value


def _awareness_sheet(wb: Workbook, rows: list[dict]) -> None:
    ws = wb.create_sheet(AWARENESS_SHEET)
    header = [_(label) for _key, label in AWARENESS_COLUMNS]
    body = [[awareness_cell(r, key) for key, _label in AWARENESS_COLUMNS] for r in rows]
    formats = {_("Svarande"): WHOLE, _("Andel som svarat ja"): WHOLE_PERCENT}
    write_table(ws, header, body or [[_("Inga enkäter ännu.")]], formats=formats, freeze="A2")


def cell_value(row: dict, key: str):
    """A figure as the spreadsheet holds it: the execution rate of a row without any session
    data is the text "inga uppgifter" (as in the PDF), not an empty or zero rate."""
    if key == "execution_rate" and not row["has_sessions"]:
        return _("inga uppgifter")
    return row[key]


def _sheet(wb: Workbook, title: str, rows: list[dict], first: str) -> None:
    ws = wb.create_sheet(title[:31])
    keys = [key for key, _label in COLUMNS[1:]]
    labels = [_(label) for _key, label in COLUMNS[1:]]
    formats = {_(label): XLSX_FORMATS[key] for key, label in COLUMNS[1:]}
    write_table(
        ws,
        [_(first), *labels],
        ([r["label"], *(cell_value(r, key) for key in keys)] for r in rows),
        formats=formats,
        freeze="B2",
    )


# The handling time of tillämpningsfrågor: the summary's rows and the sheet's columns.
HANDLING_COLUMNS = (
    ("asked", "Ställda tillämpningsfrågor", WHOLE),
    ("answered", "Besvarade tillämpningsfrågor", WHOLE),
    ("median_days", "Handläggningstid för tillämpningsfrågor, median (dagar)", DECIMAL),
    ("open_at_end", "Öppna tillämpningsfrågor vid periodens slut", WHOLE),
)


def _handling_summary(ws, handbook: dict) -> None:
    total = handbook["handling_total"]
    if total is None:
        return
    for key, label, fmt in HANDLING_COLUMNS:
        value = getattr(total, key)
        ws.append([_(label), float(value) if key == "median_days" and value is not None else value])
        if value is not None:
            ws.cell(row=ws.max_row, column=2).number_format = fmt


def _handbook_sheets(wb: Workbook, handbook: dict) -> None:
    """The handbook's follow-up as on the dashboard: handling time per tertial (and the whole
    period), and each grey-zone activity's decisions per district with the departure flag."""
    rows = list(handbook["handling"])
    if len(rows) > 1 and handbook["handling_total"] is not None:
        rows.append(handbook["handling_total"])
    write_table(
        wb.create_sheet("Tillämpningsfrågor"),
        [_("Period"), *(_(label) for _key, label, _fmt in HANDLING_COLUMNS)],
        ([r.label, *(getattr(r, key) for key, _label, _fmt in HANDLING_COLUMNS)] for r in rows),
        formats={_(label): fmt for _key, label, fmt in HANDLING_COLUMNS},
        freeze="B2",
    )
    headers = [
        _("Aktivitet"),
        _("Tillämpning"),
        _("Stadsdel"),
        _("Beslut"),
        _("Beviljade"),
        _("Andel beviljade"),
        _("Avviker från tillämpningen"),
    ]
    write_table(
        wb.create_sheet("Gråzoner"),
        headers,
        (
            [
                a.activity.name,
                a.ruling.get_kind_display() if a.ruling else "",
                c.district,
                c.shown if c.decisions is None else c.decisions,
                c.shown if c.decisions is None else c.granted,
                c.shown if c.decisions is None else c.granted_share,
                _("ja") if c.departs else _("nej"),
            ]
            for a in handbook["practice"]
            for c in a.cells
        ),
        formats={_("Beslut"): WHOLE, _("Beviljade"): WHOLE, _("Andel beviljade"): SHARE},
        freeze="B2",
    )


def write_tertial_report(
    *, year: int, tertial: int, district: District | None, out: Path
) -> list[Path]:
    s = Slice.tertial(year, tertial, district_id=district.pk if district else None)
    data = overview(s)
    handbook = handbook_followup(s)
    where = district.name if district else _("Hela staden")
    stem = (
        f"tertialrapport-{year}-T{tertial}-{'stad' if district is None else slugify(district.name)}"
    )
    context = {
        "year": year,
        "tertial": tertial,
        "where": where,
        "data": data,
        "charts": _charts(data, s, where),
        "columns": COLUMNS,
        "awareness": awareness_trend(until=s.end, district_id=s.district_id),
        "awareness_columns": AWARENESS_COLUMNS,
        "handbook": handbook,
    }
    html = render_to_string("followup/tertial_report.html", context)
    pdf_path = out / f"{stem}.pdf"
    pdf_path.write_bytes(html_to_pdf(html))

    wb = Workbook()
    summary = wb.active
    summary.title = "Sammanfattning"
    summary.append([_("Tertialrapport"), f"{year} T{tertial}", where])
    if data["preliminary"]:
        summary.append([_("Preliminär"), _("Tertialen pågår: siffrorna kan ändras.")])
    for key, label in COLUMNS[1:]:
        value = cell_value(data["total"], key)
        summary.append(
            [
                _(label),
                float(value) if value is not None and not isinstance(value, (int, str)) else value,
            ]
        )
        if value is not None and not isinstance(value, str):
            summary.cell(row=summary.max_row, column=2).number_format = XLSX_FORMATS[key]
    _handling_summary(summary, handbook)
    summary.freeze_panes = "A2"
    _sheet(wb, "Månader", data["months"], "Månad")
    _sheet(wb, "Stadsdelar", data["districts"], "Stadsdel")
    _sheet(wb, "Kön", data["sexes"], "Kön")
    _sheet(wb, "Lagrum", data["acts"], "Lagrum")
    _sheet(wb, "Åldersgrupper", data["ages"], "Åldersgrupp")
    _awareness_sheet(wb, context["awareness"])
    _handbook_sheets(wb, handbook)
    xlsx_path = out / f"{stem}.xlsx"
    wb.save(xlsx_path)
    return [pdf_path, xlsx_path]
