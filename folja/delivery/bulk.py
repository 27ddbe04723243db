"""Writing many sessions at once (imports, bulk verification, seeding): PostgreSQL COPY and
UPDATE … FROM (VALUES …) where available, Django's bulk operations on SQLite."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import connection

from folja.core.bulk import copy_insert
from folja.delivery.models import Session


def update_sessions(rows: list[Session], fields: list[str]) -> None:
    """Write `fields` of many sessions. On PostgreSQL one UPDATE … FROM (VALUES …) per batch:
    Django's bulk_update builds a CASE per field and row, far too slow for an import."""
    if not rows:
        return
    fields = list(dict.fromkeys(fields))
    if connection.vendor != "postgresql":
        Session.objects.bulk_update(rows, fields, batch_size=500)
        return
    model_fields = [Session._meta.get_field(name) for name in fields]
    columns = [f.column for f in model_fields]
    casts = [f.db_type(connection) for f in model_fields]
    sets = ", ".join(
        f'"{col}" = v."{col}"::{cast}' for col, cast in zip(columns, casts, strict=True)
    )
    names = ", ".join(f'"{col}"' for col in ["id", *columns])
    with connection.cursor() as cur:
        for i in range(0, len(rows), 2000):
            batch = rows[i : i + 2000]
            values = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(batch))
            params: list[Any] = []
            for s in batch:
                params.append(s.pk)
                for f in model_fields:
                    value = f.get_db_prep_save(getattr(s, f.attname), connection)
                    # Every value goes as text and is cast back by column type, so the
                    # VALUES list has one type per column whatever None-s it holds.
                    params.append(None if value is None else as_text(value))
            cur.execute(
                f"UPDATE delivery_session AS s SET {sets} "  # noqa: S608 - names from the model
                f"FROM (VALUES {values}) AS v({names}) WHERE s.id = v.id::bigint",
                params,
            )


def insert_sessions(rows: list[Session]) -> None:
    """Insert new sessions (ids already set), through COPY on PostgreSQL."""
    copy_insert(Session, rows)


def as_text(value: Any) -> str:
    if hasattr(value, "obj"):  # psycopg's Jsonb wrapper
        return json.dumps(value.obj)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)
