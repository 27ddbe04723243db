"""Expense claims with a receipt (PDF/JPEG/PNG checked by content, at most 5 MB)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from folja.api.auth import actor
from folja.api.schemas import ClaimIn, ClaimOut, Errors
from folja.api.serialize import claim_dict
from folja.audit.services import log_access, log_access_many
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.delivery.services import DeliveryError, expense_claim_create
from folja.people.models import Person
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import parse as parse_personnummer

router = Router()


def _error(field: str, code: str, message: str) -> dict:
    return {"errors": [{"field": field, "code": code, "message": message}]}


@router.get("", response={200: list[ClaimOut]}, summary="List expense claims")
def list_claims(request: HttpRequest):
    claims = list(ExpenseClaim.objects.visible_to(actor(request)).select_related("person")[:1000])
    log_access_many(
        user=actor(request),
        persons={c.person_id: c.person for c in claims}.values(),
        what="api: expense claims",
        path=request.path,
    )
    return [claim_dict(c) for c in claims]


@router.post(
    "",
    response={201: ClaimOut, 404: Errors, 422: Errors},
    summary="Create an expense claim with a receipt",
)
def create_claim(request: HttpRequest, payload: Form[ClaimIn], receipt: File[UploadedFile]):
    who = actor(request)
    try:
        number = parse_personnummer(payload.personnummer).normalized
    except InvalidPersonnummer as exc:
        return 422, _error("personnummer", "invalid", str(exc))
    person = Person.objects.visible_to(who).filter(personnummer=number).first()
    if person is None:
        return 404, _error("personnummer", "not_found", "no order for this person")
    try:
        amount = Decimal(payload.amount_sek.strip().replace(",", "."))
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return 422, _error("amount_sek", "invalid", "amount must be a decimal such as 120.50")
    session = None
    if payload.session_id is not None:
        session = Session.objects.visible_to(who).filter(pk=payload.session_id).first()
        if session is None:
            return 404, _error("session_id", "not_found", "no such session")
    activity = None
    if payload.costly_activity_id is not None:
        # The person's own activities only, looked up through the person the caller may see
        # (providers see no activities as such, only the claims made for them).
        activity = CostlyActivityApplication.objects.filter(
            pk=payload.costly_activity_id, person=person
        ).first()
        if activity is None:
            return 404, _error(
                "costly_activity_id", "not_found", "no such costly activity for this person"
            )
    try:
        claim = expense_claim_create(
            user=who,
            provider=who.provider,
            person=person,
            date=payload.date,
            amount_sek=amount,
            description=payload.description,
            receipt=receipt,
            session=session,
            costly_activity=activity,
        )
    except DeliveryError as exc:
        return 422, {"errors": [exc.as_dict()]}
    log_access(user=who, person=person, what="api: expense claim", path=request.path)
    return 201, claim_dict(claim)
