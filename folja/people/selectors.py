"""Reads for culling (gallring): which persons' files are due, per `folja.rules.culling`.

Each act by its own rule: a file with LSS documentation only is never listed (LSS documentation
is kept); a file with SoL documentation only is listed whole; a file with both is listed for
its SoL part, once per last entry (a later entry starts the clock again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Exists, F, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest

from folja.accounts.models import Role, User
from folja.audit.models import CullingRecord
from folja.cases.models import Application, Decision
from folja.delivery.models import Session
from folja.people.models import Person
from folja.rules.culling import (
    Act,
    Scope,
    culling_due_by,
    culling_eligible_from,
    culling_rule,
    culling_scope,
    is_kept_for_research,
)

# "No dated row at all": the file's own creation date is then its last entry.
NO_ENTRY = date(1900, 1, 1)


@dataclass(frozen=True)
class CullingCandidate:
    person_id: int
    pseudonym: str
    district_id: int
    last_entry_on: date
    eligible_from: date
    due_by: date
    scope: Scope = Scope.WHOLE_FILE
    # The provision culled under, as in force on the day of the list.
    rule_reference: str = ""

    def overdue(self, today: date) -> bool:
        return today > self.due_by


def _latest(model, field: str) -> Subquery:
    return Subquery(
        model.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(latest=Max(field))
        .values("latest")[:1],
        output_field=DateField(),
    )


def persons_with_last_entry() -> QuerySet:
    """Every person not yet culled, annotated with the date of the last entry in the file: the
    stored `last_entry_on`, or, where that was never set, the latest dated row in the file."""
    latest_session = Subquery(
        Session.objects.filter(person=OuterRef("pk"))
        .order_by("-start")
        .annotate(day=Cast("start", DateField()))
        .values("day")[:1],
        output_field=DateField(),
    )
    # NULLs are mapped to a sentinel because SQLite's MAX() (unlike PostgreSQL's GREATEST)
    # returns NULL when any argument is NULL.
    never = Value(NO_ENTRY, output_field=DateField())
    derived = Greatest(
        Coalesce(_latest(Application, "received_on"), never),
        Coalesce(_latest(Decision, "decided_on"), never),
        Coalesce(_latest(Decision, "valid_to"), never),
        Coalesce(latest_session, never),
    )
    return Person.objects.filter(culled_at__isnull=True).annotate(
        last_entry=Coalesce(F("last_entry_on"), derived, output_field=DateField())
    )


def _has_act(act: Act) -> Exists:
    """Whether the file holds documentation under `act`: an application sought under it or a
    decision made under it."""
    return Exists(Application.objects.filter(person=OuterRef("pk"), requested_act=act)) | Exists(
        Decision.objects.filter(person=OuterRef("pk"), legal_basis__act=act)
    )


def culling_candidates(*, today: date, district_id: int | None = None) -> list[CullingCandidate]:
    """Files (or, with LSS documentation beside, their SoL part) whose five years since the
    last entry have passed, except those kept for research (born on the 5th, 15th or 25th)
    and those with LSS documentation only. Ordered by deadline, most urgent first."""
    qs = persons_with_last_entry().annotate(has_sol=_has_act(Act.SOL), has_lss=_has_act(Act.LSS))
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    # A SoL part already culled leaves the person's file in place: its record says up to
    # which last entry, so the same part is not listed again.
    sol_part_culled_up_to: dict[str, date] = {}
    for pseudonym, last in CullingRecord.objects.filter(
        person_pseudonym__in=qs.filter(has_lss=True).values("pseudonym")
    ).values_list("person_pseudonym", "last_entry_on"):
        sol_part_culled_up_to[pseudonym] = max(last, sol_part_culled_up_to.get(pseudonym, last))
    rule = culling_rule(Act.SOL, today)
    found = []
    rows = qs.values_list(
        "pk",
        "pseudonym",
        "district_id",
        "birth_date",
        "last_entry",
        "created_at",
        "has_sol",
        "has_lss",
    )
    for pk, pseudonym, district, birth_date, last_entry, created, has_sol, has_lss in rows.iterator(
        2000
    ):
        acts = {a for a, present in ((Act.SOL, has_sol), (Act.LSS, has_lss)) if present}
        scope = culling_scope(acts)
        if scope is None or is_kept_for_research(birth_date):
            continue
        if isinstance(last_entry, str):  # SQLite may hand back Greatest() as text
            last_entry = date.fromisoformat(last_entry[:10])
        if last_entry is None or last_entry == NO_ENTRY:
            last_entry = created.date()
        eligible = culling_eligible_from(last_entry)
        if eligible > today:
            continue
        if scope == Scope.SOL_PART and sol_part_culled_up_to.get(pseudonym, NO_ENTRY) >= last_entry:
            continue
        found.append(
            CullingCandidate(
                person_id=pk,
                pseudonym=pseudonym,
                district_id=district,
                last_entry_on=last_entry,
                eligible_from=eligible,
                due_by=culling_due_by(last_entry, birth_date),
                scope=scope,
                rule_reference=rule.reference,
            )
        )
    return sorted(found, key=lambda c: (c.due_by, c.pseudonym))


def district_staff(*, district_id: int) -> QuerySet:
    """The active caseworkers and unit managers of a district: those a unit manager may name
    to see a protected person's address and contact details."""
    return User.objects.filter(
        is_active=True, role__in=(Role.CASEWORKER, Role.UNIT_MANAGER), district_id=district_id
    ).order_by("last_name", "first_name", "username")
