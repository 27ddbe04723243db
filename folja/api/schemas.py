"""Request and response shapes. Inputs are strict and bounded so no input can reach the
database in a form it rejects (NUL bytes, out-of-range integers): those are 422s, never 5xx."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field

MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _iso_date(value: object) -> object:
    """Only `YYYY-MM-DD` in ASCII digits: pydantic's lax mode also reads `0` (or `"0"`) as a
    Unix timestamp, 1970-01-01, which the document's `format: date` does not allow."""
    if isinstance(value, date):
        return value
    text = value if isinstance(value, str) else ""
    digits = text[:4] + text[5:7] + text[8:]
    if not (
        len(text) == 10 and text[4] == text[7] == "-" and digits.isascii() and digits.isdigit()
    ):
        raise ValueError("expected a date YYYY-MM-DD")
    return text


Text = Annotated[str, AfterValidator(_no_nul)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorItem(Schema):
    field: str | None = None
    code: str
    message: str


class Errors(Schema):
    errors: list[ErrorItem]


class RowErrorItem(Schema):
    row: int
    field: str
    code: str
    message: str


class RowErrors(Schema):
    errors: list[RowErrorItem]


class OrderOut(Schema):
    id: int
    status: str
    personnummer: str
    first_name: str
    last_name: str
    goals: str
    activities: str
    preferred_languages: list[str]
    preferred_interests: list[str]
    preferred_age_band: str
    preferred_gender: str
    physical_strength_needed: bool
    communication_needs: str
    contact_rules: str
    hours_per_month: str | None
    allocation_model: str
    double_staffing: bool
    valid_from: date | None
    valid_to: date | None
    sent_at: datetime | None
    accepted_at: datetime | None


class SessionIn(Schema):
    external_id: Annotated[Text, Field(max_length=80)] = ""
    personnummer: Annotated[Text, Field(max_length=20)]
    order_id: Id | None = None
    escort_id: Id | None = None
    start: Annotated[
        Text,
        Field(
            max_length=25,
            description="local time YYYY-MM-DDTHH:MM, years 1900-2100; for executed or no_show "
            "not after now (code not_started)",
        ),
    ]
    end: Annotated[
        Text, Field(max_length=25, description="local time YYYY-MM-DDTHH:MM, years 1900-2100")
    ]
    status: Annotated[
        Text,
        Field(
            max_length=30,
            description="executed, cancelled_by_person, no_show, cancelled_by_provider, booked",
        ),
    ]
    cancelled_at: (
        Annotated[
            Text,
            Field(
                max_length=25,
                description="when the person cancelled: years 1900-2100, not after now "
                "(code in_future)",
            ),
        ]
        | None
    ) = None
    escorts: Annotated[int, Field(ge=1, le=2)] = 1


class CancelIn(Schema):
    cause: Annotated[Text, Field(max_length=20, description="person, no_show or provider")]
    cancelled_at: Annotated[
        Text, Field(max_length=25, description="YYYY-MM-DDTHH:MM, years 1900-2100, not after now")
    ]


class SessionOut(Schema):
    id: int
    external_id: str
    order_id: int | None
    escort_id: int | None
    personnummer: str
    start: datetime
    end: datetime
    status: str
    kind: str
    cancelled_at: datetime | None
    escorts: int
    reported_at: datetime | None
    period_start: date | None
    charged_minutes: int
    payable_minutes: int
    band_minutes: dict[str, int]
    payment_sek: str = Field(description="The rules engine's price of the payable minutes.")
    payable_sek: str = Field(
        description="What the provider is paid for the session: its line in the payment file."
    )
    held_back: bool = Field(description="A reason code keeps the session out of the payment.")
    flags: list[str]
    reasons: list[str] = Field(description="Each reason code in plain Swedish.")
    review_status: str


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class ImportRow(Schema):
    external_id: str
    personnummer: str
    order_id: int | str | None = None
    escort_id: int | str | None = None
    start: str
    end: str
    status: str
    cancelled_at: str | None = None
    escorts: int | str | None = 1


class FlaggedOut(Schema):
    external_id: str
    id: int
    flags: list[str]


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    flagged: list[FlaggedOut]


class ClaimIn(Schema):
    personnummer: Annotated[Text, Field(max_length=20)]
    date: IsoDate
    amount_sek: Annotated[str, AfterValidator(_no_nul), Field(max_length=20)]
    description: Annotated[Text, Field(min_length=1, max_length=200)]
    session_id: Id | None = None
    # The person's costly activity (mer kostsam aktivitet) the expense is for, if any.
    costly_activity_id: Id | None = None


class ClaimOut(Schema):
    id: int
    personnummer: str
    session_id: int | None
    costly_activity_id: int | None
    date: date
    amount_sek: str
    description: str
    status: str
    receipt_content_type: str
    created_at: datetime
