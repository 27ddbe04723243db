"""Writing the audit trail. Every service that changes state calls `audit_record` inside its own
transaction, so the change and its record commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
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
    persons = list(persons)
    if not persons:
        return
    if connection.vendor == "postgresql":
        _insert_access_rows_postgresql(user=user, persons=persons, what=what, path=path)
        return
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


# Column and PostgreSQL array type of each logged value, in the order the rows are built.
_ACCESS_COLUMNS = (
    ("at", "timestamp"),
    ("user_id", "bigint"),
    ("username", "text"),
    ("role", "text"),
    ("person_id", "bigint"),
    ("person_pseudonym", "text"),
    ("person_district_id", "bigint"),
    ("protected", "boolean"),
    ("in_caseload", "boolean"),
    ("what", "text"),
    ("path", "text"),
)


def _insert_access_rows_postgresql(*, user, persons: list, what: str, path: str) -> None:
    """The same rows as the bulk_create above, as one INSERT … SELECT FROM unnest(arrays).
    Every list page logs a page of persons, and preparing 50 model instances field by field
    cost a quarter of such a page; here each column is one array parameter."""
    count = len(persons)
    district = getattr(user, "district_id", None)
    columns = (
        [timezone.now()] * count,
        [getattr(user, "pk", None)] * count,
        [getattr(user, "username", "") or "system"] * count,
        [getattr(user, "role", "") or ""] * count,
        [p.pk for p in persons],
        [p.pseudonym for p in persons],
        [p.district_id for p in persons],
        [p.has_protected_identity for p in persons],
        [district in (None, p.district_id) for p in persons],
        [what] * count,
        [path[:300]] * count,
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name, _ in _ACCESS_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in _ACCESS_COLUMNS)
    # Only the model's own table and column names are put into the text; values are parameters.
    sql = f"INSERT INTO {quote(AccessLog._meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in columns])


@transaction.atomic
def access_log_exported(*, user, since, until, rows: int) -> AuditEvent:
    """The export of the access log is itself recorded: who took which period out."""
    return audit_record(
        user=user,
        action="access_log_exported",
        obj=user,
        details={"since": since.isoformat(), "until": until.isoformat(), "rows": rows},
    )
