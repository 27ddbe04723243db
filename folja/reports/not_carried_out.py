"""Decisions not carried out, every quarter (SoL 16 kap. 6 f §, from 2025-07-01 its counterpart
in socialtjänstlagen (2025:400); LSS 28 f §): the individual reports to IVO and the report to
the social welfare committee, both read from the register the caseworkers keep
(cases.NonExecution, filled by the rule in folja.rules.execution over the ledger's executed
days, with the reason the caseworker recorded). Nothing here decides what is not carried out.

An entry belongs to the quarter when it was reportable by the quarter's end and still open at
some time in the quarter: not carried out before the quarter began, and its decision not ended
before it. Its status in the quarter (IVO's individrapport: new cases, cases still not carried
out after another quarter, and cases closed):

- `verkstallt`: carried out during the quarter (the closing report);
- `upphort`: the decision ended during the quarter without being carried out;
- `ny`: reportable for the first time in the quarter;
- `kvarstar`: reported before and still not carried out at the quarter's end.

IVO identifies the person not by personnummer but by date of birth and four characters,
ÅÅÅÅMMDD-Tnnn, the third of them even for a woman and odd for a man, the same number in every
report (IVO's questions and answers on the individrapport); Följa derives it from the person's
pseudonym, so it stays the same from quarter to quarter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from folja.reports.files import Problem
from folja.reports.legal_references import (
    LSS_ESCORT,
    LSS_NOT_CARRIED_OUT,
    SOL_ASSISTANCE,
    SOL_NOT_CARRIED_OUT,
    reference_on,
)

NEW, REMAINING, CARRIED_OUT, ENDED = "ny", "kvarstar", "verkstallt", "upphort"
STATUS_LABELS = {
    NEW: "Ny",
    REMAINING: "Kvarstår, ej verkställt",
    CARRIED_OUT: "Verkställt under kvartalet",
    ENDED: "Beslutet upphörde utan verkställighet",
}
INSATS = {"SoL": "Ledsagning", "LSS": "Ledsagarservice"}
REASON_MISSING = "Skäl ej registrerat"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    after = date(year + (quarter == 4), (first_month + 3 - 1) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def ivo_id(*, birth_date: date, sex: str, pseudonym: str) -> str:
    """ÅÅÅÅMMDD-T and three digits, the middle one's parity the person's sex."""
    h = int(hashlib.sha256(pseudonym.encode()).hexdigest()[:8], 16)
    middle = 2 * (h // 100 % 5) + (1 if sex == "male" else 0)
    return f"{birth_date:%Y%m%d}-T{h % 10}{middle}{h // 10 % 10}"


@dataclass(frozen=True)
class Entry:
    entry_id: int
    decision_id: int
    person_id: int
    district: str
    ivo_id: str
    sex: str
    act: str
    insats: str
    legal_basis: str  # the decision's lagrum (folja.reports.legal_references)
    reporting_basis: str  # the section the report is made under
    decided_on: date
    valid_to: date
    kind: str
    kind_label: str
    since: date
    reportable_on: date
    reason: str
    reason_label: str
    reason_text: str
    carried_out_on: date | None
    ended_on: date | None
    status: str
    days_waited: int  # from `since` to the day carried out, or to the quarter's end

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _reporting_basis(act: str, period_end: date) -> str:
    """The section the quarter's report is made under: the one in force at the end of the
    report period. The old act was repealed on 2025-07-01, so a decision still not carried
    out in the third quarter of 2025 is reported under the new act, even though the
    decision itself cites the old act's lagrum (the one in force on the day it was made)."""
    if act == "LSS":
        return reference_on(LSS_NOT_CARRIED_OUT, period_end)
    return reference_on(SOL_NOT_CARRIED_OUT, period_end)


def _status(*, entry, valid_to: date, start: date, end: date) -> str:
    if entry.carried_out_on is not None and start <= entry.carried_out_on <= end:
        return CARRIED_OUT
    if start <= valid_to <= end and valid_to < (entry.carried_out_on or date.max):
        return ENDED
    if entry.reportable_on >= start:
        return NEW
    return REMAINING


def quarter_entries(year: int, quarter: int) -> list[Entry]:
    """The register's entries of the quarter, ordered by district, decision date and entry."""
    from folja.cases.models import NonExecution

    start, end = quarter_bounds(year, quarter)
    rows = (
        NonExecution.objects.filter(reportable_on__lte=end, decision__valid_to__gte=start)
        .exclude(carried_out_on__lt=start)
        .select_related("decision__legal_basis", "person", "district")
        .order_by("district__name", "decision__decided_on", "id")
    )
    entries = []
    for row in rows:
        decision, person = row.decision, row.person
        act = decision.legal_basis.act
        status = _status(entry=row, valid_to=decision.valid_to, start=start, end=end)
        stop = row.carried_out_on if status == CARRIED_OUT else min(end, decision.valid_to)
        entries.append(
            Entry(
                entry_id=row.pk,
                decision_id=decision.pk,
                person_id=person.pk,
                district=row.district.name,
                ivo_id=ivo_id(
                    birth_date=person.birth_date, sex=person.sex, pseudonym=person.pseudonym
                ),
                sex=person.sex,
                act=act,
                insats=INSATS.get(act, act),
                legal_basis=reference_on(
                    LSS_ESCORT if act == "LSS" else SOL_ASSISTANCE, decision.decided_on
                ),
                reporting_basis=_reporting_basis(act, end),
                decided_on=decision.decided_on,
                valid_to=decision.valid_to,
                kind=row.kind,
                kind_label=str(row.get_kind_display()),
                since=row.since,
                reportable_on=row.reportable_on,
                reason=row.reason,
                reason_label=str(row.get_reason_display()) if row.reason else REASON_MISSING,
                reason_text=row.reason_text,
                carried_out_on=row.carried_out_on if status == CARRIED_OUT else None,
                ended_on=decision.valid_to if status == ENDED else None,
                status=status,
                days_waited=(stop - row.since).days,
            )
        )
    return entries


def missing_reasons(entries: list[Entry]) -> list[Problem]:
    """The entries IVO would get without the reason the report must give: a warning to the
    caseworkers, not a reason to hold back the report."""
    return [
        Problem(
            i,
            "reason",
            "reason_missing",
            f"beslut {e.decision_id} ({e.district}): handläggaren har inte registrerat skälet",
        )
        for i, e in enumerate(entries, start=1)
        if not e.reason
    ]


# --- the files ------------------------------------------------------------------------------

IVO_HEADER = (
    "rapportperiod",
    "forvaltning",
    "individ",
    "kon",
    "lag",
    "rapporteras_enligt",
    "insats",
    "lagrum",
    "beslutsdatum",
    "typ",
    "datum_for_avbrott",
    "rapporteras_fran",
    "skal",
    "beskrivning_av_skalet",
    "verkstallt_datum",
    "upphort_datum",
    "status",
)
COMMITTEE_HEADER = (
    "Stadsdel",
    "Beslut",
    "Lag",
    "Insats",
    "Beslutsdatum",
    "Typ",
    "Räknas från",
    "Rapporteras från",
    "Dagar utan verkställighet",
    "Skäl",
    "Beskrivning",
    "Status",
    "Verkställt",
    "Lagrum för beslutet",
    "Rapporteras enligt",
)
SEX_LABELS = {"female": "Kvinna", "male": "Man"}


def ivo_rows(entries: list[Entry], *, year: int, quarter: int) -> list[tuple]:
    period = f"{year} kvartal {quarter}"
    return [
        (
            period,
            e.district,
            e.ivo_id,
            SEX_LABELS.get(e.sex, e.sex),
            e.act,
            e.reporting_basis,
            e.insats,
            e.legal_basis,
            e.decided_on,
            e.kind_label,
            e.since if e.kind == "interrupted" else None,
            e.reportable_on,
            e.reason_label,
            e.reason_text,
            e.carried_out_on,
            e.ended_on,
            e.status_label,
        )
        for e in entries
    ]


def committee_rows(entries: list[Entry]) -> list[tuple]:
    return [
        (
            e.district,
            e.decision_id,
            e.act,
            e.insats,
            e.decided_on,
            e.kind_label,
            e.since,
            e.reportable_on,
            e.days_waited,
            e.reason_label,
            e.reason_text,
            e.status_label,
            e.carried_out_on,
            e.legal_basis,
            e.reporting_basis,
        )
        for e in entries
    ]


def _counts(entries: list[Entry], key) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for e in entries:
        counts[key(e)] = counts.get(key(e), 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def committee_summary(entries: list[Entry]) -> dict[str, list[tuple[str, int]]]:
    return {
        "Status": _counts(entries, lambda e: e.status_label),
        "Lag": _counts(entries, lambda e: f"{e.act} ({e.insats.lower()})"),
        "Typ": _counts(entries, lambda e: e.kind_label),
        "Skäl": _counts(entries, lambda e: e.reason_label),
        "Stadsdel": _counts(entries, lambda e: e.district),
        "Rapporteras enligt": _counts(entries, lambda e: e.reporting_basis),
    }


def ivo_pdf(entries: list[Entry], *, year: int, quarter: int) -> bytes:
    """One individrapport per page, with the fields of IVO's form (for its e-service or the
    paper form)."""
    from django.template.loader import render_to_string

    from folja.core.pdf import html_to_pdf

    labels = (
        "Rapportperiod",
        "Förvaltning",
        "Individ (IVO)",
        "Kön",
        "Lag",
        "Rapporteras enligt",
        "Insats",
        "Lagrum för beslutet",
        "Beslutsdatum",
        "Typ",
        "Datum för avbrott",
        "Rapporteras från",
        "Skäl",
        "Beskrivning av skälet",
        "Verkställt datum",
        "Beslutet upphörde",
        "Status",
    )
    reports = [
        list(zip(labels, row, strict=True)) for row in ivo_rows(entries, year=year, quarter=quarter)
    ]
    html = render_to_string(
        "reports/ivo_individrapport.html", {"year": year, "quarter": quarter, "reports": reports}
    )
    return html_to_pdf(html)


def committee_pdf(entries: list[Entry], *, year: int, quarter: int) -> bytes:
    from django.template.loader import render_to_string

    from folja.core.pdf import html_to_pdf

    html = render_to_string(
        "reports/not_carried_out_committee.html",
        {
            "year": year,
            "quarter": quarter,
            "start": quarter_bounds(year, quarter)[0],
            "end": quarter_bounds(year, quarter)[1],
            "summary": committee_summary(entries),
            "header": COMMITTEE_HEADER,
            "rows": committee_rows(entries),
            "total": len(entries),
        },
    )
    return html_to_pdf(html)


def committee_xlsx(entries: list[Entry], *, year: int, quarter: int) -> bytes:
    """The same report as a spreadsheet: the decisions with real dates and numbers, the header
    row frozen, and the summary on its own sheet."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Beslut"
    sheet.append(COMMITTEE_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in committee_rows(entries):
        sheet.append(list(row))
    for column in ("E", "G", "H", "M"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for cell in sheet["I"][1:]:
        cell.number_format = "0"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    summary = wb.create_sheet("Sammanfattning")
    summary.append([f"Ej verkställda beslut {year} kvartal {quarter}", len(entries)])
    summary["A1"].font = Font(bold=True)
    for title, counts in committee_summary(entries).items():
        summary.append([])
        summary.append([title, "Antal"])
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
        for label, count in counts:
            summary.append([label, count])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
