"""`folja navet-import FILE`: import a population-register file (Navet, docs/navet.md).

All or nothing: on any fault nothing changes, each fault is printed on standard error as one
JSON object `{"row", "field", "code", "message"}` (row 0 is the file itself) and the exit code
is 2. On success one JSON object says what the file did. The command sees every person (it is
the municipality's own register run); `--as USER` names who is recorded for the changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandParser

from folja.audit.cli import AuditedCommand
from folja.delivery.services.imports import RowError
from folja.people.models import Person
from folja.people.navet import MAX_BYTES, NavetRejected
from folja.people.services_navet import navet_import


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Importera en avisering från folkbokföringen (Navet), allt eller inget."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self._fail([RowError(0, "file", "unreadable", f"cannot read {file!r}: {exc.strerror}")])
            return
        if len(raw) > MAX_BYTES:
            self._fail([RowError(0, "file", "too_large", "the file is larger than 20 MB")])
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._fail([RowError(0, "file", "encoding", "the file must be UTF-8")])
            return
        try:
            result = navet_import(text=text, user=None, persons=Person.objects.all())
        except NavetRejected as exc:
            self._fail(exc.errors)
            return
        summary = {
            "posts": result.posts,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "not_found": result.not_found,
            "moved_out": len(result.moved_out),
            "deceased": len(result.deceased),
            "newly_protected": len(result.newly_protected),
            "tasks": len(result.tasks),
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _fail(self, errors: list[RowError]) -> None:
        for error in errors:
            self.stderr.write(json.dumps(error.as_dict(), ensure_ascii=False))
        sys.exit(2)
