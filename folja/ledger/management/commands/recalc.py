"""`folja recalc`: recalculate everyone's figures from a date, or follow the recalculations.

    folja recalc --from 2027-01-01            re-verify now, here, with a progress bar
    folja recalc --from 2027-01-01 --queue    queue it for the worker (`folja db_worker`)
    folja recalc --status [--follow]          the latest runs; --follow shows the unfinished
                                              ones' progress bars until they end

A saved guideline version or rate queues its own recalculation; this command is for running one
by hand (after a restore, say) and for watching the queued ones. Bad input prints
`field, code: message` on standard error and exits 2.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import date

from django.core.management.base import CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from folja.audit.cli import AuditedCommand
from folja.guidelines.services import EARLIEST, LATEST
from folja.ledger.jobs import recalculation_runs, recalculation_schedule, reverify_from
from folja.ledger.models import RecalculationRun, RecalculationStatus, RecalculationTrigger

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
POLL_SECONDS = 1.0


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("personer"),
        TimeElapsedColumn(),
        console=console,
    )


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Räkna om allas belopp och timmar från ett datum, eller följ omräkningarna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="valid_from", metavar="ÅÅÅÅ-MM-DD")
        parser.add_argument(
            "--queue", action="store_true", help="Köa omräkningen åt bakgrundsarbetaren."
        )
        parser.add_argument("--status", action="store_true", help="Visa de senaste omräkningarna.")
        parser.add_argument(
            "--follow", action="store_true", help="Med --status: följ pågående omräkningar."
        )

    def handle(
        self, *args, valid_from: str | None, queue: bool, status: bool, follow: bool, **options
    ) -> None:
        console = Console(file=self.stdout, highlight=False)
        if status:
            self._status(console, follow=follow)
            return
        if valid_from is None:
            self._fail("from", "required", "ange --from ÅÅÅÅ-MM-DD eller --status")
        day = self._date(valid_from)
        if queue:
            run = recalculation_schedule(
                valid_from=day, trigger=RecalculationTrigger.MANUAL, label="folja recalc"
            )
            if run is None:
                console.print(f"Ingen person har uppgifter från {day}: inget att räkna om.")
            else:
                console.print(f"Omräkning {run.pk} från {day} är köad.")
            return
        with _progress(console) as progress:
            task = progress.add_task(f"Omräkning från {day}", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            run = reverify_from(day, progress=report)
        console.print(
            f"Klart: {run.done} personer omräknade, {run.sessions_changed} pass fick nytt resultat."
        )

    def _date(self, text: str) -> date:
        if not ISO_DATE.fullmatch(text):
            self._fail("from", "invalid_date", f"{text!r} är inte ett datum på formen ÅÅÅÅ-MM-DD")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self._fail("from", "invalid_date", f"{text!r} är inte ett datum som finns")
        if not EARLIEST <= day <= LATEST:
            self._fail("from", "range", "ange ett datum mellan år 1900 och 2100")
        return day

    def _fail(self, field: str, code: str, message: str) -> None:
        self.stderr.write(f"{field}, {code}: {message}")
        sys.exit(2)

    def _status(self, console: Console, *, follow: bool) -> None:
        runs = recalculation_runs(limit=10)
        if not runs:
            console.print("Inga omräkningar ännu.")
            return
        table = Table("Id", "Från", "Ändring", "Startad av", "Status", "Klara", "Köad")
        for run in runs:
            table.add_row(
                str(run.pk),
                run.valid_from.isoformat(),
                run.trigger_label or run.get_trigger_display(),
                run.triggered_by_name,
                run.get_status_display(),
                f"{run.done}/{run.total} ({run.percent} %)",
                f"{run.created_at:%Y-%m-%d %H:%M}",
            )
        console.print(table)
        open_ids = [run.pk for run in runs if not run.finished]
        if follow and open_ids:
            self._follow(console, open_ids)

    def _follow(self, console: Console, run_ids: list[int]) -> None:
        with _progress(console) as progress:
            tasks = {pk: progress.add_task(f"Omräkning {pk}", total=None) for pk in run_ids}
            while True:
                runs = RecalculationRun.objects.filter(pk__in=run_ids)
                for run in runs:
                    progress.update(
                        tasks[run.pk],
                        completed=run.done,
                        total=run.total or None,
                        description=f"Omräkning {run.pk} från {run.valid_from}: "
                        f"{run.get_status_display()}",
                    )
                if all(run.finished for run in runs):
                    break
                time.sleep(POLL_SECONDS)
        failed = [
            pk
            for pk, status in RecalculationRun.objects.filter(pk__in=run_ids).values_list(
                "pk", "status"
            )
            if status == RecalculationStatus.FAILED
        ]
        if failed:
            self._fail("run", "failed", f"omräkning {', '.join(map(str, failed))} misslyckades")
