"""Writing the audit trail. Every service that changes state calls `audit_record` inside its own
transaction, so the change and its record commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from folja.audit.models import AccessLog, AuditEvent


def audit_record(
    *,
    user,
    action: str,
    obj: Any,
    person=None,
    details: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(),
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "")),
        person_pseudonym=person.pseudonym if person is not None else "",
        details=details or {},
    )


def log_access(*, user, person, what: str, path: str = "") -> AccessLog:
    """Record that `user` read `what` of `person`. Called by every view, API endpoint and
    command that shows personal data."""
    in_caseload = True
    if getattr(user, "district_id", None) is not None:
        in_caseload = user.district_id == person.district_id
    return AccessLog.objects.create(
        at=timezone.now(),
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        role=getattr(user, "role", "") or "",
        person=person,
        person_pseudonym=person.pseudonym,
        person_district_id=person.district_id,
        protected=person.has_protected_identity,
        in_caseload=in_caseload,
        what=what,
        path=path[:300],
    )


def log_access_many(*, user, persons, what: str, path: str = "") -> None:
    """One row per person for list views (a caseload search reads many persons at once)."""
    now = timezone.now()
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                at=now,
                user=user if getattr(user, "pk", None) else None,
                username=getattr(user, "username", "") or "system",
                role=getattr(user, "role", "") or "",
                person=p,
                person_pseudonym=p.pseudonym,
                person_district_id=p.district_id,
                protected=p.has_protected_identity,
                in_caseload=getattr(user, "district_id", None) in (None, p.district_id),
                what=what,
                path=path[:300],
            )
            for p in persons
        ]
    )


@transaction.atomic
def access_log_exported(*, user, since, until, rows: int) -> AuditEvent:
    """The export of the access log is itself recorded: who took which period out."""
    return audit_record(
        user=user,
        action="access_log_exported",
        obj=user,
        details={"since": since.isoformat(), "until": until.isoformat(), "rows": rows},
    )
