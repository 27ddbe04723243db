"""Writes of the reports app: the record of a statutory file written (with its audit record and
the access-log rows of the persons it names), and the import of LSS supplements."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import transaction

from folja.audit.services import audit_record, log_access_many
from folja.core import clock
from folja.reports.models import StatutoryFile


@transaction.atomic
def statutory_file_record(
    *,
    user=None,
    kind: str,
    period: str,
    data: bytes,
    records: int,
    person_ids: Iterable[int],
    path: str = "",
) -> StatutoryFile:
    """Record that the file was produced: a StatutoryFile row and its audit record, and one
    access-log row per person the file names (a statutory file reads every one of them)."""
    from folja.people.models import Person

    ids = set(person_ids)
    row = StatutoryFile.objects.create(
        kind=kind,
        period=period,
        records=records,
        persons=len(ids),
        sha256=hashlib.sha256(data).hexdigest(),
        written_at=clock.now(),
    )
    event = audit_record(
        user=user,
        action="statutory_file_written",
        obj=row,
        details={"kind": kind, "period": period, "records": records, "sha256": row.sha256},
    )
    row.written_by = event.username  # who ran the command (--as), as the audit log says
    row.save(update_fields=["written_by"])
    persons = Person.objects.filter(pk__in=ids).only(
        "pk", "pseudonym", "district_id", "protected_identity"
    )
    log_access_many(user=user, persons=persons, what=f"statutory:{kind}", path=path)
    return row
