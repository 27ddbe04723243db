"""`folja opendata --year Y [--year Y2 …] [--out FILE]`: measures by district and year as CSV
with small-number suppression (see folja.followup.opendata)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from folja.followup.opendata import open_data_csv


class Command(BaseCommand):
    help = "Öppna data: mått per stadsdel och år, med skydd för små tal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", required=True)
        parser.add_argument("--out", default=None)

    def handle(self, *args, year: list[int], out: str | None, **options) -> None:
        text = open_data_csv(years=sorted(set(year)))
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(out)
        else:
            self.stdout.write(text, ending="")
