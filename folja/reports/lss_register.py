"""The LSS register (SOSFS 2005:21 with its annex as worded by HSLF-FS 2016:48): once a year,
by 25 October, one record per person with an LSS service on 1 October.

Who is in the file: every person with a decision on ledsagarservice (LSS 9 § 3) in force on the
reference date, as the ledger's granting decisions say (folja.ledger.decisions): not rejected,
not replaced, valid on the date. Ledsagarservice is the one LSS service Följa decides; the
annex's other columns (personkrets, 9 § 2 and 4–10, the housing and its municipality) come from
the import of LssSupplement and are empty where nothing was imported.

The record, fields in the annex's order (docs/statutory-reports.md has the table):
kommunkod; personnummer; personkrets; 9 § 2; 9 § 3; 9 § 4; 9 § 5; 9 § 6; 9 § 7;
9 § 8 familjehem; 9 § 8 bostad med särskild service; 9 § 9 bostad med särskild service;
9 § 9 annan särskilt anpassad bostad; boendekommun; 9 § 10.
A service the person has is marked `X`; otherwise the field is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from folja.ledger.decisions import granting_decisions
from folja.reports.files import (
    InvalidFile,
    Problem,
    Progress,
    file_personnummer,
    render,
    split_records,
    valid_personnummer,
)
from folja.reports.kommunkoder import MUNICIPALITY_CODES, municipality_code
from folja.reports.models import Housing, LssSupplement, Personkrets

MARK = "X"

# (field name, what it holds) in the record's order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("kommunkod", "rapporterande kommun, fyra siffror (SCB)"),
    ("personnummer", "ÅÅÅÅMMDD-NNNN"),
    ("personkrets", "1, 2 eller 3 (1 § LSS); tomt om okänt"),
    ("lss_9_2", "personlig assistans"),
    ("lss_9_3", "ledsagarservice"),
    ("lss_9_4", "kontaktperson"),
    ("lss_9_5", "avlösarservice i hemmet"),
    ("lss_9_6", "korttidsvistelse"),
    ("lss_9_7", "korttidstillsyn för skolungdom över 12 år"),
    ("lss_9_8_familjehem", "boende barn/unga: familjehem"),
    ("lss_9_8_bostad", "boende barn/unga: bostad med särskild service"),
    ("lss_9_9_bostad", "boende vuxna: bostad med särskild service"),
    ("lss_9_9_annan", "boende vuxna: annan särskilt anpassad bostad"),
    ("boendekommun", "kommunkod om boendet enligt 9 § 8 eller 9 ligger i annan kommun"),
    ("lss_9_10", "daglig verksamhet"),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)
SERVICE_FIELDS = ("lss_9_2", "lss_9_4", "lss_9_5", "lss_9_6", "lss_9_7", "lss_9_10")
HOUSING_FIELDS = {
    Housing.FAMILY_HOME: "lss_9_8_familjehem",
    Housing.CHILD_SPECIAL: "lss_9_8_bostad",
    Housing.ADULT_SPECIAL: "lss_9_9_bostad",
    Housing.ADULT_ADAPTED: "lss_9_9_annan",
}
MARKED_FIELDS = (*SERVICE_FIELDS, "lss_9_3", *HOUSING_FIELDS.values())


@dataclass
class LssRecord:
    person_id: int
    kommunkod: str
    personnummer: str
    personkrets: str = ""
    services: set[str] = field(default_factory=set)  # 9 § paragraph numbers other than 3
    housing: str = ""
    housing_municipality: str = ""

    def fields(self) -> list[str]:
        values = dict.fromkeys(FIELD_NAMES, "")
        values["kommunkod"] = self.kommunkod
        values["personnummer"] = self.personnummer
        values["personkrets"] = self.personkrets
        values["lss_9_3"] = MARK
        for paragraph in self.services:
            values[f"lss_9_{paragraph}"] = MARK
        if self.housing:
            values[HOUSING_FIELDS[self.housing]] = MARK
            if self.housing_municipality != self.kommunkod:
                values["boendekommun"] = self.housing_municipality
        return [values[name] for name in FIELD_NAMES]


def escort_person_ids(on: date) -> set[int]:
    """The persons with ledsagarservice on `on`: the ledger's granting LSS decisions valid on
    that day."""
    return set(
        granting_decisions()
        .filter(legal_basis__act="LSS", valid_from__lte=on, valid_to__gte=on)
        .values_list("person_id", flat=True)
    )


class UnknownMunicipality(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def lss_records(on: date, *, progress: Progress | None = None) -> list[LssRecord]:
    """One record per person with ledsagarservice on `on`, ordered by municipality and
    personnummer. Raises UnknownMunicipality when a district's municipality has no code."""
    from folja.people.models import Person

    ids = escort_person_ids(on)
    supplements = {s.person_id: s for s in LssSupplement.objects.filter(person_id__in=ids)}
    persons = (
        Person.objects.filter(pk__in=ids)
        .select_related("district")
        .only("pk", "personnummer", "district__municipality")
    )
    records: list[LssRecord] = []
    unknown: set[str] = set()
    total = len(ids)
    for done, person in enumerate(persons.iterator(chunk_size=2000), start=1):
        code = municipality_code(person.district.municipality)
        if code is None:
            unknown.add(person.district.municipality)
            continue
        record = LssRecord(
            person_id=person.pk,
            kommunkod=code,
            personnummer=file_personnummer(person.personnummer, on=on),
        )
        extra = supplements.get(person.pk)
        if extra is not None:
            record.personkrets = extra.personkrets
            record.services = set(extra.services)
            record.housing = extra.housing
            record.housing_municipality = extra.housing_municipality or code
        records.append(record)
        if progress is not None and done % 500 == 0:
            progress(done, total)
    if unknown:
        raise UnknownMunicipality(sorted(unknown))
    if progress is not None:
        progress(total, total)
    records.sort(key=lambda r: (r.kommunkod, r.personnummer))
    return records


def lss_file(records: list[LssRecord], *, on: date) -> bytes:
    """The file's bytes, validated first: raises InvalidFile and writes nothing when a record
    breaks the specification."""
    data = render(r.fields() for r in records)
    problems = validate_lss_file(data, on=on)
    if problems:
        raise InvalidFile(problems)
    return data


# --- the validator: the specification as checks, run before writing and by the tests -------

_KRETS = {"", *Personkrets.values}
# The code list of a service column, written out as the specification has it: the validator
# checks the writer, so it does not read the writer's MARK.
_MARKS = ("", "X")


def validate_lss_file(data: bytes, *, on: date) -> list[Problem]:
    """Every way `data` breaks the record layout: field count, code lists (kommunkod,
    personkrets, marks), personnummer form and check digit, one housing column at most, a
    boendekommun only beside a housing column, one record per person and municipality."""
    records, problems = split_records(data)
    seen: set[tuple[str, str]] = set()
    for row, fields in enumerate(records, start=1):
        if len(fields) != len(FIELDS):
            problems.append(
                Problem(row, "record", "field_count", f"{len(fields)} fält, ska vara {len(FIELDS)}")
            )
            continue
        value = dict(zip(FIELD_NAMES, fields, strict=True))
        if value["kommunkod"] not in MUNICIPALITY_CODES:
            problems.append(Problem(row, "kommunkod", "code_list", "okänd kommunkod"))
        reason = valid_personnummer(value["personnummer"], on=on)
        if reason:
            problems.append(Problem(row, "personnummer", "invalid", reason))
        if value["personkrets"] not in _KRETS:
            problems.append(Problem(row, "personkrets", "code_list", "ska vara 1, 2, 3 eller tomt"))
        for name in MARKED_FIELDS:
            if value[name] not in _MARKS:
                problems.append(Problem(row, name, "code_list", "ska vara X eller tomt"))
        housing = [n for n in HOUSING_FIELDS.values() if value[n]]
        if len(housing) > 1:
            problems.append(Problem(row, "boende", "one_housing", "högst en boendeform"))
        place = value["boendekommun"]
        if place:
            if place not in MUNICIPALITY_CODES:
                problems.append(Problem(row, "boendekommun", "code_list", "okänd kommunkod"))
            elif not housing:
                problems.append(
                    Problem(row, "boendekommun", "without_housing", "boendekommun utan boende")
                )
            elif place == value["kommunkod"]:
                problems.append(
                    Problem(row, "boendekommun", "same_municipality", "anges bara för annan kommun")
                )
        key = (value["kommunkod"], value["personnummer"])
        if key in seen:
            problems.append(Problem(row, "personnummer", "duplicate", "personen finns redan"))
        seen.add(key)
    return problems
