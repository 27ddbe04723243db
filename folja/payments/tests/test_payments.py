from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.delivery.models import Session
from folja.delivery.services import session_cancel, session_report
from folja.ledger.scenario import person_scenario
from folja.payments.models import PaymentLine
from folja.payments.selectors import run_summary
from folja.payments.services import RunClosed, payment_run_build, payment_run_close
from folja.rules.scenario import calculate
from folja.testing.factories import make_user
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 3, 2, 9, 0)


def report(world, start, end, **kw):
    kw.setdefault("status", "executed")
    return session_report(
        user=world.staff,
        provider=world.provider,
        person=world.person,
        order=world.order,
        start=start,
        end=end,
        **kw,
    )


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        w = provider_world()
        report(w, datetime(2024, 2, 20, 18, 0), datetime(2024, 2, 20, 21, 30), external_id="1")
        report(w, datetime(2024, 2, 24, 10, 0), datetime(2024, 2, 24, 12, 0), external_id="2")
        # A late cancellation by the person (charged by the guideline).
        report(
            w,
            datetime(2024, 2, 26, 10, 0),
            datetime(2024, 2, 26, 11, 0),
            status="cancelled_by_person",
            cancelled_at=datetime(2024, 2, 26, 8, 0),
            external_id="3",
        )
        # The same visit again under another id: duplicate, excluded.
        report(w, datetime(2024, 2, 24, 10, 0), datetime(2024, 2, 24, 12, 0), external_id="4")
        # Far beyond the grant: exceeds_grant, its excess waits for the caseworker.
        report(w, datetime(2024, 2, 27, 7, 0), datetime(2024, 2, 28, 6, 0), external_id="5")
        # Another provider's session for the same person is not in this run.
        w2 = provider_world()
        report(w2, datetime(2024, 2, 21, 10, 0), datetime(2024, 2, 21, 11, 0), external_id="x")
    return w


def calc_payments_by_session(person, on):
    result = calculate(person_scenario(person=person, on=on))
    return {int(s["id"]): Decimal(s["payment_sek"]) for s in result["sessions"]}


@time_machine.travel(NOW, tick=False)
def test_a_months_payment_equals_the_sum_of_folja_calc_payments_of_its_sessions(world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    calc = calc_payments_by_session(world.person, NOW.date())
    sessions = Session.objects.filter(
        provider=world.provider, start__gte=datetime(2024, 2, 1), start__lt=datetime(2024, 3, 1)
    )
    expected = sum(
        (calc.get(s.pk, Decimal(0)) for s in sessions if "late_report" not in s.flags),
        Decimal(0),
    )
    assert run.total_sek == expected
    assert run.total_sek > 0


@time_machine.travel(NOW, tick=False)
def test_excluded_items_carry_their_reason_codes(world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    by_ext = {line.external_id: line for line in run.lines.all()}
    assert by_ext["4"].excluded and by_ext["4"].reason_codes == ["duplicate"]
    assert "exceeds_grant" in by_ext["5"].reason_codes
    assert by_ext["5"].excluded_minutes > 0
    assert "x" not in by_ext


@time_machine.travel(NOW, tick=False)
def test_the_summary_splits_minutes_by_band_and_legal_basis(world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    (row,) = run_summary(run)
    assert row.legal_basis == "LSS 9 § 3"
    assert sum(row.band_minutes.values()) == row.payable_minutes
    assert row.band_minutes["evening"] >= 150
    assert row.amount_sek == run.total_sek


@time_machine.travel(NOW, tick=False)
def test_a_closed_month_is_immutable_and_corrections_go_to_the_next_month(world):
    feb = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    payment_run_close(user=None, run=feb)
    with pytest.raises(RunClosed):
        payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    original = feb.lines.get(external_id="1")
    before = list(feb.lines.values_list("pk", "amount_sek"))
    session = Session.objects.get(external_id="1", provider=world.provider)
    session_cancel(
        user=world.staff, session=session, cause="provider", cancelled_at=datetime(2024, 2, 20, 9)
    )
    march = payment_run_build(user=None, provider=world.provider, month=date(2024, 3, 1))
    assert list(feb.lines.values_list("pk", "amount_sek")) == before
    adjustment = march.lines.get(kind="adjustment", session=session)
    assert adjustment.adjusts == original
    assert adjustment.amount_sek == -original.amount_sek
    # Building March again does not add the correction twice.
    march = payment_run_build(user=None, provider=world.provider, month=date(2024, 3, 1))
    assert PaymentLine.objects.filter(kind="adjustment", session=session).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_payment_files_and_specification_download(client, world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    client.force_login(world.staff)
    csv_body = client.get(reverse("payments:csv", args=[run.pk])).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("provider_org_number;month")
    assert world.person.personnummer not in csv_body
    xlsx = client.get(reverse("payments:xlsx", args=[run.pk]))
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("payments:pdf", args=[run.pk]))
    assert pdf.content[:4] == b"%PDF"
    page = client.get(reverse("payments:run", args=[run.pk]))
    assert "duplicate" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_providers_payment_run_is_404(client, world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    outsider = make_user(Role.PROVIDER_STAFF)
    client.force_login(outsider)
    assert client.get(reverse("payments:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("payments:csv", args=[run.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_only_an_administrator_closes_a_month(client, world):
    run = payment_run_build(user=None, provider=world.provider, month=date(2024, 2, 1))
    client.force_login(world.admin)
    assert client.post(reverse("payments:close", args=[run.pk])).status_code == 404
    client.force_login(make_user(Role.ADMINISTRATOR))
    client.post(reverse("payments:close", args=[run.pk]), {"confirm": "on"})
    run.refresh_from_db()
    assert run.is_closed
