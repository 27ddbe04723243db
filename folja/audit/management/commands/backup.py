"""`folja backup FILE`: a consistent dump plus FILE.manifest.json (rows and SHA-256 per table)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
            f"backup: {file} ({len(manifest)} tables, {rows} rows); manifest: {manifest_path(file)}"
        )
