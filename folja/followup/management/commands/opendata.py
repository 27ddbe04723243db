"""`folja opendata --year Y [--year Y2 …] [--out FILE]`: measures by district and year as CSV
with small-number suppression (see folja.followup.opendata). With --out, the file's Data
Package descriptor (`datapackage.json`, folja.followup.datapackage) is written beside it."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from folja.followup.datapackage import open_data_package
from folja.followup.opendata import open_data_csv


class Command(BaseCommand):
    help = "Öppna data: mått per stadsdel och år, med skydd för små tal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", required=True)
        parser.add_argument("--out", default=None)

    def handle(self, *args, year: list[int], out: str | None, **options) -> None:
        text = open_data_csv(years=sorted(set(year)))
        if out:
            target = Path(out)
            target.write_bytes(text.encode("utf-8"))  # the export convention's bytes, CRLF kept
            package = open_data_package(years=year, path=target.name)
            descriptor = target.with_name("datapackage.json")
            descriptor.write_text(
                json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(out)
            self.stdout.write(str(descriptor))
        else:
            self.stdout.write(text, ending="")
