"""`folja opendata --year Y [--year Y2 …] [--out DIR | --out FILE.csv]`: measures by district
and year as CSV with small-number suppression (see folja.followup.opendata).

--out DIR (a directory, or a path not ending in .csv; created when missing) writes every
published file there: one `folja-oppna-data-<year>.csv` per year and the Data Package
descriptor `datapackage.json` (folja.followup.datapackage) describing them all.
--out FILE.csv keeps the earlier form: the years in one file, the descriptor beside it.
Without --out the CSV goes to standard output."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from folja.followup.datapackage import csv_name, open_data_package
from folja.followup.opendata import open_data_csv


def _write_package(directory: Path, package: dict) -> Path:
    descriptor = directory / "datapackage.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return descriptor


class Command(BaseCommand):
    help = "Öppna data: mått per stadsdel och år, med skydd för små tal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", required=True)
        parser.add_argument("--out", default=None, help="katalog (eller en .csv-fil)")

    def handle(self, *args, year: list[int], out: str | None, **options) -> None:
        years = sorted(set(year))
        if not out:
            self.stdout.write(open_data_csv(years=years), ending="")
            return
        target = Path(out)
        if target.suffix.lower() == ".csv" and not target.is_dir():
            # The export convention's bytes, CRLF kept (write_text would translate newlines).
            target.write_bytes(open_data_csv(years=years).encode("utf-8"))
            descriptor = _write_package(
                target.parent, open_data_package(years=years, path=target.name)
            )
            self.stdout.write(str(target))
            self.stdout.write(str(descriptor))
            return
        if target.exists() and not target.is_dir():
            raise CommandError(f"--out: {out} finns redan och är ingen katalog")
        target.mkdir(parents=True, exist_ok=True)
        files = []
        for y in years:
            name = csv_name([y])
            (target / name).write_bytes(open_data_csv(years=[y]).encode("utf-8"))
            files.append((name, [y]))
            self.stdout.write(str(target / name))
        self.stdout.write(str(_write_package(target, open_data_package(files=files))))
