"""The payment file (CSV and Excel) for the finance system and the PDF specification for the
provider."""

from __future__ import annotations

import io
from collections.abc import Collection

from django.template.loader import render_to_string

from folja.core.csv_writer import csv_bytes
from folja.core.pdf import html_to_pdf
from folja.core.xlsx import MONEY, WHOLE, write_table
from folja.payments.models import PaymentRun
from folja.payments.selectors import (
    EXPORT_HEADER,
    excluded_lines,
    export_rows,
    run_lines,
    run_summary,
)
from folja.rules.model import BANDS


def payment_csv(run: PaymentRun) -> bytes:
    # Följa's one CSV convention (folja.core.csv_writer, docs/exports.md).
    return csv_bytes(EXPORT_HEADER, export_rows(run))


# The sheets' number formats by column (folja.core.xlsx): money as "# ##0,00" in Swedish Excel.
_XLSX_FORMATS = {
    "amount_sek": MONEY,
    "payable_minutes": WHOLE,
    "excluded_minutes": WHOLE,
    **{f"minutes_{b}": WHOLE for b in BANDS},
}
SUMMARY_HEADER = ["legal_basis", *[f"minutes_{b}" for b in BANDS], "payable_minutes", "amount_sek"]


def payment_xlsx(run: PaymentRun) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Rader"
    write_table(ws, EXPORT_HEADER, export_rows(run), formats=_XLSX_FORMATS)
    summary = wb.create_sheet("Summering")
    write_table(
        summary,
        SUMMARY_HEADER,
        (
            [r.legal_basis, *[r.band_minutes[b] for b in BANDS], r.payable_minutes, r.amount_sek]
            for r in run_summary(run)
        ),
        formats=_XLSX_FORMATS,
    )
    summary.append([])
    summary.append(["total_sek", float(run.total_sek)])
    summary.cell(row=summary.max_row, column=2).number_format = MONEY
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def specification_html(run: PaymentRun, *, named_person_ids: Collection[int]) -> str:
    """The specification as HTML. A line names its person only when the person is in
    `named_person_ids` (those the reader may see); every other line, and a culled person's,
    shows the pseudonym: analysts and administrators see aggregates, never who was escorted."""
    lines = [line for line in run_lines(run) if not line.excluded]
    for line in lines:
        named = line.person is not None and line.person_id in named_person_ids
        line.person_label = line.person.full_name if named else line.person_pseudonym
    return render_to_string(
        "payments/specification_pdf.html",
        {
            "run": run,
            "summary": run_summary(run),
            "lines": lines,
            "excluded": excluded_lines(run),
            "bands": BANDS,
        },
    )


def specification_pdf(run: PaymentRun, *, named_person_ids: Collection[int]) -> bytes:
    return html_to_pdf(specification_html(run, named_person_ids=named_person_ids))
