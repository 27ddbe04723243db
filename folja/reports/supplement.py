"""The import of what the LSS register needs and Följa does not decide: per person, the
personkrets, the other LSS services and the housing (LssSupplement). All or nothing: one bad row
and nothing is written, every row's problems reported.

The CSV (Följa's one reader, folja.core.csv_reader: UTF-8 or Windows-1252, `;` or `,`):

    personnummer;personkrets;boende;boendekommun;insatser
    19800517-0033;1;bostad_vuxna;;2 10

- personnummer: the person's, who must be in Följa;
- personkrets: 1, 2 or 3 (LSS 1 §), or empty;
- boende: familjehem, bostad_barn (9 § 8), bostad_vuxna, annan_bostad (9 § 9), or empty;
- boendekommun: the four-digit kommunkod of the housing's municipality, when another than the
  person's own; empty otherwise;
- insatser: the 9 § paragraphs of the person's other LSS services among 2, 4, 5, 6, 7 and 10,
  separated by spaces or commas (ledsagarservice, 9 § 3, comes from Följa's decisions).

A person's earlier supplement is replaced by the new row.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from django.db import transaction

from folja.audit.services import audit_record
from folja.core import clock
from folja.core.csv_reader import UnreadableCsv, read_table
from folja.reports.files import Problem
from folja.reports.kommunkoder import MUNICIPALITY_CODES
from folja.reports.models import OTHER_SERVICES, Housing, LssSupplement, Personkrets
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse

COLUMNS = ("personnummer", "personkrets", "boende", "boendekommun", "insatser")


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class SupplementImport:
    created: int
    updated: int


def _row_problems(row: dict[str, str], number: int, persons: dict[str, int]) -> list[Problem]:
    problems = []
    pnr = row.get("personnummer", "")
    try:
        normalized = parse(pnr, today=clock.today()).normalized
    except InvalidPersonnummer as exc:
        problems.append(Problem(number, "personnummer", "invalid", str(exc)))
    else:
        if normalized not in persons:
            problems.append(Problem(number, "personnummer", "unknown_person", "okänd person"))
    if row.get("personkrets", "") not in ("", *Personkrets.values):
        problems.append(Problem(number, "personkrets", "code_list", "ska vara 1, 2, 3 eller tomt"))
    housing = row.get("boende", "")
    if housing not in ("", *Housing.values):
        problems.append(
            Problem(number, "boende", "code_list", "ska vara " + ", ".join(Housing.values))
        )
    place = row.get("boendekommun", "")
    if place:
        if place not in MUNICIPALITY_CODES:
            problems.append(Problem(number, "boendekommun", "code_list", "okänd kommunkod"))
        elif not housing:
            problems.append(
                Problem(number, "boendekommun", "without_housing", "boendekommun utan boende")
            )
    for paragraph in _services(row.get("insatser", "")):
        if paragraph not in OTHER_SERVICES:
            problems.append(
                Problem(
                    number,
                    "insatser",
                    "code_list",
                    f"9 § {paragraph} ingår inte; ange bland " + ", ".join(OTHER_SERVICES),
                )
            )
    return problems


def _services(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", text.strip()) if p]


def _normalized(text: str) -> str:
    return parse(text, today=clock.today()).normalized


@transaction.atomic
def lss_supplement_import(*, data: bytes, user=None, source: str = "") -> SupplementImport:
    """Import the rows of `data`; raises ImportFailed (nothing written) on any problem."""
    from folja.people.models import Person

    try:
        table = read_table(data, required=("personnummer",), allowed=COLUMNS)
    except UnreadableCsv as exc:
        raise ImportFailed(
            [Problem(p.row, p.field, p.code, str(p.message)) for p in exc.problems]
        ) from None
    problems = [Problem(p.row, p.field, p.code, str(p.message)) for p in table.extra]
    wanted = set()
    for row in table.rows:
        with contextlib.suppress(InvalidPersonnummer):
            wanted.add(_normalized(row.get("personnummer", "")))
    persons = dict(Person.objects.filter(personnummer__in=wanted).values_list("personnummer", "pk"))
    seen: dict[str, int] = {}
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        row_problems = _row_problems(row, number, persons)
        problems.extend(row_problems)
        if not row_problems:
            pnr = _normalized(row["personnummer"])
            if pnr in seen:
                problems.append(
                    Problem(number, "personnummer", "duplicate", f"finns redan på rad {seen[pnr]}")
                )
            seen.setdefault(pnr, number)
    if problems:
        raise ImportFailed(problems)
    now = clock.now()
    created = updated = 0
    for row in table.rows:
        person_id = persons[_normalized(row["personnummer"])]
        _, was_created = LssSupplement.objects.update_or_create(
            person_id=person_id,
            defaults={
                "personkrets": row.get("personkrets", ""),
                "housing": row.get("boende", ""),
                "housing_municipality": row.get("boendekommun", ""),
                "services": sorted(set(_services(row.get("insatser", ""))), key=int),
                "imported_at": now,
                "source": source[:200],
            },
        )
        created += was_created
        updated += not was_created
    result = SupplementImport(created=created, updated=updated)
    audit_record(
        user=user,
        action="lss_supplement_imported",
        obj=LssSupplement(),
        details={"created": created, "updated": updated, "source": source[:200]},
    )
    return result
