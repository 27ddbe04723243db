"""`folja rollup rebuild` recomputes the follow-up roll-up from scratch; `folja rollup verify`
checks that the incrementally kept roll-up equals a from-scratch computation (exit code 1 if
not), without writing."""

from __future__ import annotations

import sys

from django.core.management.base import CommandParser
from rich.progress import Progress

from folja.audit.cli import AuditedCommand
from folja.followup.services import rollup_rebuild, rollup_verify


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Bygg om eller kontrollera uppföljningens månadssammanställning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "verify"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "rebuild":
            with Progress(transient=True) as progress:
                task = progress.add_task("Personer", total=None)

                def report(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                rows = rollup_rebuild(progress=report)
            self.stdout.write(f"{rows} rader i månadssammanställningen")
            return
        differences = rollup_verify()
        if not differences.count:
            self.stdout.write(f"OK: {differences.rows} rader stämmer")
            return
        self.stderr.write(
            f"Avvikelse: {len(differences.missing)} rader saknas, "
            f"{len(differences.extra)} rader för mycket"
        )
        sys.exit(1)
