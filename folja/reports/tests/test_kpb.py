from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from folja.delivery.services import session_report
from folja.payments.models import PaymentRun, RunStatus
from folja.payments.services import payment_run_build, payment_run_close
from folja.reports.cli import district_summary_path
from folja.reports.kpb import DISTRICT_HEADER, PERSON_HEADER, kpb_report, validate_kpb
from folja.reports.tests.helpers import decision, district, person
from folja.testing.factories import ExpenseClaimFactory, ProviderFactory
from folja.testing.factories_providers import provider_world

pytestmark = pytest.mark.django_db


def _session(world, start: datetime, hours: int, external_id: str) -> None:
    with time_machine.travel(start.replace(hour=23, minute=30), tick=False):
        session_report(
            user=world.staff,
            provider=world.provider,
            person=world.person,
            order=world.order,
            start=start,
            end=start.replace(hour=start.hour + hours),
            status="executed",
            external_id=external_id,
        )


def _run(provider, month: date, *, close: bool) -> PaymentRun:
    with time_machine.travel(datetime(month.year, month.month, 28, 12, 0), tick=False):
        run = payment_run_build(user=None, provider=provider, month=month)
        return payment_run_close(user=None, run=run) if close else run


@pytest.fixture
def city():
    """Two persons in two districts; what each was paid in 2025 is known from the runs."""
    north, south = district("N01"), district("S01")
    anna = person(north, sex="female")
    omar = person(south, sex="male")
    private = ProviderFactory(regi="private")
    municipal = ProviderFactory(regi="municipal")
    d1 = decision(
        anna, act="LSS", valid_from=date(2024, 12, 1), valid_to=date(2025, 12, 31), hours="20"
    )
    d2 = decision(
        omar, act="SoL", valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31), hours="20"
    )
    w1 = provider_world(provider=private, decision=d1)
    w2 = provider_world(provider=municipal, decision=d2)
    _session(w1, datetime(2024, 12, 10, 10, 0), 2, "a-dec")
    _session(w1, datetime(2025, 1, 14, 10, 0), 3, "a-jan")
    _session(w1, datetime(2025, 2, 11, 10, 0), 2, "a-feb")
    _session(w2, datetime(2025, 1, 20, 18, 0), 2, "o-jan")
    runs = {
        "dec": _run(private, date(2024, 12, 1), close=True),
        "jan_private": _run(private, date(2025, 1, 1), close=True),
        "jan_municipal": _run(municipal, date(2025, 1, 1), close=True),
        "feb_open": _run(private, date(2025, 2, 1), close=False),
    }
    for day, amount, status in (
        (date(2024, 12, 20), "90.00", "approved"),  # the year before
        (date(2025, 1, 15), "200.00", "approved"),
        (date(2025, 1, 16), "70.00", "submitted"),
        (date(2025, 1, 17), "500.00", "rejected"),
        (date(2025, 1, 18), "900.00", "pending"),  # waits for the caseworker: not spent
    ):
        ExpenseClaimFactory(person=anna, date=day, amount_sek=Decimal(amount), status=status)
    return {"anna": anna, "omar": omar, "runs": runs}


def _rows(report):
    return {row[4]: dict(zip(PERSON_HEADER, row, strict=True)) for row in report.persons}


@time_machine.travel(datetime(2026, 3, 1, 9, 0), tick=False)
def test_a_persons_cost_is_the_years_closed_payment_runs_and_spent_expense_money(city):
    report = kpb_report(2025)
    rows = _rows(report)
    runs = city["runs"]
    # Held back: the payment files sent for the year's months (closed runs), nothing else.
    paid_2025 = runs["jan_private"].total_sek + runs["jan_municipal"].total_sek
    assert paid_2025 > 0 and runs["feb_open"].total_sek > 0 and runs["dec"].total_sek > 0
    assert sum(r["lov_kr"] for r in rows.values()) == paid_2025
    anna, omar = rows[city["anna"].pseudonym], rows[city["omar"].pseudonym]
    assert anna["lov_enskild_regi_kr"] == runs["jan_private"].total_sek
    assert anna["lov_kommunal_regi_kr"] == 0
    assert omar["lov_kommunal_regi_kr"] == runs["jan_municipal"].total_sek
    assert anna["omkostnader_kr"] == Decimal("270.00")  # approved and submitted, in 2025
    assert anna["kostnad_kr"] == anna["lov_kr"] + Decimal("270.00")
    assert (anna["timmar"], omar["timmar"]) == (Decimal("3.00"), Decimal("2.00"))
    assert (anna["insats"], omar["insats"], anna["kon"]) == ("LSS", "SoL", "female")
    # Accrued: what the ledger says the year's sessions are owed, paid by a closed run or not.
    assert anna["lov_upparbetat_kr"] == runs["jan_private"].total_sek + runs["feb_open"].total_sek
    assert anna["upparbetade_timmar"] == Decimal("5.00")
    assert omar["lov_upparbetat_kr"] == runs["jan_municipal"].total_sek
    assert validate_kpb(report) == []


@time_machine.travel(datetime(2026, 3, 1, 9, 0), tick=False)
def test_the_district_summary_adds_up_its_persons_and_the_command_writes_both_files(city, tmp_path):
    out = tmp_path / "kpb-2025.csv"
    call_command("report", "kpb", "--year", "2025", "--out", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(PERSON_HEADER)
    assert len(text.splitlines()) == 3
    assert city["anna"].personnummer not in text  # de-identified: pseudonyms only
    summary = district_summary_path(out).read_bytes().decode("utf-8-sig").splitlines()
    assert summary[0] == ";".join(DISTRICT_HEADER)
    by_code = {line.split(";")[2]: line.split(";") for line in summary[1:]}
    assert set(by_code) == {"N01", "S01"}
    north = dict(zip(DISTRICT_HEADER, by_code["N01"], strict=True))
    expected = city["runs"]["jan_private"].total_sek + Decimal("270.00")
    assert north["brukare"] == "1"
    assert north["kostnad_kr"] == format(expected, "f").replace(".", ",")


@time_machine.travel(datetime(2026, 3, 1, 9, 0), tick=False)
def test_the_validator_finds_rows_that_do_not_add_up(city):
    report = kpb_report(2025)
    broken = list(report.persons[0])
    broken[PERSON_HEADER.index("kostnad_kr")] += Decimal("1.00")
    bad = type(report)(report.year, [tuple(broken), *report.persons[1:]], report.districts)
    assert {p.field for p in validate_kpb(bad)} == {"kostnad_kr"}
    dropped = type(report)(report.year, report.persons, report.districts[1:])
    assert {p.code for p in validate_kpb(dropped)} == {"missing"}


def test_a_year_without_closed_runs_has_no_rows():
    assert PaymentRun.objects.filter(status=RunStatus.CLOSED).count() == 0
    report = kpb_report(2025)
    assert report.persons == [] and report.districts == []
