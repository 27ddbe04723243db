"""Inserting many rows at once. On PostgreSQL through COPY: for tens of thousands of rows,
building and parsing one huge INSERT … VALUES statement costs more than the database's own
work. Elsewhere (SQLite) Django's bulk_create."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection, models


def copy_insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved `objects` of `model`. Ids already set are written; otherwise the
    database assigns them and the objects' `pk` stay None (the callers do not need them).
    `auto_now`/`auto_now_add` fields are filled as `save()` would."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)
    ]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    names = [f.attname for f in fields]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cur:
        raw = cur.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for obj in objects:
                for f in stamped:
                    if getattr(obj, f.attname) is None or f.auto_now:
                        f.pre_save(obj, add=True)
                values = obj.__dict__
                # Python values straight into COPY's text format (psycopg dumps int, str,
                # Decimal, date and datetime itself); JSON columns as JSON text.
                copy.write_row(
                    [json.dumps(values[n]) if n in json_fields else values[n] for n in names]
                )
