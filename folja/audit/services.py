"""Writing the audit trail. Every service that changes state calls `audit_record` inside its own
transaction, so the change and its record commit or roll back together."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from folja.audit.models import AccessLog, AuditEvent
from folja.core import clock


@dataclass(frozen=True)
class OperatingSystemUser:
    """Who ran a command, when no Följa user was named (`--as`): the account on the server.
    It looks like a user without a login to the services (no key, no role, no district)."""

    name: str

    pk = None
    role = ""
    district_id = None
    provider_id = None
    is_active = True
    is_authenticated = True

    @property
    def username(self) -> str:
        return f"cli:{self.name}"


@dataclass(frozen=True)
class CliActor:
    os_user: str
    user: Any  # the Följa user named by `--as`, or the OperatingSystemUser

    @property
    def recorded_as(self):
        return self.user


_cli_actor: ContextVar[CliActor | None] = ContextVar("folja_cli_actor", default=None)


def operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name in the environment and no passwd entry (a bare container).
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


@contextmanager
def cli_actor(options: dict[str, Any]) -> Iterator[CliActor]:
    """While a command runs, every audit record and access-log row a service writes without a
    user of its own names who ran the command: the Följa user given as `--as USER` (an active
    user, else a field error), or the operating-system user. Services keep their own `user`
    argument: a record that names a user (an approving administrator) keeps that user, and the
    operating-system user is added to its details either way."""
    from django.contrib.auth import get_user_model  # the accounts app sits above audit

    os_user = operating_system_user()
    username = options.get("as_user")
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            message = _("Det finns ingen aktiv användare med namnet %(name)s.") % {"name": username}
            raise CommandError(f"as, unknown_user: {message}", returncode=2)
    else:
        user = OperatingSystemUser(os_user)
    actor = CliActor(os_user=os_user, user=user)
    token = _cli_actor.set(actor)
    try:
        yield actor
    finally:
        _cli_actor.reset(token)


# Set only while the demo seed replays history through the services (`users_unlinked`).
_unlinked: ContextVar[bool] = ContextVar("folja_audit_users_unlinked", default=False)


@contextmanager
def users_unlinked() -> Iterator[None]:
    """Inside, audit records name the acting user by username only, with no link to the user
    row, and say they were seeded. The demo seed writes its history through the services, as
    those users; `seed --replace` deletes the synthetic users again, which would have to clear
    the link in an append-only trail that refuses every UPDATE."""
    token = _unlinked.set(True)
    try:
        yield
    finally:
        _unlinked.reset(token)


def _recorded_user(user):
    """`user`, or, for a write without one inside a command, who ran the command."""
    if getattr(user, "pk", None) or getattr(user, "username", ""):
        return user
    actor = _cli_actor.get()
    return actor.recorded_as if actor is not None else user


def audit_record(
    *,
    user,
    action: str,
    obj: Any,
    person=None,
    details: dict | None = None,
) -> AuditEvent:
    user = _recorded_user(user)
    details = dict(details or {})
    actor = _cli_actor.get()
    if actor is not None:
        details.setdefault("cli_os_user", actor.os_user)
    unlinked = _unlinked.get()
    if unlinked:
        details["seeded"] = True
    return AuditEvent.objects.create(
        at=clock.now(),
        user=user if getattr(user, "pk", None) and not unlinked else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "")),
        person_pseudonym=person.pseudonym if person is not None else "",
        details=details,
    )


# Column and PostgreSQL array type of each value an access-log row holds.
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


def _access_row(*, user, person, what: str, path: str, at, in_caseload: bool | None) -> dict:
    """What one access-log row holds: the one definition every way of logging uses. A user
    without a district (analyst, administrator, provider, the system) reads in caseload unless
    the caller says otherwise: only the caller knows that what it shows lies outside the
    user's scope (an analyst or administrator reading persons in a payment specification), and
    such a read must reach the review's outside-caseload list."""
    user = _recorded_user(user)
    district = getattr(user, "district_id", None)
    if in_caseload is None:
        in_caseload = district in (None, person.district_id)
    return {
        "at": at,
        "user_id": getattr(user, "pk", None),
        "username": getattr(user, "username", "") or "system",
        "role": getattr(user, "role", "") or "",
        "person_id": person.pk,
        "person_pseudonym": person.pseudonym,
        "person_district_id": person.district_id,
        "protected": person.has_protected_identity,
        "in_caseload": in_caseload,
        "what": what,
        "path": path[:300],
    }


def log_access(
    *, user, person, what: str, path: str = "", in_caseload: bool | None = None
) -> AccessLog:
    """Record that `user` read `what` of `person`. Called by every view, API endpoint and
    command that shows personal data. `in_caseload` None: decided from the user's district."""
    return AccessLog.objects.create(
        **_access_row(
            user=user,
            person=person,
            what=what,
            path=path,
            at=clock.now(),
            in_caseload=in_caseload,
        )
    )


def log_access_many(
    *, user, persons, what: str, path: str = "", in_caseload: bool | None = None
) -> None:
    """One row per person for list views (a caseload search reads many persons at once)."""
    at = clock.now()
    rows = [
        _access_row(user=user, person=p, what=what, path=path, at=at, in_caseload=in_caseload)
        for p in persons
    ]
    if not rows:
        return
    if connection.vendor == "postgresql":
        _insert_access_rows_postgresql(rows)
    else:
        AccessLog.objects.bulk_create([AccessLog(**row) for row in rows])


def _insert_access_rows_postgresql(rows: list[dict]) -> None:
    """The rows as one INSERT … SELECT FROM unnest(arrays), each column one array parameter.
    Every list page logs a page of persons, and preparing 50 model instances field by field
    for bulk_create cost a quarter of such a page."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name, _ in _ACCESS_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in _ACCESS_COLUMNS)
    # Only the model's own table and column names are put into the text; values are parameters.
    sql = f"INSERT INTO {quote(AccessLog._meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [[row[name] for row in rows] for name, _ in _ACCESS_COLUMNS])


@transaction.atomic
def access_log_exported(*, user, since, until, rows: int) -> AuditEvent:
    """The export of the access log is itself recorded: who took which period out."""
    return audit_record(
        user=user,
        action="access_log_exported",
        obj=user,
        details={"since": since.isoformat(), "until": until.isoformat(), "rows": rows},
    )
