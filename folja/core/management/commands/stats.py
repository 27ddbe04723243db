"""`folja stats --json`: row counts of the configured database (aggregates only)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from folja.core.seed.stats import counts


class Command(BaseCommand):
    # Data commands need no URL/template checks (and must run while other areas are half-built).
    requires_system_checks: list[str] = []
    help = "Antal distrikt, personer, beslut, beställningar, pass, utförare och ledsagare."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON (the default)")

    def handle(self, *args, **opts) -> None:
        self.stdout.write(json.dumps(counts(), indent=2))
