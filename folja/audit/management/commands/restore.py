"""`folja restore FILE`: restore a `folja backup` into an empty database and verify every
table's row count and digest against the backup's manifest."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from folja.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore FILE (from `folja backup`) into an empty database and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **opts) -> None:
        try:
            manifest = restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest.values())
        self.stdout.write(
            _("Återställd och kontrollerad: %(tables)d tabeller, %(rows)d rader")
            % {"tables": len(manifest), "rows": rows}
        )
