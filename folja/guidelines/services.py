"""Writes of the city's dated guideline versions and LOV rates.

A version that has come into force is history: figures have been shown and paid under it, so it
is never changed; a correction is a new version from a later day. Saving a version or a rate
changes figures for everyone from a date (a version: its `valid_from`; a rate: 1 January of its
year), so each save records a recalculation from that date, queued once the save has committed
(folja.ledger.jobs). Bad input is refused with `ValidationError` naming the field and a code,
before anything is written, so a form shows it next to the field and nothing reaches the
database's own constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.core import clock
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.bridge import clear_reference_copies
from folja.ledger.jobs import recalculation_schedule
from folja.ledger.models import RecalculationRun, RecalculationTrigger

# Dates a guideline or a rate can sensibly be about (as for session dates); anything else is a
# typing mistake, and year 0 cannot even be a date.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Money, thresholds and hours of a version: none of them can be negative.
VERSION_AMOUNTS = (
    "late_cancellation_cutoff_hours",
    "expense_allowance_per_month",
    "costly_activity_yearly_ceiling",
    "free_review_threshold",
    "reporting_deadline_days",
)
RATE_BANDS = ("day", "evening", "night", "weekend", "storhelg")
# Saving only these changes no figure, so it needs no recalculation.
VERSION_WORDING = frozenset({"name", "notes", "illustrative_fields"})
RATE_WORDING = frozenset({"source"})


class Saved(NamedTuple):
    obj: GuidelineVersion | LovRate
    recalculation: RecalculationRun | None


def is_in_force(version: GuidelineVersion) -> bool:
    """A version has come into force once its first day is today or past."""
    return version.valid_from <= clock.today()


# --- checks ------------------------------------------------------------------------------------


def _negative(values: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, ValidationError]:
    errors = {}
    for name in fields:
        try:
            negative = Decimal(str(values[name])) < 0
        except (KeyError, TypeError, ArithmeticError, ValueError):
            continue  # missing or not a number: the field's own validation says so
        if negative:
            errors[name] = ValidationError(_("Får inte vara negativt."), code="negative")
    return errors


def _validate(obj: GuidelineVersion | LovRate, check) -> None:
    """The rules above first (their messages and codes win), then the model's own field
    validation (types, choices, required) for the fields they left alone. Uniqueness is the
    rules' own check, with a message that says what to do."""
    errors: dict[str, Any] = {}
    try:
        check(values=model_to_dict(obj, exclude=["id"]), pk=obj.pk)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        obj.full_clean(exclude=list(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)


def _storhelg_errors(days: Any) -> list[ValidationError]:
    if days is None:
        return []
    if not isinstance(days, list | tuple):
        return [ValidationError(_("Ange storhelgsdagarna som en lista med datum."), code="invalid")]
    errors = []
    for day in days:
        valid = isinstance(day, str) and ISO_DATE.fullmatch(day) is not None
        if valid:
            try:
                date.fromisoformat(day)
            except ValueError:
                valid = False
        if not valid:
            errors.append(
                ValidationError(
                    _("”%(value)s” är inte ett datum på formen ÅÅÅÅ-MM-DD."),
                    code="invalid_date",
                    params={"value": day},
                )
            )
    return errors


def guideline_version_check(*, values: Mapping[str, Any], pk: int | None = None) -> None:
    """Refuse a version's values (given as field → value; missing fields are not checked):
    a storhelg entry that is not an ISO date, a negative amount, a date outside 1900–2100, or
    a second version from the same day."""
    errors: dict[str, Any] = _negative(values, VERSION_AMOUNTS)
    storhelg = _storhelg_errors(values.get("storhelg"))
    if storhelg:
        errors["storhelg"] = storhelg
    valid_from = values.get("valid_from")
    if isinstance(valid_from, date):
        if not EARLIEST <= valid_from <= LATEST:
            errors["valid_from"] = ValidationError(
                _("Ange ett datum mellan år 1900 och 2100."), code="range"
            )
        elif GuidelineVersion.objects.filter(valid_from=valid_from).exclude(pk=pk).exists():
            errors["valid_from"] = _duplicate_version(valid_from)
    if errors:
        raise ValidationError(errors)


def _duplicate_version(valid_from: date) -> ValidationError:
    return ValidationError(
        _("Det finns redan en riktlinjeversion som gäller från %(date)s. Välj en annan dag."),
        code="duplicate",
        params={"date": valid_from.isoformat()},
    )


def lov_rate_check(*, values: Mapping[str, Any], pk: int | None = None) -> None:
    """Refuse a rate's values: a negative amount, a year outside 1900–2100, or a second rate
    for the same year and regi."""
    errors: dict[str, Any] = _negative(values, RATE_BANDS)
    year = values.get("year")
    if isinstance(year, int):
        if not EARLIEST.year <= year <= LATEST.year:
            errors["year"] = ValidationError(_("Ange ett år mellan 1900 och 2100."), code="range")
        elif (
            values.get("regi")
            and LovRate.objects.filter(year=year, regi=values["regi"]).exclude(pk=pk).exists()
        ):
            errors["year"] = _duplicate_rate(year)
    if errors:
        raise ValidationError(errors)


def _duplicate_rate(year: int) -> ValidationError:
    return ValidationError(
        _("Det finns redan en LOV-ersättning för %(year)s i denna regi."),
        code="duplicate",
        params={"year": year},
    )


def _in_force_error(version: GuidelineVersion) -> ValidationError:
    return ValidationError(
        {
            "valid_from": ValidationError(
                _(
                    "Versionen från %(date)s har börjat gälla och kan inte ändras. "
                    "Rätta genom att lägga till en ny version."
                ),
                code="in_force",
                params={"date": version.valid_from.isoformat()},
            )
        }
    )


# --- guideline versions ------------------------------------------------------------------------


@transaction.atomic
def guideline_version_save(*, user, version: GuidelineVersion) -> Saved:
    """Create or change a version (changing only one not yet in force) and queue the
    recalculation from the earliest day it touches."""
    stored = (
        GuidelineVersion.objects.select_for_update().filter(pk=version.pk).first()
        if version.pk
        else None
    )
    if stored is not None and is_in_force(stored):
        raise _in_force_error(stored)
    _validate(version, guideline_version_check)
    values = model_to_dict(version, exclude=["id"])
    before = model_to_dict(stored, exclude=["id"]) if stored is not None else {}
    changed = sorted(k for k in values if before.get(k) != values[k]) if before else []
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        # Another save of the same day committed between the check and ours.
        raise ValidationError({"valid_from": _duplicate_version(version.valid_from)}) from None
    audit_record(
        user=user,
        action="guidelines.version_change" if stored else "guidelines.version_create",
        obj=version,
        details={"valid_from": version.valid_from.isoformat(), "changed": changed},
    )
    transaction.on_commit(clear_reference_copies)
    if stored is not None and set(changed) <= VERSION_WORDING:
        return Saved(version, None)
    start = min(version.valid_from, stored.valid_from) if stored else version.valid_from
    run = recalculation_schedule(
        valid_from=start,
        trigger=RecalculationTrigger.GUIDELINE_VERSION,
        label=str(version),
        user=user,
    )
    return Saved(version, run)


def guideline_version_create(*, user, **fields: Any) -> Saved:
    """A new version from keyword fields (the model's field names)."""
    return guideline_version_save(user=user, version=GuidelineVersion(**fields))


@transaction.atomic
def guideline_version_delete(*, user, version: GuidelineVersion) -> RecalculationRun | None:
    """Remove a version that has not come into force (one in force is history)."""
    if is_in_force(version):
        raise _in_force_error(version)
    valid_from, label = version.valid_from, str(version)
    audit_record(
        user=user,
        action="guidelines.version_delete",
        obj=version,
        details={"valid_from": valid_from.isoformat()},
    )
    version.delete()
    transaction.on_commit(clear_reference_copies)
    return recalculation_schedule(
        valid_from=valid_from,
        trigger=RecalculationTrigger.GUIDELINE_VERSION,
        label=_("Borttagen: %(version)s") % {"version": label},
        user=user,
    )


# --- LOV rates ---------------------------------------------------------------------------------


@transaction.atomic
def lov_rate_save(*, user, rate: LovRate) -> Saved:
    """Create or change a year's rate and queue the recalculation from 1 January of the
    earliest year it touches."""
    stored = LovRate.objects.select_for_update().filter(pk=rate.pk).first() if rate.pk else None
    _validate(rate, lov_rate_check)
    values = model_to_dict(rate, exclude=["id"])
    before = model_to_dict(stored, exclude=["id"]) if stored is not None else {}
    changed = sorted(k for k in values if before.get(k) != values[k]) if before else []
    try:
        with transaction.atomic():
            rate.save()
    except IntegrityError:
        raise ValidationError({"year": _duplicate_rate(rate.year)}) from None
    audit_record(
        user=user,
        action="guidelines.rate_change" if stored else "guidelines.rate_create",
        obj=rate,
        details={"year": rate.year, "regi": rate.regi, "changed": changed},
    )
    transaction.on_commit(clear_reference_copies)
    if stored is not None and set(changed) <= RATE_WORDING:
        return Saved(rate, None)
    year = min(rate.year, stored.year) if stored else rate.year
    run = recalculation_schedule(
        valid_from=date(year, 1, 1),
        trigger=RecalculationTrigger.LOV_RATE,
        label=_("LOV-ersättning %(year)s, %(regi)s")
        % {"year": rate.year, "regi": rate.get_regi_display()},
        user=user,
    )
    return Saved(rate, run)


def lov_rate_create(*, user, **fields: Any) -> Saved:
    return lov_rate_save(user=user, rate=LovRate(**fields))


@transaction.atomic
def lov_rate_delete(*, user, rate: LovRate) -> RecalculationRun | None:
    """Remove a rate: that year's sessions in that regi are then held back as having no rate."""
    year, label = (
        rate.year,
        _("Borttagen: LOV-ersättning %(year)s, %(regi)s")
        % {
            "year": rate.year,
            "regi": rate.get_regi_display(),
        },
    )
    audit_record(
        user=user,
        action="guidelines.rate_delete",
        obj=rate,
        details={"year": rate.year, "regi": rate.regi},
    )
    rate.delete()
    transaction.on_commit(clear_reference_copies)
    return recalculation_schedule(
        valid_from=date(year, 1, 1),
        trigger=RecalculationTrigger.LOV_RATE,
        label=label,
        user=user,
    )


# --- the reference-data loader -----------------------------------------------------------------


def reference_data_saved(
    *, changes: Iterable[tuple[date, Iterable[str]]]
) -> RecalculationRun | None:
    """The loader (folja.guidelines.reference) wrote versions and rates: each change is the
    first day it affects and the fields it wrote. One recalculation for the whole load, from
    the earliest change of a figure; none when only wording changed or nothing did."""
    days = [day for day, fields in changes if set(fields) - VERSION_WORDING - RATE_WORDING]
    if not days:
        return None
    return recalculation_schedule(
        valid_from=min(days),
        trigger=RecalculationTrigger.REFERENCE_DATA,
        label=_("Referensdata inlästa"),
    )
