"""`folja import decisions FILE.csv` and `folja import sessions FILE.csv`: historical import.

All-or-nothing; on any error nothing is written, each error is printed as `row, field, message`
(`row, field, code: message` where the error has a code) on standard error and the exit code
is 2. A decisions file may be imported again: rows already imported are skipped, so the same
file twice changes nothing. A district the file names must exist, unless `--create-districts`
says the file may create the districts it names.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from folja.audit.cli import AuditedCommand
from folja.delivery.services import FILE_HELP, format_help_text
from folja.followup.imports import DECISION_COLUMN_HELP, ImportFailed, RowError, import_decisions
from folja.followup.session_import import import_sessions


def _epilog() -> str:
    """Both files' formats, from the same definitions the imports and the upload page use."""
    decisions = "\n".join(f"  {c}: {h}" for c, h in DECISION_COLUMN_HELP)
    return (
        f"decisions – kolumner (rubrikraden):\n{decisions}\n\n"
        f"sessions – samma format som utförarnas import, med order_id på varje rad:\n"
        f"{format_help_text()}\n\n{FILE_HELP}"
    )


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Importera historiska beslut eller pass från CSV (allt eller inget)."

    def add_arguments(self, parser: CommandParser) -> None:
        # The formats are a list of columns: keep the help's line breaks.
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = _epilog()
        parser.add_argument("kind", choices=["decisions", "sessions"])
        parser.add_argument("file")
        parser.add_argument(
            "--create-districts",
            action="store_true",
            help="beslut: skapa de stadsdelar filen nämner som inte finns (annars ett fel)",
        )

    def handle(self, *args, kind: str, file: str, create_districts: bool, **options) -> None:
        if create_districts and kind != "decisions":
            self._fail(
                [
                    RowError(
                        0,
                        "create_districts",
                        _("gäller bara import av beslut"),
                        code="not_for_sessions",
                    )
                ]
            )
            return
        try:
            # Bytes: the import's reader finds the encoding (UTF-8 or Windows-1252) itself.
            text = Path(file).read_bytes()
        except OSError as exc:
            self._fail(
                [
                    RowError(
                        0,
                        "file",
                        _("kan inte läsa filen: %(reason)s") % {"reason": exc.strerror or exc},
                    )
                ]
            )
            return
        try:
            if kind == "decisions":
                result = import_decisions(text=text, create_districts=create_districts)
            else:
                n = import_sessions(text=text)
        except ImportFailed as exc:
            self._fail(exc.errors)
            return
        if kind == "sessions":
            self.stdout.write(f"{n} rader importerade")
            return
        line = _("%(created)s beslut importerade, %(unchanged)s fanns redan") % {
            "created": result.created,
            "unchanged": result.unchanged,
        }
        if result.districts_created:
            line += "; " + _("nya stadsdelar: %(names)s") % {
                "names": ", ".join(result.districts_created)
            }
        self.stdout.write(line)

    def _fail(self, errors: list[RowError]) -> None:
        for e in errors:
            self.stderr.write(e.as_line())
        sys.exit(2)
