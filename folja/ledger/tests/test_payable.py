"""What a provider reads as payable is its payment file, line by line; a year without a LOV
rate holds sessions back with a plain reason and pays them once the rate exists."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.guidelines.models import LovRate
from folja.ledger.bridge import verify_person_sessions
from folja.ledger.payable import LATE_REPORT, NO_RATE, reason_text
from folja.payments.exports import payment_csv
from folja.payments.services import payment_run_build
from folja.providers.services import token_create
from folja.testing.factories import (
    DecisionFactory,
    OrderFactory,
    SessionFactory,
    make_user,
    reference_data,
)
from folja.testing.factories_providers import bearer

pytestmark = pytest.mark.django_db


def _order(year: int = 2024):
    reference_data()
    decision = DecisionFactory(
        valid_from=date(year, 1, 1),
        valid_to=date(year, 12, 31),
        hours_per_month=Decimal("10"),
        model="monthly",
    )
    return OrderFactory(decision=decision, provider__regi="private")


def _rows(content: bytes) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    # The file writes a decimal comma (docs/exports.md); compared here with the API's point.
    return [{**r, "amount_sek": r["amount_sek"].replace(",", ".")} for r in rows]


@time_machine.travel(datetime(2024, 4, 20, 12, 0), tick=False)
def test_a_late_reported_session_is_shown_to_the_provider_as_it_is_paid(client):
    order = _order()
    on_time = SessionFactory(
        order=order, start=datetime(2024, 3, 5, 10, 0), end=datetime(2024, 3, 5, 11, 0)
    )
    late = SessionFactory(
        order=order,
        start=datetime(2024, 3, 12, 10, 0),
        end=datetime(2024, 3, 12, 11, 0),
        flags=[LATE_REPORT],
    )
    verify_person_sessions(person=order.person)
    late.refresh_from_db()
    assert late.payment_sek == Decimal("434.00")  # the engine prices it; the report was late

    staff = make_user(Role.PROVIDER_STAFF, provider=order.provider)
    run = payment_run_build(user=staff, provider=order.provider, month=date(2024, 3, 1))
    lines = {int(r["session_id"]): r for r in _rows(payment_csv(run))}
    assert lines[late.pk]["amount_sek"] == "0.00"
    assert lines[late.pk]["excluded"] == "1"
    assert lines[on_time.pk]["amount_sek"] == "434.00"
    assert {r["regi"] for r in lines.values()} == {"private"}

    client.force_login(staff)
    page = client.get(reverse("providers:sessions")).content.decode()
    # Amounts as the Swedish page writes them (decimal comma).
    cells = [c.split("</td>")[0].replace(",", ".") for c in page.split('<td class="num">')[1:]]
    # Newest first: the late one, then the one in time; each cell is its line's amount.
    assert cells == [lines[late.pk]["amount_sek"], lines[on_time.pk]["amount_sek"]]
    assert str(reason_text(LATE_REPORT)) in page
    admin = make_user(Role.PROVIDER_ADMIN, provider=order.provider)
    token = token_create(user=admin, provider=order.provider, name="test").secret
    items = {i["id"]: i for i in client.get("/api/v1/sessions", **bearer(token)).json()["items"]}
    for session_id, line in lines.items():
        assert items[session_id]["payable_sek"] == line["amount_sek"]
    assert items[late.pk]["held_back"] is True


@time_machine.travel(datetime(2030, 4, 20, 12, 0), tick=False)
def test_a_year_without_a_lov_rate_holds_the_session_back_and_pays_it_once_the_rate_exists():
    order = _order(2030)
    session = SessionFactory(
        order=order, start=datetime(2030, 3, 5, 10, 0), end=datetime(2030, 3, 5, 11, 0)
    )
    LovRate.objects.filter(year=2030).delete()
    verify_person_sessions(person=order.person)  # no UnknownRate raised
    session.refresh_from_db()
    assert NO_RATE in session.flags
    assert (session.charged_minutes, session.payment_sek) == (60, Decimal("0.00"))
    staff = make_user(Role.PROVIDER_STAFF, provider=order.provider)
    run = payment_run_build(user=staff, provider=order.provider, month=date(2030, 3, 1))
    line = run.lines.get(session=session)
    assert line.excluded and line.reason_codes == [NO_RATE]

    rate = LovRate.objects.filter(regi="private").order_by("-year").first()
    rate.pk, rate.year = None, 2030
    rate.save()
    verify_person_sessions(person=order.person)
    session.refresh_from_db()
    assert NO_RATE not in session.flags
    assert session.payment_sek == rate.day
    run = payment_run_build(user=staff, provider=order.provider, month=date(2030, 3, 1))
    assert run.lines.get(session=session).amount_sek == rate.day
