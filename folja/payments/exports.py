"""The payment file (CSV and Excel) for the finance system and the PDF specification for the
provider."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from django.template.loader import render_to_string

from folja.core.pdf import html_to_pdf
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    writer.writerows(export_rows(run))
    # UTF-8 with BOM: Excel and most finance imports then read å, ä, ö correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def payment_xlsx(run: PaymentRun) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Rader"
    ws.append(EXPORT_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    amount_col = EXPORT_HEADER.index("amount_sek")
    for row in export_rows(run):
        row = list(row)
        row[amount_col] = float(row[amount_col])  # a number the finance system can sum
        ws.append(row)
    summary = wb.create_sheet("Summering")
    summary.append(
        ["legal_basis", *[f"minutes_{b}" for b in BANDS], "payable_minutes", "amount_sek"]
    )
    for r in run_summary(run):
        summary.append(
            [
                r.legal_basis,
                *[r.band_minutes[b] for b in BANDS],
                r.payable_minutes,
                float(r.amount_sek),
            ]
        )
    summary.append([])
    summary.append(["total_sek", float(run.total_sek)])
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
