"""Reads of the activity handbook: the ruling in force on a day, rulings for an application's
activities, how the city decided comparable applications, the rulings that concern a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from folja.cases.models import Application, Outcome
from folja.handbook.models import (
    Activity,
    ApplicationActivity,
    Ruling,
    RulingKind,
    RulingStatus,
    SessionRuling,
)
from folja.ledger.decisions import granting_decisions
from folja.reports.legal_references import LEGAL_REFERENCES, NoReference, reference_on


def published(day: date) -> Q:
    """The published rulings that apply on `day`."""
    return Q(status=RulingStatus.PUBLISHED, valid_from__lte=day) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def rulings_in_force(*, user, on: date) -> QuerySet[Ruling]:
    return Ruling.objects.visible_to(user).filter(published(on)).select_related("activity")


def ruling_in_force(*, user, activity: Activity, on: date) -> Ruling | None:
    return rulings_in_force(user=user, on=on).filter(activity=activity).first()


def catalogue(*, user, on: date) -> list[tuple[Activity, Ruling | None]]:
    """Every activity with the ruling in force on `on` (None: no ruling applies that day)."""
    in_force = {r.activity_id: r for r in rulings_in_force(user=user, on=on)}
    return [(a, in_force.get(a.pk)) for a in Activity.objects.visible_to(user)]


def versions(*, user, activity: Activity) -> QuerySet[Ruling]:
    return Ruling.objects.visible_to(user).filter(activity=activity).order_by("-version")


def needs_note(ruling: Ruling | None) -> bool:
    """A provider must say how they applied a ruling unless the activity is covered outright
    (a catalogue activity without a ruling in force is also a grey zone to note)."""
    return ruling is None or ruling.kind != RulingKind.COVERED


def legal_reference_texts(ruling: Ruling, on: date) -> list[str]:
    """The ruling's legal references as the text in force on `on` (one place:
    folja.reports.legal_references); a purpose with no reference that day is left out."""
    texts = []
    for purpose in ruling.legal_references:
        try:
            texts.append(reference_on(purpose, on))
        except NoReference:
            continue
    return texts


def legal_reference_choices() -> list[tuple[str, str]]:
    """One choice per purpose, labelled with every reference it has had."""
    seen: dict[str, list[str]] = {}
    for e in LEGAL_REFERENCES:
        seen.setdefault(e.purpose, []).append(e.reference)
    return [(p, " / ".join(refs)) for p, refs in seen.items()]


def application_activities(*, user, application: Application) -> list[Activity]:
    rows = ApplicationActivity.objects.visible_to(user).filter(application=application)
    return [r.activity for r in rows.select_related("activity").order_by("activity__position")]


@dataclass(frozen=True)
class Comparable:
    activity: Activity
    ruling: Ruling | None
    granted: int
    rejected: int
    references: tuple[str, ...] = ()


def comparable_outcomes(*, user, application: Application, on: date) -> list[Comparable]:
    """For each catalogue activity applied for: its ruling in force, and how the city decided
    other applications for the same activity (counts over the whole city; granting decisions
    as folja.ledger.decisions defines them, rejections that were not replaced)."""
    from folja.cases.models import Decision

    result = []
    for activity in application_activities(user=user, application=application):
        others = Decision.objects.filter(
            application__catalogue_activities__activity=activity
        ).exclude(application=application)
        ruling = ruling_in_force(user=user, activity=activity, on=on)
        result.append(
            Comparable(
                activity=activity,
                ruling=ruling,
                references=tuple(legal_reference_texts(ruling, on)) if ruling else (),
                granted=granting_decisions(others).count(),
                rejected=others.filter(
                    outcome=Outcome.REJECTED, superseded_by__isnull=True
                ).count(),
            )
        )
    return result


def person_rulings(*, user, person, on: date) -> list[tuple[Activity, Ruling]]:
    """The rulings that concern a person: those of the activities on their applications and on
    their booked sessions, as in force on `on`."""
    ids = set(
        ApplicationActivity.objects.visible_to(user)
        .filter(application__person=person)
        .values_list("activity_id", flat=True)
    ) | set(
        SessionRuling.objects.visible_to(user)
        .filter(session__person=person)
        .values_list("activity_id", flat=True)
    )
    in_force = rulings_in_force(user=user, on=on).filter(activity_id__in=ids)
    return [(r.activity, r) for r in in_force.order_by("activity__position", "activity__name")]
