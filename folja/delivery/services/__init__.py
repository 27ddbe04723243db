"""Writes about delivery: booking, reporting, cancelling and importing sessions, and expense
claims. Every write of sessions ends by re-verifying the person through the rules bridge
(`folja.ledger.bridge`), so stored charged/payable minutes and payments are always the
engine's answer. The reason codes that need the database — `no_order`, `late_report`,
`duplicate` — are decided here and stored in `Session.flags`, which the bridge keeps.

The writes live in one module per kind: `sessions` (book, report, cancel), `imports` (the bulk
import), `claims` (expense claims), `receipts` (what a receipt may be), with what they share
in `common`. Import from here.
"""

from __future__ import annotations

from folja.delivery.services.claims import expense_claim_create
from folja.delivery.services.common import (
    CONTEXT_FLAGS,
    DUPLICATE,
    LATE_REPORT,
    MAX_SESSION,
    NO_ORDER,
    REPORTED_STATUSES,
    DeliveryError,
    GuidelineCache,
    context_flags,
    is_duplicate,
    order_covers,
    reporting_deadline,
    session_time_errors,
)
from folja.delivery.services.import_csv import (
    FILE_HELP,
    IMPORT_FORMAT_TEXT,
    REQUIRED_COLUMNS,
    CsvRows,
    column_help,
    format_help_text,
    import_rows_from_csv,
    status_help,
)
from folja.delivery.services.imports import (
    IMPORT_COLUMNS,
    IMPORT_STATUSES,
    ImportRejected,
    ImportResult,
    RowError,
    parse_local_datetime,
    sessions_import,
)
from folja.delivery.services.receipts import (
    RECEIPT_MAX_BYTES,
    RECEIPT_TYPES,
    CleanReceipt,
    check_receipt,
    receipt_clean,
)
from folja.delivery.services.sessions import (
    CANCEL_CAUSES,
    session_book,
    session_cancel,
    session_report,
    session_report_executed,
)

__all__ = [
    "CANCEL_CAUSES",
    "CONTEXT_FLAGS",
    "DUPLICATE",
    "FILE_HELP",
    "IMPORT_COLUMNS",
    "IMPORT_FORMAT_TEXT",
    "IMPORT_STATUSES",
    "LATE_REPORT",
    "MAX_SESSION",
    "NO_ORDER",
    "RECEIPT_MAX_BYTES",
    "RECEIPT_TYPES",
    "REPORTED_STATUSES",
    "REQUIRED_COLUMNS",
    "CleanReceipt",
    "CsvRows",
    "DeliveryError",
    "GuidelineCache",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "check_receipt",
    "column_help",
    "context_flags",
    "expense_claim_create",
    "format_help_text",
    "import_rows_from_csv",
    "is_duplicate",
    "order_covers",
    "parse_local_datetime",
    "receipt_clean",
    "reporting_deadline",
    "session_book",
    "session_cancel",
    "session_report",
    "session_report_executed",
    "session_time_errors",
    "sessions_import",
    "status_help",
]
