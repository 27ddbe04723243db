"""`folja seed --scale demo|city|national`: deterministic synthetic data and demo accounts."""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from folja.core.seed.config import SCALES
from folja.core.seed.runner import SeedRefused, seed


class Command(BaseCommand):
    # Data commands need no URL/template checks (and must run while other areas are half-built).
    requires_system_checks: list[str] = []
    help = "Fyll databasen med syntetiska data (deterministiskt för ett givet --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--seed", type=int, default=1, dest="seed_value")
        parser.add_argument(
            "--today",
            default=None,
            help="YYYY-MM-DD: the day the synthetic history ends (default: today)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if persons already exist"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete seeded data first, then seed"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts) -> None:
        today = timezone.now().date()  # USE_TZ=False: now() is local wall-clock time
        if opts["today"]:
            try:
                today = date.fromisoformat(opts["today"])
            except ValueError:
                raise CommandError(f"today: {opts['today']!r} is not a date (YYYY-MM-DD)") from None
        if opts["years"] is not None and not 1 <= opts["years"] <= 15:
            raise CommandError(f"years: {opts['years']} is outside 1..15")
        quiet = opts["quiet"] or opts["verbosity"] == 0
        if opts["if_empty"] and not getattr(settings, "PRODUCTION", False):
            from folja.people.models import Person

            if Person._base_manager.exists():
                # Checked here too so a second `make run` prints no empty progress bar.
                if not quiet:
                    self.stdout.write("Databasen har redan data; inget gjordes (--if-empty).")
                return
        started = time.monotonic()
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("personer"),
            TimeElapsedColumn(),
            disable=quiet,
            transient=False,
        )
        with progress:
            task = progress.add_task(f"Seed {opts['scale']}", total=None)

            def report(phase: str, done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            try:
                result = seed(
                    scale=opts["scale"],
                    years=opts["years"],
                    seed_value=opts["seed_value"],
                    today=today,
                    if_empty=opts["if_empty"],
                    replace=opts["replace"],
                    progress=report,
                )
            except SeedRefused as exc:
                raise CommandError(str(exc)) from None
        if result.skipped:
            if not quiet:
                self.stdout.write("Databasen har redan data; inget gjordes (--if-empty).")
            return
        if not quiet:
            self.stdout.write(
                f"Klart: {result.persons} personer, {result.sessions} pass "
                f"på {time.monotonic() - started:.1f} s."
            )
