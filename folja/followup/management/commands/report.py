"""`folja report tertial --year Y --tertial T [--district NAME] --out DIR` (PDF + Excel),
`folja report rejections --year Y --format json|csv`,
`folja report slices --year Y --by district|provider|act|sex|age_band|month|model`, and the
statutory reports (`lss-register`, `lss-import`, `sol-register`, `kpb`: folja.reports.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandParser

from folja.audit.cli import AuditedCommand
from folja.core.csv_writer import csv_lines
from folja.followup.selectors import rejections_table
from folja.followup.slices import BY as SLICE_BY
from folja.followup.slices import COLUMNS as SLICE_COLUMNS
from folja.followup.slices import execution_slices, slices_table
from folja.reports import cli as statutory

# The columns of `folja report rejections --format csv` (docs/data-dictionary.md).
REJECTIONS_COLUMNS = ("district", "decisions", "rejected_or_partly", "share")


def rejections_json(rows: list[dict]) -> str:
    # Written by hand so the share keeps its three decimals (0.200, not 0.2).
    items = [
        "  {"
        + f'"district": {json.dumps(r["district"], ensure_ascii=False)}, '
        + f'"decisions": {r["decisions"]}, '
        + f'"rejected_or_partly": {r["rejected_or_partly"]}, '
        + f'"share": {r["share"]}'
        + "}"
        for r in rows
    ]
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"


class Command(AuditedCommand):  # the statutory files and imports are recorded as whoever ran it
    help = (
        "Rapporter: tertialrapport (PDF och Excel), avslagsandel per stadsdel och de lagstadgade "
        "filerna (LSS-registret, SoL-registret, kostnad per brukare)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        t = sub.add_parser("tertial")
        t.add_argument("--year", type=int, required=True)
        t.add_argument("--tertial", type=int, choices=[1, 2, 3], required=True)
        t.add_argument("--district", default=None)
        t.add_argument("--out", default=".")
        r = sub.add_parser("rejections")
        r.add_argument("--year", type=int, required=True)
        r.add_argument("--format", choices=["json", "csv"], default="json")
        sl = sub.add_parser("slices")
        sl.add_argument("--year", type=int, required=True)
        sl.add_argument("--by", choices=list(SLICE_BY), required=True)
        sl.add_argument("--district", default=None)
        sl.add_argument("--format", choices=["json", "csv"], default="csv")
        statutory.add_parsers(sub)

    def handle(self, *args, kind: str, **options) -> None:
        if kind in statutory.COMMANDS:
            statutory.run(self, kind, options)
            return
        if kind == "slices":
            self._slices(options)
            return
        if kind == "rejections":
            rows = rejections_table(year=options["year"])
            if options["format"] == "json":
                self.stdout.write(rejections_json(rows), ending="")
            else:
                # Följa's one CSV convention (folja.core.csv_writer, docs/exports.md).
                for line in csv_lines(
                    REJECTIONS_COLUMNS, ([r[c] for c in REJECTIONS_COLUMNS] for r in rows)
                ):
                    self.stdout.write(line, ending="")
            return
        from folja.followup.reports import write_tertial_report

        district = self._district(options["district"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        paths = write_tertial_report(
            year=options["year"], tertial=options["tertial"], district=district, out=out
        )
        for p in paths:
            self.stdout.write(str(p))

    def _district(self, name: str | None):
        from folja.people.models import District

        if not name:
            return None
        district = District.objects.filter(name=name).first()
        if district is None:
            self.stderr.write(f"0, district, okänd stadsdel: {name}")
            sys.exit(2)
        return district

    def _slices(self, options: dict) -> None:
        """`folja report slices --year Y --by provider`: the follow-up page's table
        (folja.followup.slices), the same figures as its CSV download."""
        from folja.followup.selectors import Slice

        district = self._district(options["district"])
        s = Slice.year(options["year"], district_id=district.pk if district else None)
        rows = slices_table(execution_slices(s, options["by"]))
        if options["format"] == "json":
            items = [dict(zip(SLICE_COLUMNS, row, strict=True)) for row in rows]
            self.stdout.write(json.dumps(items, ensure_ascii=False, default=str, indent=2))
            return
        for line in csv_lines(SLICE_COLUMNS, rows):
            self.stdout.write(line, ending="")
