"""Writes of the activity handbook. A published ruling is never edited: a change is a new
version, and publishing it closes the version it replaces (its end date becomes the day before
the new one applies). Bad input is refused with `ValidationError` naming the field and a code,
before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from folja.audit.services import audit_record
from folja.core import clock
from folja.handbook.models import (
    Activity,
    ApplicationActivity,
    Ruling,
    RulingKind,
    RulingStatus,
    SessionRuling,
)
from folja.handbook.selectors import needs_note
from folja.reports.legal_references import LEGAL_REFERENCES

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def _check(
    *,
    kind: str,
    reasoning: str,
    legal_references: list[str],
    valid_from: date,
    valid_to: date | None,
    replaces: Ruling | None,
) -> None:
    errors: dict[str, ValidationError] = {}
    if kind not in RulingKind.values:
        errors["kind"] = ValidationError(_("Välj en bedömning i listan."), code="invalid_choice")
    if not reasoning.strip():
        errors["reasoning"] = ValidationError(_("Skriv en motivering."), code="required")
    known = {e.purpose for e in LEGAL_REFERENCES}
    if any(p not in known for p in legal_references):
        errors["legal_references"] = ValidationError(
            _("Välj lagrum i listan."), code="invalid_choice"
        )
    if not EARLIEST <= valid_from <= LATEST:
        errors["valid_from"] = ValidationError(_("Datumet är inte rimligt."), code="out_of_range")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = ValidationError(
            _("Slutdatumet kan inte vara före startdatumet."), code="before_start"
        )
    if replaces is not None and valid_from <= replaces.valid_from:
        errors["valid_from"] = ValidationError(
            _("Den nya versionen måste gälla från en senare dag än den den ersätter."),
            code="not_after_replaced",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def draft_ruling(
    *,
    user,
    activity: Activity,
    kind: str,
    conditions: str,
    reasoning: str,
    legal_references: list[str],
    valid_from: date,
    valid_to: date | None = None,
    illustrative: bool = False,
) -> Ruling:
    """A new version of `activity`'s ruling, not yet published. It replaces the version
    published last, if any."""
    replaces = (
        Ruling.objects.select_for_update()
        .filter(activity=activity, status=RulingStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
    _check(
        kind=kind,
        reasoning=reasoning,
        legal_references=legal_references,
        valid_from=valid_from,
        valid_to=valid_to,
        replaces=replaces,
    )
    latest = Ruling.objects.filter(activity=activity).aggregate(v=Max("version"))["v"] or 0
    # An unpublished draft of the same activity is superseded by the new one: one draft at a
    # time, never two candidates to publish.
    Ruling.objects.filter(activity=activity, status=RulingStatus.DRAFT).delete()
    ruling = Ruling.objects.create(
        activity=activity,
        version=latest + 1,
        kind=kind,
        conditions=conditions.strip(),
        reasoning=reasoning.strip(),
        legal_references=list(legal_references),
        valid_from=valid_from,
        valid_to=valid_to,
        illustrative=illustrative,
        replaces=replaces,
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        user=user,
        action="handbook.ruling.draft",
        obj=ruling,
        details={"activity": activity.code, "version": ruling.version, "kind": kind},
    )
    return ruling


@transaction.atomic
def publish_ruling(*, user, ruling: Ruling) -> Ruling:
    """Publish a draft; the version it replaces ends the day before the new one applies."""
    ruling = Ruling.objects.select_for_update().get(pk=ruling.pk)
    if ruling.status != RulingStatus.DRAFT:
        raise ValidationError(
            {"status": ValidationError(_("Versionen är redan publicerad."), code="published")}
        )
    old = ruling.replaces
    if old is not None:
        end = ruling.valid_from - timedelta(days=1)
        if old.valid_to is None or old.valid_to > end:
            Ruling.objects.filter(pk=old.pk).update(valid_to=end)
    ruling.status = RulingStatus.PUBLISHED
    ruling.published_at = clock.now()
    ruling.published_by = user if getattr(user, "pk", None) else None
    ruling.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        user=user,
        action="handbook.ruling.publish",
        obj=ruling,
        details={"activity": ruling.activity.code, "version": ruling.version},
    )
    return ruling


@transaction.atomic
def add_activity(*, user, code: str, name: str, grey_zone: bool) -> Activity:
    code, name = code.strip(), name.strip()
    errors: dict[str, ValidationError] = {}
    if not name:
        errors["name"] = ValidationError(_("Skriv aktivitetens namn."), code="required")
    if not code:
        errors["code"] = ValidationError(_("Skriv en kod."), code="required")
    elif Activity.objects.filter(code=code).exists():
        errors["code"] = ValidationError(_("Koden finns redan."), code="unique")
    if errors:
        raise ValidationError(errors)
    last = Activity.objects.aggregate(p=Max("position"))["p"] or 0
    activity = Activity.objects.create(code=code, name=name, grey_zone=grey_zone, position=last + 1)
    audit_record(user=user, action="handbook.activity.add", obj=activity, details={"code": code})
    return activity


def set_application_activities(*, user, application, ids: Iterable[int]) -> None:
    """The catalogue activities applied for (called inside the caller's transaction, which
    writes the application's own audit record); unknown ids are ignored, as a form's choices
    already refused them."""
    activities = list(Activity.objects.filter(pk__in=list(ids)))
    ApplicationActivity.objects.filter(application=application).exclude(
        activity__in=activities
    ).delete()
    ApplicationActivity.objects.bulk_create(
        [ApplicationActivity(application=application, activity=a) for a in activities],
        ignore_conflicts=True,
    )


def record_session_ruling(
    *, user, session, activity: Activity, ruling: Ruling | None, note: str
) -> SessionRuling:
    """The ruling a provider applied when booking, with their note (required unless the
    activity is covered outright). Called inside the booking's transaction."""
    note = note.strip()
    if needs_note(ruling) and not note:
        raise ValidationError(
            {
                "handbook_note": ValidationError(
                    _("Skriv hur ni har tillämpat handboken för den här aktiviteten."),
                    code="required",
                )
            }
        )
    row = SessionRuling.objects.create(
        session=session,
        activity=activity,
        ruling=ruling,
        note=note,
        noted_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        user=user,
        action="handbook.session_ruling",
        obj=row,
        person=session.person,
        details={"activity": activity.code, "ruling": ruling.pk if ruling else None},
    )
    return row
