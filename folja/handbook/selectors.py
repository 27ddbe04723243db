"""Reads of the activity handbook: the ruling in force on a day, rulings for an application's
activities, how the city decided comparable applications, the rulings that concern a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from folja.cases.models import Application, Outcome
from folja.followup.opendata import SUPPRESSED, suppress
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


# A suppressed count, as open data writes it.
Figure = int | str
CITY_ROW = "__city__"


@dataclass(frozen=True)
class Comparable:
    """How the city decided other applications for an activity. Counts are suppressed by the
    open-data rule (`folja.followup.opendata.suppress`): a count of one or two in a district
    can point out a person, so a count under the threshold — and whatever would give it away
    through the totals — is ".."."""

    activity: Activity
    ruling: Ruling | None
    granted: Figure
    rejected: Figure
    references: tuple[str, ...] = ()
    district_granted: Figure = SUPPRESSED
    district_rejected: Figure = SUPPRESSED

    @property
    def suppressed(self) -> bool:
        return SUPPRESSED in (
            self.granted,
            self.rejected,
            self.district_granted,
            self.district_rejected,
        )


def _per_district(qs) -> dict[str, int]:
    rows = qs.values("district_id").annotate(n=Count("pk", distinct=True))
    return {str(r["district_id"]): r["n"] for r in rows}


def _outcome_table(others, *, own: str) -> dict[str, dict[str, int]]:
    """Granted and rejected decisions per deciding district, and the city. The application's
    own district is a row even without such decisions: its zeros are shown as suppressed."""
    granted = _per_district(granting_decisions(others))
    rejected = _per_district(others.filter(outcome=Outcome.REJECTED, superseded_by__isnull=True))
    table = {
        d: {"granted": granted.get(d, 0), "rejected": rejected.get(d, 0)}
        for d in sorted(granted.keys() | rejected.keys() | {own})
    }
    for cells in table.values():
        cells["decided"] = cells["granted"] + cells["rejected"]
    table[CITY_ROW] = {
        c: sum(cells[c] for cells in table.values()) for c in ("granted", "rejected", "decided")
    }
    return table


def comparable_outcomes(*, user, application: Application, on: date) -> list[Comparable]:
    """For each catalogue activity applied for: its ruling in force, and how the city (and the
    application's own district) decided other applications for the same activity (granting
    decisions as folja.ledger.decisions defines them, rejections that were not replaced),
    suppressed per district and city as open data is."""
    from folja.cases.models import Decision

    result = []
    for activity in application_activities(user=user, application=application):
        others = Decision.objects.filter(
            application__catalogue_activities__activity=activity
        ).exclude(application=application)
        own = str(application.district_id)
        table = _outcome_table(others, own=own)
        hidden = suppress(table, [(("granted", "rejected"), "decided")], CITY_ROW)

        def shown(row: str, column: str, table=table, hidden=hidden) -> Figure:
            return SUPPRESSED if (row, column) in hidden else table[row][column]

        ruling = ruling_in_force(user=user, activity=activity, on=on)
        result.append(
            Comparable(
                activity=activity,
                ruling=ruling,
                references=tuple(legal_reference_texts(ruling, on)) if ruling else (),
                granted=shown(CITY_ROW, "granted"),
                rejected=shown(CITY_ROW, "rejected"),
                district_granted=shown(own, "granted"),
                district_rejected=shown(own, "rejected"),
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
