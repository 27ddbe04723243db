"""Historical import from a previous system (migration): decisions and sessions from CSV.

All-or-nothing: every row is validated first and nothing is written if any row fails; errors
come back as `ImportError_(row, field, message)` with 1-based data row numbers (the header is
row 1, so the first data row is row 2 — as a spreadsheet shows it).

Historical persons. The previous system gives only a `person_ref`; `Person.personnummer` is
required and unique, so an imported person gets the placeholder `H` + 12 hex digits of the
SHA-256 of the reference (13 characters, the field's maximum). It starts with a letter, so it
can never be a real personnummer (digits only) and never fails a Luhn check by accident as a
valid one; the same reference always maps to the same person, so re-importing is stable. Name
is "Historisk person", sex is unknown (empty, reported as "okänt") unless an optional `sex`
column says female/male, and the birth date is 1 January of an optional `birth_year` column,
else 1 January 1900 (age unknown).

Idempotent. A history file may be imported again (a retried migration, an overlapping export):
the same file twice changes nothing. A row's natural key is who, when and under which law:
`person_ref`, `decided_on`, the legal basis (`legal_basis` resolved on `decided_on`),
`valid_from` and `valid_to` (empty for a rejection). A row whose key is already imported with
the same outcome, hours, model and district is skipped; with a different value it is an error
naming the row and the column (history is not rewritten by an import: a correction is made in
casework). The same key twice in one file is an error on the later row.

Districts. A row's `district` must name an existing district (its name, or its code; case does
not matter): a misspelt name is an error naming the row, never a new district. Only a file
imported with `create_districts=True` (`folja import decisions --create-districts`) may create
the districts it names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Decision, Outcome
from folja.core.csv_reader import UnreadableCsv, parse_decimal, read_table
from folja.guidelines.models import AllocationModel, LegalBasis
from folja.guidelines.reference import load_reference_data
from folja.ledger.changed import person_figures_changed
from folja.ledger.guidelines import GuidelineVersions
from folja.people.models import District, Person

DECISION_COLUMNS = (
    "person_ref",
    "district",
    "decided_on",
    "legal_basis",
    "outcome",
    "requested_hours_per_month",
    "granted_hours_per_month",
    "valid_from",
    "valid_to",
    "model",
)
UNKNOWN_BIRTH = date(1900, 1, 1)

# The decisions file's format for `folja import --help`: (column, what it holds).
DECISION_COLUMN_HELP = (
    ("person_ref", "personens id i det tidigare systemet (högst 60 tecken)"),
    ("district", "stadsdelens namn eller kod"),
    ("decided_on", "beslutsdatum, ÅÅÅÅ-MM-DD"),
    ("legal_basis", "SoL eller LSS"),
    ("outcome", "granted (bifall), partly_rejected (delavslag) eller rejected (avslag)"),
    ("requested_hours_per_month", "ansökta timmar per månad, t.ex. 12 eller 7,5; får vara tomt"),
    ("granted_hours_per_month", "beviljade timmar per månad, t.ex. 10,5; tomt vid avslag"),
    ("valid_from", "gäller från, ÅÅÅÅ-MM-DD; tomt vid avslag"),
    ("valid_to", "gäller till och med, ÅÅÅÅ-MM-DD; tomt vid avslag"),
    ("model", "monthly, flex3 eller free; tomt vid avslag"),
    ("sex", "valfri kolumn: female eller male"),
    ("birth_year", "valfri kolumn: födelseår"),
)


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str
    code: str = ""

    def as_line(self) -> str:
        message = f"{self.code}: {self.message}" if self.code else self.message
        return f"{self.row}, {self.field}, {message}"


@dataclass(frozen=True)
class DecisionImport:
    """What an import did: decisions written, rows already imported, districts created."""

    created: int
    unchanged: int
    districts_created: tuple[str, ...] = ()


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def placeholder_personnummer(person_ref: str) -> str:
    return "H" + hashlib.sha256(person_ref.encode("utf-8")).hexdigest()[:12]


def _pseudonym(person_ref: str) -> str:
    return "hist-" + hashlib.sha256(person_ref.encode("utf-8")).hexdigest()[:27]


# The key under which `read_csv` gives each row its number in the file (a spreadsheet's).
ROW = "\x00row"


def row_number(row: dict[str, str]) -> int:
    return int(row.get(ROW, 0))


def read_csv(
    text: str | bytes, required: tuple[str, ...]
) -> tuple[list[dict[str, str]], list[RowError]]:
    """The file's rows through the one reader of every import (encoding and separator
    detected, Swedish Excel's files as saved), each with its spreadsheet row number under
    `ROW` (the header is row 1). A file that cannot be read gives its errors instead."""
    try:
        table = read_table(text, required=required)
    except UnreadableCsv as exc:
        return [], [RowError(p.row, p.field, p.message, p.code) for p in exc.problems]
    if table.extra:
        return [], [RowError(p.row, p.field, p.message, p.code) for p in table.extra]
    return [{**r, ROW: str(n)} for r, n in zip(table.rows, table.row_numbers, strict=True)], []


def _date(value: str, row: int, name: str, errors: list[RowError]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(row, name, _("inte ett datum på formen ÅÅÅÅ-MM-DD")))
        return None


def _hours(value: str, row: int, name: str, errors: list[RowError]) -> Decimal | None:
    if not value:
        return None
    try:
        hours = parse_decimal(value)  # "7,5" as Swedish Excel writes it, or "7.5"
    except ValueError:
        errors.append(RowError(row, name, _("inte ett tal")))
        return None
    if not hours.is_finite() or hours < 0 or hours >= 10000:
        errors.append(RowError(row, name, _("måste vara mellan 0 och 9999")))
        return None
    return hours.quantize(Decimal("0.01"))


def _legal_bases() -> list[LegalBasis]:
    if not LegalBasis.objects.exists():
        load_reference_data()
    return list(LegalBasis.objects.order_by("valid_from"))


def _basis_on(bases: list[LegalBasis], act: str, on: date) -> LegalBasis | None:
    found = None
    for b in bases:
        if b.act == act and b.valid_from <= on and (b.valid_to is None or b.valid_to >= on):
            found = b
    return found


def validate_decisions(rows: list[dict[str, str]]) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    bases = _legal_bases()
    clean: list[dict] = []
    outcomes = {o.value for o in Outcome}
    models = {m.value for m in AllocationModel}
    for r in rows:
        i = row_number(r)
        n = len(errors)
        for name in ("person_ref", "district", "decided_on", "legal_basis", "outcome"):
            if not r.get(name):
                errors.append(RowError(i, name, _("värde saknas")))
        if len(r.get("person_ref", "")) > 60:
            errors.append(RowError(i, "person_ref", _("högst 60 tecken")))
        if len(r.get("district", "")) > 100:
            errors.append(RowError(i, "district", _("högst 100 tecken")))
        decided = _date(r.get("decided_on", ""), i, "decided_on", errors)
        outcome = r.get("outcome", "")
        if outcome and outcome not in outcomes:
            errors.append(
                RowError(i, "outcome", _("ska vara granted, partly_rejected eller rejected"))
            )
        act = r.get("legal_basis", "")
        if act and act not in ("SoL", "LSS"):
            errors.append(RowError(i, "legal_basis", _("ska vara SoL eller LSS")))
        model = r.get("model", "")
        if model and model not in models:
            errors.append(RowError(i, "model", _("ska vara monthly, flex3 eller free")))
        requested = _hours(
            r.get("requested_hours_per_month", ""), i, "requested_hours_per_month", errors
        )
        granted = _hours(r.get("granted_hours_per_month", ""), i, "granted_hours_per_month", errors)
        valid_from = _date(r.get("valid_from", ""), i, "valid_from", errors)
        valid_to = _date(r.get("valid_to", ""), i, "valid_to", errors)
        if outcome in (Outcome.GRANTED, Outcome.PARTLY_REJECTED):
            if not r.get("granted_hours_per_month"):
                errors.append(
                    RowError(i, "granted_hours_per_month", _("krävs för bifall och delavslag"))
                )
            for name in ("valid_from", "valid_to", "model"):
                if not r.get(name):
                    errors.append(RowError(i, name, _("krävs för bifall och delavslag")))
        elif outcome == Outcome.REJECTED and r.get("granted_hours_per_month"):
            try:
                if parse_decimal(r["granted_hours_per_month"]) != 0:
                    errors.append(
                        RowError(i, "granted_hours_per_month", _("ska vara tomt vid avslag"))
                    )
            except ValueError:
                pass
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(RowError(i, "valid_to", _("slutar före gäller från")))
        sex = r.get("sex", "")
        if sex and sex not in ("female", "male"):
            errors.append(RowError(i, "sex", _("ska vara female eller male")))
        birth_year = r.get("birth_year", "")
        if birth_year and not (birth_year.isdigit() and 1900 <= int(birth_year) <= 2100):
            errors.append(RowError(i, "birth_year", _("ska vara ett årtal")))
        basis = None
        if decided and act in ("SoL", "LSS"):
            basis = _basis_on(bases, act, decided)
            if basis is None:
                errors.append(RowError(i, "legal_basis", _("inget lagrum gällde beslutsdagen")))
        if len(errors) > n:
            continue
        clean.append(
            {
                "row": i,
                "person_ref": r["person_ref"],
                "district": r["district"],
                "decided_on": decided,
                "legal_basis": basis,
                "outcome": outcome,
                "requested": requested,
                "granted": granted if outcome != Outcome.REJECTED else None,
                "valid_from": valid_from if outcome != Outcome.REJECTED else None,
                "valid_to": valid_to if outcome != Outcome.REJECTED else None,
                "model": model,
                "sex": sex,
                "birth": date(int(birth_year), 1, 1) if birth_year else UNKNOWN_BIRTH,
            }
        )
    return clean, errors


def _find_districts(rows: list[dict[str, str]]) -> dict[str, list[District]]:
    """The existing districts each name in the file may mean: by name or code, case-blind."""
    wanted = {r.get("district", "").casefold() for r in rows} - {""}
    found: dict[str, list[District]] = {}
    for district in District.objects.all():
        for key in {district.name.casefold(), district.code.casefold()} & wanted:
            found.setdefault(key, []).append(district)
    return found


def _resolve_districts(
    rows: list[dict[str, str]], *, create: bool
) -> tuple[dict[str, District | None], list[RowError]]:
    """Each district name of the file → its district, or None for one to be created (only
    when `create`). Unknown and ambiguous names are errors on every row that uses them."""
    found = _find_districts(rows)
    resolved: dict[str, District | None] = {}
    errors: list[RowError] = []
    for r in rows:
        i = row_number(r)
        name = r.get("district", "")
        if not name or len(name) > 100:
            continue  # reported by validate_decisions
        matches = found.get(name.casefold(), [])
        exact = [d for d in matches if d.name == name]
        if len(matches) == 1 or len(exact) == 1:
            resolved[name] = (exact or matches)[0]
        elif matches:
            errors.append(
                RowError(
                    i,
                    "district",
                    _("flera stadsdelar heter «%(name)s»: ange stadsdelens kod") % {"name": name},
                    code="ambiguous_district",
                )
            )
        elif create:
            resolved[name] = None
        else:
            errors.append(
                RowError(
                    i,
                    "district",
                    _(
                        "okänd stadsdel «%(name)s»; stavfel? Nya stadsdelar skapas bara när "
                        "filen importeras med --create-districts"
                    )
                    % {"name": name},
                    code="unknown_district",
                )
            )
    return resolved, errors


def _model_on(versions: GuidelineVersions, on: date) -> str:
    """The model of the guideline version in force on `on` (the ledger's lookup); monthly when
    there is no version at all, the model of every decision before 2018."""
    version = versions.on(on)
    return version.model if version is not None else AllocationModel.MONTHLY


# The values an already imported row must have for the file to be "the same": column → the
# decision's field. Legal basis and dates are part of the key itself.
_COMPARED = (
    ("outcome", "outcome"),
    ("requested_hours_per_month", "requested_hours_per_month"),
    ("granted_hours_per_month", "hours_per_month"),
    ("model", "model"),
    ("district", "district_id"),
)


def _key(person_ref: str, r: dict) -> tuple:
    return (person_ref, r["decided_on"], r["legal_basis"].pk, r["valid_from"], r["valid_to"])


def _imported(person_refs: set[str]) -> dict[tuple, dict]:
    """The decisions already imported for these persons, by natural key."""
    by_pnr = {placeholder_personnummer(ref): ref for ref in person_refs}
    rows = (
        Decision.objects.filter(person__personnummer__in=list(by_pnr))
        .exclude(external_ref="")
        .values(
            "person__personnummer",
            "decided_on",
            "legal_basis_id",
            "valid_from",
            "valid_to",
            *(field for _column, field in _COMPARED),
        )
    )
    return {
        (
            by_pnr[d["person__personnummer"]],
            d["decided_on"],
            d["legal_basis_id"],
            d["valid_from"],
            d["valid_to"],
        ): d
        for d in rows
    }


def _values(r: dict, district: District | None, model: str) -> dict:
    return {
        "outcome": r["outcome"],
        "requested_hours_per_month": r["requested"],
        "hours_per_month": r["granted"],
        "model": model,
        "district_id": district.pk if district else None,
    }


@transaction.atomic
def import_decisions(
    *, text: str | bytes, user=None, create_districts: bool = False
) -> DecisionImport:
    """Import historical decisions; raises `ImportFailed` (nothing written) on any error.
    Rows already imported are skipped (see the module's note on idempotency)."""
    rows, errors = read_csv(text, DECISION_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    clean, errors = validate_decisions(rows)
    districts, district_errors = _resolve_districts(rows, create=create_districts)
    errors += district_errors
    versions = GuidelineVersions()
    imported = _imported({r["person_ref"] for r in clean})
    seen: dict[tuple, int] = {}
    new_rows: list[tuple[dict, str]] = []
    unchanged = 0
    for r in clean:
        if r["district"] not in districts:
            continue  # its district error is already listed
        key = _key(r["person_ref"], r)
        model = r["model"] or _model_on(versions, r["decided_on"])
        if key in seen:
            errors.append(
                RowError(
                    r["row"],
                    "person_ref",
                    _("samma beslut som på rad %(row)s (person, beslutsdatum, lagrum, giltighet)")
                    % {"row": seen[key]},
                    code="duplicate_row",
                )
            )
            continue
        seen[key] = r["row"]
        before = imported.get(key)
        if before is None:
            new_rows.append((r, model))
            continue
        values = _values(r, districts[r["district"]], model)
        differs = [
            column
            for column, field in _COMPARED
            if before[field] != values[field] and not (field == "model" and not r["model"])
        ]
        if differs:
            errors.append(
                RowError(
                    r["row"],
                    differs[0],
                    _(
                        "beslutet är redan importerat med ett annat värde; en ny import ändrar "
                        "inte importerade beslut"
                    ),
                    code="conflicts_with_imported",
                )
            )
            continue
        unchanged += 1
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.field)))
    created_districts: list[str] = []
    for name, district in districts.items():
        if district is None and any(r["district"] == name for r, _model in new_rows):
            code = "H" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
            districts[name], _created = District.objects.get_or_create(
                code=code, defaults={"name": name}
            )
            created_districts.append(name)
    persons: dict[str, Person] = {}
    decisions = []
    for r, model in new_rows:
        district = districts[r["district"]]
        ref = r["person_ref"]
        if ref not in persons:
            person, _created = Person.objects.get_or_create(
                personnummer=placeholder_personnummer(ref),
                defaults={
                    "first_name": "Historisk",
                    "last_name": "person",
                    "birth_date": r["birth"],
                    "sex": r["sex"],
                    "district": district,
                    "pseudonym": _pseudonym(ref),
                },
            )
            persons[ref] = person
        version = versions.on(r["decided_on"])
        decisions.append(
            Decision(
                person=persons[ref],
                district=district,
                decided_on=r["decided_on"],
                outcome=r["outcome"],
                legal_basis=r["legal_basis"],
                requested_hours_per_month=r["requested"],
                hours_per_month=r["granted"],
                model=model,
                guideline_version=version,
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
                external_ref=ref[:60],
            )
        )
    if decisions:
        Decision.objects.bulk_create(decisions, batch_size=1000)
        person_figures_changed(person_ids=[p.pk for p in persons.values()])
    # The attempt is audited even when it wrote nothing: who tried to import what is history.
    audit_record(
        user=user,
        action="followup.import_decisions",
        obj=Decision(),
        details={
            "decisions": len(decisions),
            "unchanged": unchanged,
            "persons": len(persons),
            "districts_created": created_districts,
        },
    )
    return DecisionImport(
        created=len(decisions), unchanged=unchanged, districts_created=tuple(created_districts)
    )
