"""The one way a work-list task comes into being.

Every event that needs a caseworker (a claim, a costly-activity application, a provider-change
request, an e-application, a move or a death in the population register, a decision about to
expire or not carried out) calls `task_raise` in the same transaction as the write that made
the event, so a request can never exist without reaching the district, and every task gets an
owner: the person's caseworker, else the district's unit manager.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from folja.accounts.models import Role, User
from folja.audit.services import audit_record
from folja.cases.models import Application, Decision, Task
from folja.core import clock
from folja.people.models import Person

# A request from a person should be handled within two weeks (the work list sorts by due date).
REQUEST_DUE_DAYS = 14


def task_owners(*, district_id: int, person_ids: Iterable[int]) -> dict[int, User | None]:
    """Who new tasks of these persons (all of one district) go to, in a few queries.

    The person's caseworker is whoever last decided on them, else whoever holds their latest
    application, as long as that login is still an active caseworker of the person's district
    (a caseworker who moved on must not collect tasks nobody reads). Otherwise the district's
    unit manager, who distributes the work. None only when the district has neither."""
    person_ids = list(person_ids)
    caseworkers = {
        u.pk: u
        for u in User.objects.filter(is_active=True, role=Role.CASEWORKER, district_id=district_id)
    }
    owners: dict[int, User | None] = {}
    for model in (Decision, Application):
        rows = (
            model.objects.filter(person_id__in=person_ids, caseworker_id__in=list(caseworkers))
            .exclude(person_id__in=list(owners))
            .order_by("person_id", "-created_at", "-id")
            .values_list("person_id", "caseworker_id")
        )
        for person_id, caseworker_id in rows:
            owners.setdefault(person_id, caseworkers[caseworker_id])
    manager = (
        User.objects.filter(is_active=True, role=Role.UNIT_MANAGER, district_id=district_id)
        .order_by("id")
        .first()
    )
    return {pid: owners.get(pid, manager) for pid in person_ids}


def task_owner(*, person: Person) -> User | None:
    """Who a new task of `person` goes to (`task_owners` for one person)."""
    return task_owners(district_id=person.district_id, person_ids=[person.pk])[person.pk]


@transaction.atomic
def task_raise(
    *,
    kind: str,
    person: Person,
    subject: str,
    details: dict | None = None,
    due_on: date | None = None,
    user=None,
    owner: User | None = None,
) -> Task:
    """Open the task for (person, kind, subject), once: raising it again returns the same task
    (open or closed), so an event seen twice, or a periodic job run twice, adds nothing.

    `subject` names what the task is about ("expense_claim:12"); `details` is shown on the
    task. `due_on` defaults to two weeks from today. `owner` is the resolved owner when the
    caller has already resolved it for many persons at once (`task_owners`)."""
    existing = Task.objects.filter(person=person, kind=kind, subject=subject).first()
    if existing is not None:
        return existing
    if owner is None:
        owner = task_owner(person=person)
    task = Task.objects.create(
        person=person,
        district_id=person.district_id,
        kind=kind,
        subject=subject,
        details=details or {},
        due_on=due_on if due_on is not None else clock.today() + timedelta(days=REQUEST_DUE_DAYS),
        assigned_to=owner,
    )
    audit_record(
        user=user,
        action="task.create",
        obj=task,
        person=person,
        details={"kind": kind, "subject": subject, "assigned_to": owner.pk if owner else None},
    )
    return task
