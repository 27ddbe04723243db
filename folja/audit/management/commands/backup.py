"""`folja backup FILE`: a consistent dump plus FILE.manifest.json (rows and SHA-256 per table)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from folja.audit.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "Back up the database to FILE, with a per-table manifest for verification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **opts) -> None:
        try:
            manifest = backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest.values())
        self.stdout.write(
            _("Säkerhetskopia: %(file)s (%(tables)d tabeller, %(rows)d rader); manifest: %(path)s")
            % {"file": file, "tables": len(manifest), "rows": rows, "path": manifest_path(file)}
        )
