"""The statutory reports under `folja report` (the command lives in folja.followup, beside the
tertial report; it hands these subcommands to `add_parsers` and `run`):

    folja report lss-register --date 2026-10-01 --out FILE [--kommunkod 0180]
    folja report lss-import --file CSV            personkrets, other LSS services, housing
    folja report sol-register --month 2026-10 --out FILE [--kommunkod 0180]
    folja report kpb --year 2025 --out FILE       FILE and FILE's -stadsdelar.csv beside it
    folja report not-carried-out --year 2026 --quarter 3 --out DIR
                                                  IVO's individual reports (CSV, PDF) and the
                                                  committee's report (PDF, Excel)

A file is validated against its specification before it is written; nothing is written when
it fails. Bad input and every problem of a file go to standard error as one JSON object per
line, `{"field": ..., "code": ..., "message": ...}` (and `row` for a file's record), and the
command exits 2.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from folja.core.csv_writer import csv_bytes
from folja.reports.files import InvalidFile
from folja.reports.lss_register import UnknownMunicipality

COMMANDS = ("lss-register", "lss-import", "sol-register", "kpb", "not-carried-out")

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"\d{4}-\d{2}")


class Failed(Exception):
    def __init__(self, problems: list[dict]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _fail(field: str, code: str, message: str) -> Failed:
    return Failed([{"field": field, "code": code, "message": message}])


def add_parsers(sub) -> None:
    p = sub.add_parser("lss-register", help="LSS-registret (SOSFS 2005:21), per 1 oktober.")
    p.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD")
    p.add_argument("--out", required=True, metavar="FIL")
    p.add_argument("--kommunkod", help="bara den kommunens poster (en fil per kommun till Filip)")
    p = sub.add_parser("lss-import", help="Personkrets, andra LSS-insatser och boende (CSV).")
    p.add_argument("--file", required=True, metavar="CSV")
    p = sub.add_parser("sol-register", help="Registret över insatser enligt SoL, per månad.")
    p.add_argument("--month", required=True, metavar="ÅÅÅÅ-MM")
    p.add_argument("--out", required=True, metavar="FIL")
    p.add_argument("--kommunkod", help="bara den kommunens poster (en fil per kommun till Filip)")
    p = sub.add_parser("kpb", help="Kostnad per brukare för ett år (CSV och per stadsdel).")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--out", required=True, metavar="FIL")
    p = sub.add_parser(
        "not-carried-out", help="Ej verkställda beslut per kvartal: till IVO och till nämnden."
    )
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--quarter", required=True, type=int)
    p.add_argument("--out", required=True, metavar="KATALOG")


def _date(text: str) -> date:
    if not ISO_DATE.fullmatch(text):
        raise _fail("date", "invalid_date", f"{text!r} är inte ett datum på formen ÅÅÅÅ-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail("date", "invalid_date", f"{text!r} är inte ett datum som finns") from None


def _month(text: str) -> date:
    if not ISO_MONTH.fullmatch(text) or not 1 <= int(text[5:]) <= 12:
        raise _fail("month", "invalid_month", f"{text!r} är inte en månad på formen ÅÅÅÅ-MM")
    return date(int(text[:4]), int(text[5:]), 1)


def _year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise _fail("year", "range", "ange ett år mellan 2000 och 2100")
    return value


def _out(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise _fail("out", "is_directory", f"{text} är en katalog: ange en fil")
    if not path.parent.exists():
        raise _fail("out", "no_directory", f"katalogen {path.parent} finns inte")
    return path


def _municipality(code: str | None) -> str | None:
    from folja.reports.kommunkoder import MUNICIPALITY_CODES

    if code is not None and code not in MUNICIPALITY_CODES:
        raise _fail("kommunkod", "code_list", f"{code!r} är ingen kommunkod (fyra siffror, SCB)")
    return code


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _reporter(progress: Progress, description: str):
    task = progress.add_task(description, total=None)

    def report(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return report


def run(command, kind: str, options: dict) -> None:
    """Run the subcommand `kind`; on bad input or an invalid file, the problems as JSON lines
    on standard error and exit status 2."""
    console = Console(file=command.stdout, highlight=False)
    try:
        {
            "lss-register": _lss_register,
            "lss-import": _lss_import,
            "sol-register": _sol_register,
            "kpb": _kpb,
            "not-carried-out": _not_carried_out,
        }[kind](command, console, options)
    except Failed as exc:
        for problem in exc.problems:
            command.stderr.write(json.dumps(problem, ensure_ascii=False))
        sys.exit(2)


def _invalid(exc: InvalidFile, records: list | None = None) -> Failed:
    """The file's problems; with the records, each names the person of its record by
    pseudonym (the file was not written, so a row number alone would not find them)."""
    from folja.people.models import Person

    problems = [p.as_dict() for p in exc.problems]
    if records:
        ids = {
            p["row"]: records[p["row"] - 1].person_id
            for p in problems
            if 0 < p["row"] <= len(records)
        }
        names = dict(Person.objects.filter(pk__in=set(ids.values())).values_list("pk", "pseudonym"))
        for p in problems:
            if p["row"] in ids:
                p["person"] = names.get(ids[p["row"]], "")
    return Failed(problems)


def _unknown(exc: UnknownMunicipality) -> Failed:
    return Failed(
        [
            {
                "field": "kommunkod",
                "code": "unknown_municipality",
                "message": f"kommunen {name!r} har ingen kommunkod i Följa",
            }
            for name in exc.names
        ]
    )


def _lss_register(command, console: Console, options: dict) -> None:
    from folja.reports.lss_register import lss_file, lss_records
    from folja.reports.models import ReportKind
    from folja.reports.services import statutory_file_record

    on = _date(options["date"])
    out = _out(options["out"])
    only = _municipality(options.get("kommunkod"))
    with _progress(console) as progress:
        try:
            records = lss_records(on, progress=_reporter(progress, "LSS-registret"))
        except UnknownMunicipality as exc:
            raise _unknown(exc) from None
    if only:
        records = [r for r in records if r.kommunkod == only]
    try:
        data = lss_file(records, on=on)
    except InvalidFile as exc:
        raise _invalid(exc, records) from None
    out.write_bytes(data)
    statutory_file_record(
        kind=ReportKind.LSS_REGISTER,
        period=on.isoformat(),
        data=data,
        records=len(records),
        person_ids=[r.person_id for r in records],
        path="folja report lss-register",
    )
    console.print(f"{out}: {len(records)} personer med LSS-insats den {on.isoformat()}.")


def _lss_import(command, console: Console, options: dict) -> None:
    from folja.reports.supplement import ImportFailed, lss_supplement_import

    path = Path(options["file"])
    if not path.is_file():
        raise _fail("file", "not_found", f"filen {path} finns inte")
    try:
        result = lss_supplement_import(data=path.read_bytes(), source=path.name)
    except ImportFailed as exc:
        raise Failed([p.as_dict() for p in exc.problems]) from None
    console.print(f"{result.created} nya och {result.updated} ändrade personer.")


def _sol_register(command, console: Console, options: dict) -> None:
    from folja.reports.models import ReportKind
    from folja.reports.services import statutory_file_record
    from folja.reports.sol_register import ONGOING, sol_file, sol_records

    month = _month(options["month"])
    out = _out(options["out"])
    only = _municipality(options.get("kommunkod"))
    with _progress(console) as progress:
        try:
            records = sol_records(month, progress=_reporter(progress, "SoL-registret"))
        except UnknownMunicipality as exc:
            raise _unknown(exc) from None
    if only:
        records = [r for r in records if r.fields[1] == only]
    try:
        data = sol_file(records, month=month)
    except InvalidFile as exc:
        raise _invalid(exc, records) from None
    out.write_bytes(data)
    statutory_file_record(
        kind=ReportKind.SOL_REGISTER,
        period=f"{month:%Y-%m}",
        data=data,
        records=len(records),
        person_ids=[r.person_id for r in records],
        path="folja report sol-register",
    )
    ongoing = sum(r.kind == ONGOING for r in records)
    console.print(
        f"{out}: {ongoing} pågående beslut och {len(records) - ongoing} "
        f"påbörjade eller avslutade under {month:%Y-%m}."
    )


def district_summary_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-stadsdelar{out.suffix or '.csv'}")


def _kpb(command, console: Console, options: dict) -> None:
    from folja.reports.kpb import DISTRICT_HEADER, PERSON_HEADER, kpb_report, validate_kpb
    from folja.reports.models import ReportKind
    from folja.reports.services import statutory_file_record

    year = _year(options["year"])
    out = _out(options["out"])
    with _progress(console) as progress:
        report = kpb_report(year, progress=_reporter(progress, "Omkostnader per brukare"))
    problems = validate_kpb(report)
    if problems:
        raise Failed([p.as_dict() for p in problems])
    data = csv_bytes(PERSON_HEADER, report.persons)
    out.write_bytes(data)
    summary = district_summary_path(out)
    summary.write_bytes(csv_bytes(DISTRICT_HEADER, report.districts))
    # The rows name persons by pseudonym only: a record of the file, no access-log rows.
    statutory_file_record(
        kind=ReportKind.KPB,
        period=str(year),
        data=data,
        records=len(report.persons),
        person_ids=[],
        path="folja report kpb",
    )
    from folja.core.templatetags.figures import amount, format_number

    table = Table(
        "Stadsdel", "Brukare", "Timmar", "Kostnad kr", "Per brukare kr", "Upparbetat LOV kr"
    )
    for row in report.districts:
        value = dict(zip(DISTRICT_HEADER, row, strict=True))
        table.add_row(
            value["stadsdel"],
            format_number(value["brukare"]),
            format_number(value["timmar"], "-2"),
            amount(value["kostnad_kr"]),
            amount(value["kostnad_per_brukare_kr"]),
            amount(value["lov_upparbetat_kr"]),
        )
    console.print(table)
    console.print(f"{out} och {summary}: {len(report.persons)} brukare {year}.")


def _not_carried_out(command, console: Console, options: dict) -> None:
    from folja.reports import not_carried_out as report
    from folja.reports.models import ReportKind
    from folja.reports.services import statutory_file_record

    year = _year(options["year"])
    quarter = options["quarter"]
    if quarter not in (1, 2, 3, 4):
        raise _fail("quarter", "invalid_choice", "kvartalet är 1, 2, 3 eller 4")
    out = Path(options["out"])
    if not out.is_dir():
        raise _fail("out", "no_directory", f"katalogen {out} finns inte")
    entries = report.quarter_entries(year, quarter)
    for problem in report.missing_reasons(entries):
        # A warning: IVO is told every decision, with or without the reason recorded yet.
        command.stderr.write(json.dumps(problem.as_dict(), ensure_ascii=False))
    stem = f"{year}-K{quarter}"
    ivo_csv = csv_bytes(report.IVO_HEADER, report.ivo_rows(entries, year=year, quarter=quarter))
    written = {
        out / f"ivo-ej-verkstallda-{stem}.csv": ivo_csv,
        out / f"ivo-ej-verkstallda-{stem}.pdf": report.ivo_pdf(entries, year=year, quarter=quarter),
        out / f"namnd-ej-verkstallda-{stem}.pdf": report.committee_pdf(
            entries, year=year, quarter=quarter
        ),
        out / f"namnd-ej-verkstallda-{stem}.xlsx": report.committee_xlsx(
            entries, year=year, quarter=quarter
        ),
    }
    for path, data in written.items():
        path.write_bytes(data)
    statutory_file_record(
        kind=ReportKind.NOT_CARRIED_OUT,
        period=f"{year}-K{quarter}",
        data=ivo_csv,
        records=len(entries),
        person_ids=[e.person_id for e in entries],
        path="folja report not-carried-out",
    )
    for path in written:
        console.print(str(path))
    console.print(f"{len(entries)} ej verkställda beslut {year} kvartal {quarter}.")
