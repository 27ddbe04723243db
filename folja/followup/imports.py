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
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.cases.models import Decision, Outcome
from folja.followup.services import rollup_refresh
from folja.guidelines.models import AllocationModel, GuidelineVersion, LegalBasis
from folja.guidelines.reference import load_reference_data
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


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_line(self) -> str:
        return f"{self.row}, {self.field}, {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def placeholder_personnummer(person_ref: str) -> str:
    return "H" + hashlib.sha256(person_ref.encode("utf-8")).hexdigest()[:12]


def _pseudonym(person_ref: str) -> str:
    return "hist-" + hashlib.sha256(person_ref.encode("utf-8")).hexdigest()[:27]


def read_csv(text: str, required: tuple[str, ...]) -> tuple[list[dict[str, str]], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [RowError(1, c, _("kolumnen saknas")) for c in missing]
    reader.fieldnames = header
    return [{k: (v or "").strip() for k, v in r.items() if k} for r in reader], []


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
        hours = Decimal(value.replace(",", "."))
    except InvalidOperation:
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
    for i, r in enumerate(rows, start=2):
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
                if Decimal(r["granted_hours_per_month"].replace(",", ".")) != 0:
                    errors.append(
                        RowError(i, "granted_hours_per_month", _("ska vara tomt vid avslag"))
                    )
            except InvalidOperation:
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


def _district(name: str, cache: dict[str, District]) -> District:
    if name not in cache:
        district = District.objects.filter(name=name).first()
        if district is None:
            code = "H" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
            district, _created = District.objects.get_or_create(code=code, defaults={"name": name})
        cache[name] = district
    return cache[name]


def _model_on(versions: list[GuidelineVersion], on: date) -> str:
    model = AllocationModel.MONTHLY
    for v in versions:
        if v.valid_from <= on:
            model = v.model
    return model


@transaction.atomic
def import_decisions(*, text: str, user=None) -> int:
    """Import historical decisions; raises `ImportFailed` (nothing written) on any error."""
    rows, errors = read_csv(text, DECISION_COLUMNS)
    if errors:
        raise ImportFailed(errors)
    clean, errors = validate_decisions(rows)
    if errors:
        raise ImportFailed(errors)
    districts: dict[str, District] = {}
    versions = list(GuidelineVersion.objects.order_by("valid_from"))
    persons: dict[str, Person] = {}
    decisions = []
    for r in clean:
        district = _district(r["district"], districts)
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
        version = None
        for v in versions:
            if v.valid_from <= r["decided_on"]:
                version = v
        decisions.append(
            Decision(
                person=persons[ref],
                district=district,
                decided_on=r["decided_on"],
                outcome=r["outcome"],
                legal_basis=r["legal_basis"],
                requested_hours_per_month=r["requested"],
                hours_per_month=r["granted"],
                model=r["model"] or _model_on(versions, r["decided_on"]),
                guideline_version=version,
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
                external_ref=ref[:60],
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=1000)
    rollup_refresh(person_ids=[p.pk for p in persons.values()])
    audit_record(
        user=user,
        action="followup.import_decisions",
        obj=Decision(),
        details={"decisions": len(decisions), "persons": len(persons)},
    )
    return len(decisions)
