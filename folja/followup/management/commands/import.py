"""`folja import decisions FILE.csv` and `folja import sessions FILE.csv`: historical import.

All-or-nothing; on any error nothing is written, each error is printed as `row, field, message`
on standard error and the exit code is 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from folja.followup.imports import ImportFailed, RowError, import_decisions
from folja.followup.session_import import import_sessions


class Command(BaseCommand):
    help = "Importera historiska beslut eller pass från CSV (allt eller inget)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["decisions", "sessions"])
        parser.add_argument("file")

    def handle(self, *args, kind: str, file: str, **options) -> None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail([RowError(0, "file", f"kan inte läsa filen: {exc}")])
            return
        try:
            n = import_decisions(text=text) if kind == "decisions" else import_sessions(text=text)
        except ImportFailed as exc:
            self._fail(exc.errors)
            return
        self.stdout.write(f"{n} rader importerade")

    def _fail(self, errors: list[RowError]) -> None:
        for e in errors:
            self.stderr.write(e.as_line())
        sys.exit(2)
