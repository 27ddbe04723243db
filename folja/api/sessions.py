"""Sessions: report, cancel, list, get, and the all-or-nothing bulk import."""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from folja.api.auth import actor
from folja.api.schemas import (
    MAX_ID,
    CancelIn,
    Errors,
    Id,
    ImportOut,
    IsoDate,
    RowErrors,
    SessionIn,
    SessionOut,
    SessionPage,
)
from folja.api.serialize import session_dict
from folja.audit.services import log_access, log_access_many
from folja.delivery.models import Session
from folja.delivery.services import (
    IMPORT_FORMAT_TEXT,
    DeliveryError,
    ImportRejected,
    RowError,
    import_rows_from_csv,
    parse_local_datetime,
    session_cancel,
    session_report,
    sessions_import,
)
from folja.people.models import Person
from folja.providers.models import Escort, Order
from folja.providers.selectors import current_rules_guideline
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

router = Router()


def _sessions(request: HttpRequest):
    return Session.objects.visible_to(actor(request)).select_related("person")


def _error(field: str, code: str, message: str) -> dict:
    return {"errors": [{"field": field, "code": code, "message": message}]}


def _time(value: str | None, field: str):
    try:
        return parse_local_datetime(value)
    except ValueError:
        raise DeliveryError(field, "invalid_datetime", "expected YYYY-MM-DDTHH:MM") from None


@router.get("", response={200: SessionPage, 422: Errors}, summary="List sessions")
def list_sessions(
    request: HttpRequest,
    start_from: Query[IsoDate | None] = None,
    start_to: Query[IsoDate | None] = None,
    status: Query[str | None] = None,
    limit: Query[int] = 100,
    offset: Query[int] = 0,
):
    if not 1 <= limit <= 1000:
        return 422, _error("limit", "out_of_range", "limit is 1..1000")
    if not 0 <= offset <= MAX_ID:
        return 422, _error("offset", "out_of_range", "offset must not be negative")
    qs = _sessions(request)
    if start_from:
        qs = qs.filter(start__date__gte=start_from)
    if start_to:
        qs = qs.filter(start__date__lte=start_to)
    if status:
        qs = qs.filter(status=status[:30])
    count = qs.count()
    page = list(qs.order_by("start", "id")[offset : offset + limit])
    log_access_many(
        user=actor(request),
        persons={s.person_id: s.person for s in page}.values(),
        what="api: sessions",
        path=request.path,
    )
    guideline = current_rules_guideline()
    return {"count": count, "items": [session_dict(s, guideline) for s in page]}


_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRow"}}
            },
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": IMPORT_FORMAT_TEXT,
                }
            },
        },
    }
}


def _read_rows(request: HttpRequest) -> list:
    content_type = (request.content_type or "").lower()
    if "csv" in content_type or "text/plain" in content_type:
        # The one reader of every import: encoding and separator detected, Swedish Excel's
        # files (Windows-1252 or UTF-8 with BOM, semicolons) as well as plain UTF-8 CSV.
        return import_rows_from_csv(request.body).rows
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([RowError(0, "file", "encoding", "the file must be UTF-8")]) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ImportRejected([RowError(0, "file", "invalid_json", str(exc)[:200])]) from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise ImportRejected([RowError(0, "file", "invalid", "expected a list of rows")])
    return data


@router.post(
    "/import",
    response={200: ImportOut, 422: RowErrors},
    summary="Bulk import (CSV or JSON), all or nothing",
    openapi_extra=_IMPORT_BODY,
)
def import_sessions(request: HttpRequest):
    who = actor(request)
    try:
        rows = _read_rows(request)
        result = sessions_import(user=who, provider=who.provider, rows=rows)
    except ImportRejected as exc:
        return 422, {"errors": [e.as_dict() for e in exc.errors]}
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "flagged": result.flagged,
    }


@router.get("/{session_id}", response={200: SessionOut, 404: Errors, 422: Errors})
def get_session(request: HttpRequest, session_id: Path[Id]):
    session = get_object_or_404(_sessions(request), pk=session_id)
    log_access(user=actor(request), person=session.person, what="api: session", path=request.path)
    return session_dict(session)


@router.post(
    "",
    response={200: SessionOut, 201: SessionOut, 404: Errors, 422: Errors},
    summary="Report a session (idempotent on external_id)",
)
def report_session(request: HttpRequest, payload: SessionIn):
    who = actor(request)
    try:
        number = parse_personnummer(payload.personnummer).normalized
    except InvalidPersonnummer as exc:
        return 422, _error("personnummer", "invalid", str(exc))
    person = Person.objects.visible_to(who).filter(personnummer=number).first()
    if person is None:
        return 404, _error("personnummer", "not_found", "no order for this person")
    order = escort = None
    if payload.order_id is not None:
        order = (
            Order.objects.visible_to(who).select_related("decision").filter(pk=payload.order_id)
        ).first()
        if order is None:
            return 404, _error("order_id", "not_found", "no such order")
    if payload.escort_id is not None:
        escort = Escort.objects.visible_to(who).filter(pk=payload.escort_id).first()
        if escort is None:
            return 404, _error("escort_id", "not_found", "no such escort")
    existed = bool(payload.external_id) and (
        Session.objects.filter(provider=who.provider, external_id=payload.external_id).exists()
    )
    try:
        session = session_report(
            user=who,
            provider=who.provider,
            person=person,
            order=order,
            escort=escort,
            start=_time(payload.start, "start"),
            end=_time(payload.end, "end"),
            status=payload.status,
            cancelled_at=None
            if not payload.cancelled_at
            else _time(payload.cancelled_at, "cancelled_at"),
            escorts=payload.escorts,
            external_id=payload.external_id.strip(),
        )
    except DeliveryError as exc:
        return 422, {"errors": [exc.as_dict()]}
    log_access(user=who, person=person, what="api: session", path=request.path)
    return (200 if existed else 201), session_dict(session)


@router.post(
    "/{session_id}/cancel",
    response={200: SessionOut, 404: Errors, 422: Errors},
    summary="Cancel a session with a cause (person, no_show, provider)",
)
def cancel_session(request: HttpRequest, session_id: Path[Id], payload: CancelIn):
    session = get_object_or_404(_sessions(request), pk=session_id)
    try:
        session = session_cancel(
            user=actor(request),
            session=session,
            cause=payload.cause,
            cancelled_at=_time(payload.cancelled_at, "cancelled_at"),
        )
    except DeliveryError as exc:
        return 422, {"errors": [exc.as_dict()]}
    log_access(user=actor(request), person=session.person, what="api: session", path=request.path)
    return session_dict(session)
