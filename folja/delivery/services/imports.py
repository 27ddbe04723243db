"""The all-or-nothing bulk import of sessions (CSV or JSON): every row validated before
anything is stored, re-sent `external_id`s idempotent, verification in memory, stored fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models.base import ModelState

from folja.audit.services import audit_record
from folja.cases.services_followup import flagged_session_tasks_raise
from folja.core import clock
from folja.delivery.bulk import insert_sessions, update_sessions
from folja.delivery.models import Session, SessionStatus
from folja.delivery.services.common import (
    CONTEXT_FLAGS,
    DUPLICATE,
    GuidelineCache,
    context_flags,
    order_covers,
    session_time_errors,
)
from folja.ledger.bridge import VERIFICATION_FIELDS, rate_table, verify_chunk
from folja.ledger.changed import person_figures_changed
from folja.ledger.guidelines import guideline_schedule
from folja.people.models import Person
from folja.providers.models import Escort, Order, OrderStatus, Provider
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

IMPORT_COLUMNS = (
    "external_id",
    "personnummer",
    "order_id",
    "escort_id",
    "start",
    "end",
    "status",
    "cancelled_at",
    "escorts",
)
IMPORT_STATUSES = tuple(s for s in SessionStatus.values)


@dataclass
class RowError:
    row: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


class ImportRejected(Exception):
    """The file had at least one invalid row; nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: list[dict[str, Any]] = field(default_factory=list)


def parse_local_datetime(value: Any) -> datetime:
    """`YYYY-MM-DDTHH:MM` (or with a space, or with `:00` seconds), local wall-clock time."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if not isinstance(value, str):
        raise ValueError("not text")
    text = value.strip()
    if len(text) not in (16, 19) or text[10] not in "T " or text[4] != "-" or text[7] != "-":
        raise ValueError("format")
    if text[13] != ":" or (len(text) == 19 and text[16:] != ":00"):
        raise ValueError("seconds")
    if not text.isascii():
        raise ValueError("digits")
    # The separators are checked above, so fromisoformat (C, ten times faster than building
    # the datetime from slices) only reads digits; it refuses anything else.
    return datetime.fromisoformat(text[:16])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _int_or_none(value: Any) -> int | None:
    text = _text(value)
    if text == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not text.isdigit() or len(text) > 18:
        raise ValueError
    return int(text)


@dataclass
class _Row:
    index: int
    external_id: str
    person_id: int
    order: Order | None
    escort_id: int | None
    start: datetime
    end: datetime
    status: str
    cancelled_at: datetime | None
    escorts: int


class _ImportContext:
    """Everything validation needs, fetched once: the provider's orders (with decisions), its
    escorts, the persons its orders concern, and its sessions already reported."""

    def __init__(self, provider: Provider) -> None:
        orders = list(
            Order.objects.filter(provider=provider)
            .exclude(status=OrderStatus.DRAFT)
            .select_related("decision")
        )
        self.orders = {o.pk: o for o in orders}
        self.orders_by_person: dict[int, list[Order]] = {}
        for o in orders:
            self.orders_by_person.setdefault(o.person_id, []).append(o)
        self.persons = dict(
            Person.objects.filter(pk__in=self.orders_by_person).values_list("personnummer", "pk")
        )
        self.escorts = set(Escort.objects.filter(provider=provider).values_list("pk", flat=True))
        self.guidelines = GuidelineCache()

    def covering_order(self, person_id: int, day: date) -> Order | None:
        for order in self.orders_by_person.get(person_id, []):
            if order_covers(order, day):
                return order
        return None


def _validate_rows(
    rows: list[dict[str, Any]], ctx: _ImportContext, now: datetime
) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    valid: list[_Row] = []
    seen_ids: dict[str, int] = {}
    pnr_cache: dict[str, str | InvalidPersonnummer] = {}
    for index, raw in enumerate(rows, start=1):
        row_errors: list[RowError] = []

        def err(field_name: str, code: str, message: str, _e=row_errors, _i=index) -> None:
            _e.append(RowError(_i, field_name, code, message))

        if not isinstance(raw, dict):
            errors.append(RowError(index, "row", "invalid", "row must be an object"))
            continue
        unknown = set(raw) - set(IMPORT_COLUMNS)
        for name in sorted(unknown, key=str)[:3]:
            err(str(name)[:40], "unknown_column", "column is not part of the format")

        external_id = _text(raw.get("external_id"))
        if not external_id:
            err("external_id", "required", "external_id is required")
        elif len(external_id) > 80:
            err("external_id", "too_long", "external_id is at most 80 characters")
        elif external_id in seen_ids:
            err(
                "external_id",
                "duplicate_in_file",
                f"external_id also on row {seen_ids[external_id]}",
            )
        else:
            seen_ids[external_id] = index

        person_id = None
        pnr = _text(raw.get("personnummer"))
        if not pnr:
            err("personnummer", "required", "personnummer is required")
        else:
            # A file names each person on many rows: parse each written form once.
            normalized = pnr_cache.get(pnr)
            if normalized is None:
                try:
                    normalized = parse_personnummer(pnr).normalized
                except InvalidPersonnummer as exc:
                    normalized = exc
                pnr_cache[pnr] = normalized
            if isinstance(normalized, InvalidPersonnummer):
                err("personnummer", "invalid", str(normalized))
            else:
                person_id = ctx.persons.get(normalized)
                if person_id is None:
                    # The same answer whether or not the person exists elsewhere.
                    err("personnummer", "unknown_person", "no order for this person")

        order = None
        try:
            order_id = _int_or_none(raw.get("order_id"))
        except ValueError:
            err("order_id", "invalid", "order_id must be a whole number")
        else:
            if order_id is not None:
                order = ctx.orders.get(order_id)
                if order is None:
                    err("order_id", "unknown_order", "no such order for this provider")
                elif person_id is not None and order.person_id != person_id:
                    err("order_id", "order_person_mismatch", "the order is for another person")

        escort_id = None
        try:
            escort_id = _int_or_none(raw.get("escort_id"))
        except ValueError:
            err("escort_id", "invalid", "escort_id must be a whole number")
        else:
            if escort_id is not None and escort_id not in ctx.escorts:
                err("escort_id", "unknown_escort", "no such escort for this provider")

        start = end = cancelled_at = None
        for name in ("start", "end"):
            value = raw.get(name)
            if _text(value) == "":
                err(name, "required", f"{name} is required")
                continue
            try:
                parsed = parse_local_datetime(value)
            except ValueError:
                err(name, "invalid_datetime", "expected a local time YYYY-MM-DDTHH:MM")
                continue
            if name == "start":
                start = parsed
            else:
                end = parsed

        status = _text(raw.get("status"))
        if status not in IMPORT_STATUSES:
            err("status", "invalid_choice", f"status must be one of {', '.join(IMPORT_STATUSES)}")
        raw_cancelled = raw.get("cancelled_at")
        if _text(raw_cancelled):
            try:
                cancelled_at = parse_local_datetime(raw_cancelled)
            except ValueError:
                err("cancelled_at", "invalid_datetime", "expected a local time YYYY-MM-DDTHH:MM")
        elif status == SessionStatus.CANCELLED_BY_PERSON:
            err("cancelled_at", "required", "cancelled_at is required for cancelled_by_person")
        # The one check of a session's times that every door shares, against the import's
        # report time: the window, summer time, end after start, nothing executed or no-show
        # before it began, no cancellation made after the report.
        for problem in session_time_errors(
            now=now, start=start, end=end, status=status, cancelled_at=cancelled_at
        ):
            err(problem.field, problem.code, problem.message)

        escorts = 1
        try:
            given = _int_or_none(raw.get("escorts"))
        except ValueError:
            given = -1
        if given is not None:
            if given not in (1, 2):
                err("escorts", "invalid", "escorts must be 1 or 2")
            else:
                escorts = given

        if row_errors:
            errors.extend(row_errors)
            continue
        valid.append(
            _Row(
                index=index,
                external_id=external_id,
                person_id=person_id,
                order=order,
                escort_id=escort_id,
                start=start,
                end=end,
                status=status,
                cancelled_at=cancelled_at if status == SessionStatus.CANCELLED_BY_PERSON else None,
                escorts=escorts,
            )
        )
    return valid, errors


_COMPARED = (
    "person_id",
    "order_id",
    "escort_id",
    "start",
    "end",
    "status",
    "cancelled_at",
    "escorts",
)


# The advisory-lock namespace of session imports (a second key beside the provider's id).
IMPORT_LOCK_NAMESPACE = 0x464F4C4A  # "FOLJ"


def _one_import_at_a_time(*, provider_id: int) -> None:
    """Two identical files sent at once (a client retrying while its first request is still
    being stored) both saw none of their external ids stored and both inserted them: the
    second failed on the unique (provider, external_id) constraint with a 500. A provider's
    imports now take turns on a transaction-scoped advisory lock: the second waits until the
    first has committed, then finds every row stored and unchanged, the idempotent answer.
    (READ COMMITTED: each statement after the lock sees what the first committed.) SQLite
    already lets one writer at a time in."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [IMPORT_LOCK_NAMESPACE, provider_id % 2**31],
        )


@transaction.atomic
def sessions_import(
    *,
    user,
    provider: Provider,
    rows: list[dict[str, Any]],
    verify: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """All or nothing: every row is validated in memory first; any error raises
    `ImportRejected` with all of them and nothing is stored. A row whose `external_id` the
    provider already reported updates that session when it differs and is left alone when it
    is the same, so re-sending a file never duplicates (also while the first sending is still
    being stored: see `_one_import_at_a_time`). `progress`, when given, is told each stage
    the import reaches after validation: "verifying", then "storing"."""
    _one_import_at_a_time(provider_id=provider.pk)
    now = clock.now()  # the report time: the rows are validated against it and stamped with it
    ctx = _ImportContext(provider)
    valid, errors = _validate_rows(rows, ctx, now)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(rows=len(valid))
    if not valid:
        return result

    ext_ids = [r.external_id for r in valid]
    existing: dict[str, Session] = {}
    for i in range(0, len(ext_ids), 5000):
        for s in Session.objects.filter(provider=provider, external_id__in=ext_ids[i : i + 5000]):
            existing[s.external_id] = s
    for r in valid:
        s = existing.get(r.external_id)
        if s is not None and s.person_id != r.person_id:
            errors.append(
                RowError(
                    r.index,
                    "external_id",
                    "external_id_taken",
                    "external_id already used for another person",
                )
            )
    if errors:
        raise ImportRejected(errors)

    # Sessions already stored at the same times (for `duplicate`), keyed by person and times.
    person_ids = {r.person_id for r in valid}
    first = min(r.start for r in valid)
    last = max(r.start for r in valid)
    taken: dict[tuple[int, datetime, datetime], str] = {}
    for pid, start, end, ext, flags in Session.objects.filter(
        provider=provider, person_id__in=person_ids, start__gte=first, start__lte=last
    ).values_list("person_id", "start", "end", "external_id", "flags"):
        if DUPLICATE not in (flags or []):
            taken.setdefault((pid, start, end), ext)

    to_create: list[Session] = []
    to_update: list[Session] = []
    template = Session(
        provider=provider, reported_by=user if getattr(user, "pk", None) else None
    ).__dict__
    for r in valid:
        order = r.order or ctx.covering_order(r.person_id, r.start.date())
        values = {
            "person_id": r.person_id,
            "order_id": order.pk if order is not None else None,
            "escort_id": r.escort_id,
            "start": r.start,
            "end": r.end,
            "status": r.status,
            "cancelled_at": r.cancelled_at,
            "escorts": r.escorts,
        }
        current = existing.get(r.external_id)
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            result.unchanged += 1
            continue
        key = (r.person_id, r.start, r.end)
        owner = taken.get(key)
        duplicate = owner is not None and owner != r.external_id
        if owner is None:
            taken[key] = r.external_id
        reported_at = now if r.status != SessionStatus.BOOKED else None
        flags = context_flags(
            order=order,
            start=r.start,
            status=r.status,
            reported_at=reported_at,
            duplicate=duplicate,
            guidelines=ctx.guidelines,
        )
        if current is None:
            to_create.append(
                _new_session(
                    template,
                    external_id=r.external_id,
                    reported_at=reported_at,
                    flags=flags,
                    **values,
                )
            )
        else:
            for k, v in values.items():
                setattr(current, k, v)
            current.reported_at = reported_at
            current.flags = flags + [f for f in current.flags or [] if f not in CONTEXT_FLAGS]
            to_update.append(current)
    result.created = len(to_create)
    result.updated = len(to_update)
    if to_create:
        for session, pk in zip(to_create, _reserve_ids(len(to_create)), strict=True):
            session.pk = session.id = pk
    changed: list[Session] = []
    verified: dict[int, list[Session]] = {}
    evaluations: dict = {}
    if verify and (to_create or to_update):
        if progress is not None:
            progress("verifying")
        changed = _verify_in_memory(to_create, to_update, verified, evaluations)
    if progress is not None:
        progress("storing")
    insert_sessions(to_create)
    written = {s.pk for s in (*to_update, *to_create)}
    update_sessions(
        [*to_update, *(s for s in changed if s.pk not in written)],
        [*_COMPARED, "reported_at", "flags", *VERIFICATION_FIELDS],
    )
    # Verified just now, in memory: the one path refreshes the roll-up from these rows.
    touched = sorted({s.person_id for s in (*to_create, *to_update, *changed)})
    person_figures_changed(person_ids=touched, verified=verified, evaluations=evaluations)
    # Sessions the verification flagged for the caseworker reach the work list now.
    flagged_session_tasks_raise(person_ids=touched, user=user)
    audit_record(
        user=user,
        action="session.import",
        obj=provider,
        details={
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    final = {**existing, **{x.external_id: x for x in (*to_create, *to_update)}}
    changed_by_pk = {x.pk: x for x in changed}
    result.flagged = []
    for r in valid:
        session = final[r.external_id]
        session = changed_by_pk.get(session.pk, session)
        if session.flags and len(result.flagged) < 1000:
            result.flagged.append(
                {"external_id": r.external_id, "id": session.pk, "flags": list(session.flags)}
            )
    return result


# --- storing an import fast --------------------------------------------------------------------


def _new_session(template: dict[str, Any], **values: Any) -> Session:
    """A new unsaved Session from a template instance's attributes: Model.__init__ costs more
    per row than the rest of an import's validation, and 100,000 rows add up."""
    session = Session.__new__(Session)
    session.__dict__.update(template)
    session._state = ModelState()
    session.band_minutes = {}  # never share the template's mutable default
    session.__dict__.update(values)
    return session


def _reserve_ids(n: int) -> list[int]:
    """Primary keys for `n` new sessions before they are inserted, so the rules engine can
    verify them in memory (it names sessions by id) and they are inserted once, complete."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence('delivery_session', 'id')) "
                "FROM generate_series(1, %s)",
                [n],
            )
            return [row[0] for row in cur.fetchall()]
        # SQLite: the import's transaction holds the database's write lock from here on.
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM delivery_session")
        top = cur.fetchone()[0]
    return list(range(top + 1, top + 1 + n))


def _verify_in_memory(
    new: list[Session],
    updated: list[Session],
    rows_out: dict[int, list[Session]],
    evaluations_out: dict,
) -> list[Session]:
    """Run the rules engine over every touched person with the imported rows in place (the
    bridge's `verify_chunk`, as every bulk verification does), setting the results on the
    objects. Returns every session whose result changed; `rows_out` receives each person's
    sessions as verified and `evaluations_out` their evaluations, for the follow-up roll-up."""
    pending = [*updated, *new]
    person_ids = sorted({s.person_id for s in pending})
    guideline = guideline_schedule()
    rates = rate_table()
    regi = dict(Provider.objects.values_list("pk", "regi"))
    changed: list[Session] = []
    for i in range(0, len(person_ids), 1000):
        chunk = person_ids[i : i + 1000]
        chunk_set = set(chunk)
        changed += verify_chunk(
            chunk,
            guideline=guideline,
            rates=rates,
            regi_by_provider=regi,
            pending=[s for s in pending if s.person_id in chunk_set],
            # Stored rows that change are written with the import's columns too.
            whole_rows=True,
            rows_out=rows_out,
            evaluations_out=evaluations_out,
        )
    return changed
