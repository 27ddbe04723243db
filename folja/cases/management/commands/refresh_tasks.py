"""`folja refresh-tasks [--district CODE] [--today YYYY-MM-DD]`: create the work lists' tasks
(meant to run nightly; idempotent, so running it twice adds nothing)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError, CommandParser

from folja.audit.cli import AuditedCommand
from folja.cases.services import tasks_refresh
from folja.core.clock import today
from folja.people.models import District


class Command(AuditedCommand):  # writes are recorded as whoever ran it (--as)
    help = "Skapa uppgifter i handläggarnas arbetslistor (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", help="stadsdelens kod; utan: alla stadsdelar")
        parser.add_argument("--today", help="dagens datum, ÅÅÅÅ-MM-DD (för test och efterkörning)")

    def handle(self, *args, **opts) -> None:
        try:
            on = date.fromisoformat(opts["today"]) if opts["today"] else today()
        except ValueError:
            raise CommandError("--today: ange ett datum som ÅÅÅÅ-MM-DD") from None
        districts = District.objects.filter(active=True)
        if opts["district"]:
            districts = districts.filter(code=opts["district"])
            if not districts.exists():
                raise CommandError(f"--district: ingen stadsdel med koden {opts['district']!r}")
        total = 0
        for district in districts:
            created = tasks_refresh(district=district, today=on)
            total += created
            self.stdout.write(f"{district.name}: {created} nya uppgifter")
        self.stdout.write(f"Totalt {total} nya uppgifter.")
