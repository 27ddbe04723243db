"""Importing a population-register file (Navet, docs/navet.md): all or nothing.

Each post updates the person with that number, where the importer may see them (the web
upload: the district's persons; the command: every person). Posts for persons not in Följa are
counted and left alone: a municipality's register notices cover everyone, not only the persons
who have escort services. Three events reach the district's work list as tasks:

- a move out of the municipality (another municipality's code, or emigration): the district's
  responsibility ends, which is the caseworker's call to act on;
- a death: the open decisions end on the day of death, their orders end, and the figures change
  through the ledger's one path;
- a new protection marking: it hides address and contact at once (the person page reads the
  marking on each request), and the unit manager must name who may still see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from folja.audit.services import audit_record
from folja.cases.models import Decision, TaskKind
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.ledger.changed import person_figures_changed
from folja.ledger.decisions import granting_decisions
from folja.people.models import Person, ProtectedIdentity
from folja.people.navet import DEATH, EMIGRATED, NavetFile, NavetPost, parse_navet
from folja.providers.models import Order, OrderStatus

# Term -> the person's field it sets (a term present with an empty value clears the field).
NAME_AND_ADDRESS = {
    "FORNAMN": "first_name",
    "EFTERNAMN": "last_name",
    "UTDELNINGSADRESS": "address",
    "POSTNUMMER": "postal_code",
    "POSTORT": "city",
}
OPEN_ORDER = (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.ACCEPTED)


@dataclass
class NavetResult:
    posts: int = 0
    updated: int = 0
    unchanged: int = 0
    not_found: int = 0
    moved_out: list[int] = field(default_factory=list)
    deceased: list[int] = field(default_factory=list)
    newly_protected: list[int] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)


def _protection(post: NavetPost, current: str) -> str:
    """The marking the register gives. Skyddad folkbokföring is the stronger of the two.
    Fictitious identity (fingerade personuppgifter) is not a register marking: the register
    shows the fictitious identity itself, so it is kept as the caseworker recorded it."""
    if not (post.has("SEKRETESSMARKERING") or post.has("SKYDDAD_FOLKBOKFORING")):
        return current
    if post.terms.get("SKYDDAD_FOLKBOKFORING") == "J":
        return ProtectedIdentity.PROTECTED_REGISTRATION
    if post.terms.get("SEKRETESSMARKERING") == "J":
        return ProtectedIdentity.CONFIDENTIALITY_MARK
    if current == ProtectedIdentity.FICTITIOUS:
        return current
    return ProtectedIdentity.NONE


def _moved_out_on(post: NavetPost, navet: NavetFile) -> date | None:
    if post.deregistration == EMIGRATED:
        return post.deregistered_on
    code = post.terms.get("KOMMUNKOD")
    if code and code != navet.municipality:
        return post.registered_on or navet.created_on
    return None


def _raise(*, person: Person, kind: str, subject: str, details: dict, user) -> int:
    """The import's one way to a task (owner: the person's caseworker, else the unit manager)."""
    return task_raise(
        kind=kind, person=person, subject=f"navet:{subject}", details=details, user=user
    ).pk


def _end_on_death(*, person: Person, died_on: date, user) -> dict:
    """End what is open for a person who has died: each decision granting time after the day
    of death ends on that day, and each open order ends. A decision that would only start
    after the death is left for the caseworker (it cannot end before it starts), and named
    on the task."""
    decisions = granting_decisions(Decision.objects.filter(person=person, valid_to__gt=died_on))
    ended, later = [], []
    for decision in decisions.select_for_update():
        if decision.valid_from > died_on:
            later.append(decision.pk)
            continue
        decision.valid_to = died_on
        decision.save(update_fields=["valid_to"])
        ended.append(decision.pk)
    orders = list(Order.objects.filter(person=person, status__in=OPEN_ORDER).select_for_update())
    for order in orders:
        order.status = OrderStatus.ENDED
        order.ended_on = died_on
        order.save(update_fields=["status", "ended_on"])
    audit_record(
        user=user,
        action="file_closed_on_death",
        obj=person,
        person=person,
        details={
            "died_on": died_on.isoformat(),
            "decisions_ended": ended,
            "orders_ended": [o.pk for o in orders],
            "decisions_starting_later": later,
        },
    )
    return {"decisions_ended": ended, "orders_ended": [o.pk for o in orders], "later": later}


def _apply(post: NavetPost, person: Person, navet: NavetFile, result: NavetResult, user) -> None:
    changed: list[str] = []
    for term, name in NAME_AND_ADDRESS.items():
        if post.has(term) and getattr(person, name) != post.terms[term]:
            setattr(person, name, post.terms[term])
            changed.append(name)
    was_protected = person.has_protected_identity
    marking = _protection(post, person.protected_identity)
    if marking != person.protected_identity:
        person.protected_identity = marking
        changed.append("protected_identity")
    moved_on = _moved_out_on(post, navet)
    if moved_on is not None and person.moved_out_on != moved_on:
        person.moved_out_on = moved_on
        changed.append("moved_out_on")
    died_on = post.deregistered_on if post.deregistration == DEATH else None
    newly_dead = died_on is not None and person.deceased_on != died_on
    if newly_dead:
        person.deceased_on = died_on
        changed.append("deceased_on")
    if not changed:
        result.unchanged += 1
        return
    person.last_entry_on = clock.today()
    person.save()
    result.updated += 1
    audit_record(
        user=user,
        action="person_updated_from_navet",
        obj=person,
        person=person,
        details={"fields": changed, "post": post.row},
    )
    if person.has_protected_identity and not was_protected:
        result.newly_protected.append(person.pk)
        result.tasks.append(
            _raise(
                person=person,
                kind=TaskKind.PROTECTION,
                subject=f"protection:{marking}",
                details={"marking": marking},
                user=user,
            )
        )
    if "moved_out_on" in changed:
        result.moved_out.append(person.pk)
        result.tasks.append(
            _raise(
                person=person,
                kind=TaskKind.MOVED_OUT,
                subject=f"moved_out:{moved_on.isoformat()}",
                details={
                    "moved_out_on": moved_on.isoformat(),
                    "municipality": post.terms.get("KOMMUNKOD", ""),
                    "emigrated": post.deregistration == EMIGRATED,
                },
                user=user,
            )
        )
    if newly_dead:
        closed = _end_on_death(person=person, died_on=died_on, user=user)
        result.deceased.append(person.pk)
        result.tasks.append(
            _raise(
                person=person,
                kind=TaskKind.DEATH,
                subject=f"death:{died_on.isoformat()}",
                details={"died_on": died_on.isoformat(), **closed},
                user=user,
            )
        )


@transaction.atomic
def navet_import(*, text: str, user, persons: QuerySet[Person]) -> NavetResult:
    """Check the whole file, then apply it in one transaction. `persons` is the importer's
    scope (`Person.objects.visible_to(user)` for the web upload). Raises `NavetRejected` with
    every row error, having changed nothing. Importing the same file again changes nothing."""
    navet = parse_navet(text, today=clock.today())
    result = NavetResult(posts=len(navet.posts))
    numbers = [p.personnummer for p in navet.posts]
    found = {
        p.personnummer: p
        for p in persons.filter(personnummer__in=numbers, culled_at__isnull=True)
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    for post in navet.posts:
        person = found.get(post.personnummer)
        if person is None:
            result.not_found += 1
            continue
        _apply(post, person, navet, result, user)
    audit_record(
        user=user,
        action="navet_imported",
        obj=navet,
        details={
            "municipality": navet.municipality,
            "created_on": navet.created_on.isoformat(),
            "posts": result.posts,
            "updated": result.updated,
            "not_found": result.not_found,
            "moved_out": len(result.moved_out),
            "deceased": len(result.deceased),
            "newly_protected": len(result.newly_protected),
        },
    )
    if result.deceased:
        # Decisions ended on the day of death: the ledger's one path re-verifies the sessions
        # and refreshes the follow-up for exactly these persons.
        person_figures_changed(person_ids=sorted(result.deceased))
    return result
