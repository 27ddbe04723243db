"""`folja scenario --person ID`: `folja calc` on the export equals what the application stores
and shows (CALC.md "Exporting a person's scenario")."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.followup.models import PersonMonth
from folja.guidelines.models import GuidelineVersion, LovRate
from folja.ledger.changed import person_figures_changed
from folja.ledger.consistency import (
    district_month_differences,
    engine_months,
    person_differences,
    stored_session,
)
from folja.ledger.scenario import person_scenario
from folja.people.models import Person
from folja.providers.models import Order
from folja.rules.errors import ScenarioError
from folja.rules.scenario import calculate
from folja.testing.factories import (
    CostlyActivityFactory,
    DecisionFactory,
    ExpenseClaimFactory,
    OrderFactory,
    PersonFactory,
    SessionFactory,
    make_user,
    reference_data,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DEMO_TODAY = date(2026, 11, 23)


def assert_calc_equals_the_application(person: Person, on: date) -> dict:
    """`folja calc` on the person's export against every stored session result, the stored
    periods, the person page and Mina sidor (folja.ledger.consistency). Returns the result."""
    result, differences = person_differences(person, on)
    assert differences == [], (person.pk, differences[:3])
    return result


# --- (1) every person of the seeded demo city ---------------------------------------------------


# Two demo cities: today's (flex3 under the 2018 guidelines) and one whose two years span
# the change from the 2012 guidelines (monthly) to the 2018 ones (flex3): chains of both
# models, and sessions judged by two dated versions. Each has a pilot whose members moved to
# the free model mid-chain (folja.core.seed.pilot): a change of model starts a new chain.
DEMO_CITIES = {
    "2026": (date(2026, 11, 23), {}, {"flex3", "free"}),
    "2017-2019": (date(2019, 6, 30), {"years": 2}, {"monthly", "flex3", "free"}),
}


@pytest.fixture(params=sorted(DEMO_CITIES))
def demo_city(request):
    """A demo city, seeded inside the test's transaction (a few seconds; rolled back)."""
    today, options, _ = DEMO_CITIES[request.param]
    with time_machine.travel(datetime.combine(today, datetime.min.time()), tick=False):
        call_command("seed", scale="demo", today=today.isoformat(), quiet=True, **options)
        yield request.param, today


def test_calc_on_every_demo_persons_export_equals_what_the_application_stores_and_shows(
    demo_city,
):
    city, today = demo_city
    persons = list(Person.objects.order_by("pk"))
    assert len(persons) >= 50
    models, flags = set(), set()
    for person in persons:
        result = assert_calc_equals_the_application(person, today)
        models.update(p["model"] for p in result["periods"])
        flags.update(f for s in result["sessions"] for f in s["flags"])
    # What the city holds: the models of its guideline versions, and time beyond the grant.
    assert models == DEMO_CITIES[city][2]
    assert "exceeds_grant" in flags


# --- (4) the follow-up roll-up per district and month -----------------------------------------


def _engine_months(person: Person, on: date) -> tuple[dict[date, int], dict[date, int]]:
    scenario = person_scenario(person=person, on=on)
    return engine_months(person, calculate(scenario), scenario)


def test_each_districts_monthly_granted_and_executed_minutes_equal_the_sum_over_its_persons(
    demo_city,
):
    compared, differ = district_month_differences(Person.objects.all(), demo_city[1])
    assert compared > 0
    assert differ == [], f"{len(differ)} of {compared} district-months differ: {differ[:5]}"


# --- (2) dated guideline versions, a replaced decision, mixed models ----------------------------

HISTORY_NOW = datetime(2027, 10, 15, 12, 0)
HISTORY_TODAY = HISTORY_NOW.date()


def _version_2027() -> GuidelineVersion:
    """From 2027: a 48-hour cut-off and a larger allowance (a copy of the 2018 version)."""
    version = GuidelineVersion.objects.filter(valid_from__lte=date(2026, 6, 1)).first()
    version.pk = None
    version.name = "Riktlinjer 2027"
    version.valid_from = date(2027, 1, 1)
    version.late_cancellation_cutoff_hours = 48
    version.expense_allowance_per_month = Decimal("500.00")
    version.save()
    return version


def _history() -> tuple[Person, dict[str, Session], dict[str, Decision]]:
    """One person's history with every kind of session the application knows: monthly, then
    flex3 (20 h replaced on reconsideration by 16 h), then free; sessions the engine charges,
    flags or never sees; claims approved, rejected, waiting and covered by activity money."""
    reference_data()
    GuidelineVersion.objects.update(
        late_cancellation_cutoff_hours=24, expense_allowance_per_month=Decimal("300.00")
    )
    _version_2027()
    person = PersonFactory()
    monthly = DecisionFactory(
        person=person,
        model="monthly",
        hours_per_month=Decimal("10"),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 6, 30),
    )
    flex = DecisionFactory(
        person=person,
        model="flex3",
        hours_per_month=Decimal("16"),
        valid_from=date(2026, 7, 1),
        valid_to=date(2027, 6, 30),
        decided_on=date(2026, 8, 1),
    )
    replaced = DecisionFactory(
        person=person,
        model="flex3",
        hours_per_month=Decimal("20"),
        valid_from=date(2026, 7, 1),
        valid_to=date(2027, 6, 30),
        superseded_by=flex,
    )
    free = DecisionFactory(
        person=person,
        model="free",
        hours_per_month=Decimal("4.5"),
        valid_from=date(2027, 7, 1),
        valid_to=date(2027, 12, 31),
        double_staffing=True,
    )
    rejected = DecisionFactory(
        person=person, outcome="rejected", valid_from=None, valid_to=None, hours_per_month=None
    )
    private = OrderFactory(decision=monthly, provider__regi="private")
    flex_order = OrderFactory(decision=flex, provider=private.provider)
    municipal = OrderFactory(decision=free, provider__regi="municipal")

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text)

    def session(name: str, order, start: str, end: str, **fields) -> None:
        sessions[name] = SessionFactory(order=order, start=at(start), end=at(end), **fields)

    sessions: dict[str, Session] = {}
    session("outside", private, "2025-12-20T10:00", "2025-12-20T12:00")
    session("evening", private, "2026-03-10T18:00", "2026-03-10T21:00")
    session("excess_approved", private, "2026-04-15T08:00", "2026-04-15T19:00")
    session("fills_may", private, "2026-05-04T08:00", "2026-05-04T18:00")
    session("excess_waiting", private, "2026-05-20T10:00", "2026-05-20T12:00")
    session(
        "in_time_under_24h",
        flex_order,
        "2026-11-10T10:00",
        "2026-11-10T11:30",
        status="cancelled_by_person",
        cancelled_at=at("2026-11-09T09:00"),
    )
    session("storhelg", flex_order, "2026-12-24T10:00", "2026-12-24T13:00")
    session("first", flex_order, "2027-01-20T10:00", "2027-01-20T12:00")
    session("overlaps_first", flex_order, "2027-01-20T11:00", "2027-01-20T13:00")
    session(
        "late_under_48h",
        flex_order,
        "2027-02-10T10:00",
        "2027-02-10T11:30",
        status="cancelled_by_person",
        cancelled_at=at("2027-02-09T09:00"),
    )
    # Cancelled "now" by the provider's form: 47 h 59 min 30 s ahead, late under 48 hours.
    session(
        "cancelled_with_seconds",
        flex_order,
        "2027-03-05T10:00",
        "2027-03-05T11:00",
        status="cancelled_by_person",
        cancelled_at=datetime(2027, 3, 3, 10, 0, 30),
    )
    session("two_escorts", flex_order, "2027-04-01T10:00", "2027-04-01T12:00", escorts=2)
    session("no_show", flex_order, "2027-05-05T10:00", "2027-05-05T12:00", status="no_show")
    session(
        "by_provider",
        flex_order,
        "2027-05-06T10:00",
        "2027-05-06T12:00",
        status="cancelled_by_provider",
    )
    session("no_order", flex_order, "2027-05-10T10:00", "2027-05-10T12:00", flags=["no_order"])
    session("duplicate", flex_order, "2027-05-11T10:00", "2027-05-11T12:00", flags=["duplicate"])
    session(
        "late_report", flex_order, "2027-05-12T10:00", "2027-05-12T12:00", flags=["late_report"]
    )
    session("free_july", municipal, "2027-07-05T09:00", "2027-07-05T17:00", escorts=2)
    session("free_august", municipal, "2027-08-09T09:00", "2027-08-09T17:00")
    session("free_september", municipal, "2027-09-06T08:00", "2027-09-06T20:00")
    session("booked", municipal, "2027-11-01T10:00", "2027-11-01T12:00", status="booked")
    Session.objects.filter(pk=sessions["excess_approved"].pk).update(review_status="approved")

    ExpenseClaimFactory(person=person, date=date(2026, 3, 10), amount_sek=Decimal("250.00"))
    ExpenseClaimFactory(person=person, date=date(2026, 3, 11), status="rejected")
    ExpenseClaimFactory(person=person, date=date(2027, 1, 15), status="approved")
    ExpenseClaimFactory(
        person=person, date=date(2027, 2, 1), amount_sek=Decimal("2000.00"), status="pending"
    )
    activity = CostlyActivityFactory(
        person=person,
        date=date(2027, 3, 1),
        status="approved",
        approved_amount_sek=Decimal("1000.00"),
    )
    ExpenseClaimFactory(
        person=person,
        date=date(2027, 3, 1),
        amount_sek=Decimal("1600.00"),
        status="approved",
        costly_activity=activity,
    )
    decisions = {
        "monthly": monthly,
        "flex": flex,
        "replaced": replaced,
        "free": free,
        "rejected": rejected,
    }
    person_figures_changed(person_ids=[person.pk])
    for s in sessions.values():
        s.refresh_from_db()
    return person, sessions, decisions


@time_machine.travel(HISTORY_NOW, tick=False)
def test_calc_on_a_history_of_dated_versions_a_replaced_decision_and_three_models_equals_the_app():
    person, sessions, decisions = _history()
    scenario = person_scenario(person=person)
    assert scenario["on"] == HISTORY_TODAY.isoformat()
    assert [
        (g["valid_from"], g["late_cancellation_cutoff_hours"]) for g in scenario["guidelines"]
    ] == [
        ("2012-01-01", 24),
        ("2018-01-01", 24),
        ("2027-01-01", 48),
    ]
    assert scenario["guidelines"][-1]["expense_allowance_per_month_sek"] == "500.00"
    assert all(
        g["storhelg"] == sorted(g["storhelg"]) and "2026-12-24" in g["storhelg"]
        for g in scenario["guidelines"]
    )
    # The replaced 20 hours and the rejection grant nothing: they are not in the export.
    assert {d["id"] for d in scenario["decisions"]} == {
        decisions[k].pk for k in ("monthly", "flex", "free")
    }
    exported = {s["id"]: s for s in scenario["sessions"]}
    names = {s.pk: name for name, s in sessions.items()}
    assert {names[i] for i in exported} == set(sessions) - {"no_order", "duplicate", "booked"}
    assert exported[sessions["cancelled_with_seconds"].pk]["cancelled_at"] == "2027-03-03T10:01"
    assert exported[sessions["excess_approved"].pk]["excess_approved"] is True
    assert exported[sessions["free_july"].pk]["regi"] == "municipal"

    result = assert_calc_equals_the_application(person, HISTORY_TODAY)

    by_name = {names[s["id"]]: s for s in result["sessions"]}
    assert by_name["in_time_under_24h"]["charged_minutes"] == 0  # 2026: judged by 24 hours
    assert by_name["late_under_48h"]["charged_minutes"] == 90  # 2027: judged by 48 hours
    assert by_name["cancelled_with_seconds"]["charged_minutes"] == 60
    assert by_name["excess_approved"]["payable_minutes"] == 660
    assert by_name["excess_approved"]["flags"] == ["exceeds_grant"]
    assert by_name["excess_waiting"]["payable_minutes"] == 0
    assert by_name["outside"]["flags"] == ["outside_decision"]
    assert by_name["overlaps_first"]["flags"] == ["overlap"]
    assert by_name["two_escorts"]["flags"] == ["double_staffing_not_granted"]
    assert set(by_name["storhelg"]["band_minutes"]) == {"storhelg"}
    allowances = {p["start"]: (p["model"], p["allowance_sek"]) for p in result["periods"]}
    assert allowances["2026-10-01"] == ("flex3", "900.00")  # the 2018 version's 300 kr
    assert allowances["2027-01-01"] == ("flex3", "1500.00")  # the 2027 version's 500 kr
    assert allowances["2027-07-01"][0] == "free"
    assert result["follow_up"] == ["2027-09"]


@time_machine.travel(HISTORY_NOW, tick=False)
def test_the_follow_up_of_a_history_with_overlaps_and_duplicates_equals_the_engine():
    person, _, _ = _history()
    granted, executed = _engine_months(person, HISTORY_TODAY)
    rows = {
        r.month: (r.granted_minutes, r.executed_minutes)
        for r in PersonMonth.objects.filter(person=person)
    }
    months = sorted(set(granted) | set(executed) | set(rows))
    assert {m: rows.get(m, (0, 0)) for m in months} == {
        m: (granted.get(m, 0), executed.get(m, 0)) for m in months
    }


# --- a year without a LOV rate -------------------------------------------------------------------


@time_machine.travel(datetime(2015, 6, 30, 12, 0), tick=False)
def test_a_session_in_a_year_without_a_rate_is_held_back_and_calc_on_the_export_names_that_year():
    reference_data()
    assert not LovRate.objects.filter(year=2015).exists()
    decision = DecisionFactory(valid_from=date(2015, 3, 1), valid_to=date(2015, 12, 31))
    order = OrderFactory(decision=decision, provider__regi="private")
    held = SessionFactory(order=order, start=datetime(2015, 3, 10, 10, 0))
    person_figures_changed(person_ids=[decision.person.pk])
    held.refresh_from_db()
    assert held.flags == ["no_rate"]
    assert held.payment_sek == Decimal("0.00")

    scenario = person_scenario(person=decision.person)
    assert 2015 not in {r["year"] for r in scenario["rates"]}  # only rates that exist
    with pytest.raises(ScenarioError) as refused:
        calculate(scenario)
    assert refused.value.field == "rates"
    assert "2015" in str(refused.value)

    # Once the rate exists the session is paid, and calc on the new export agrees again.
    rate_2016 = LovRate.objects.get(year=2016, regi="private")
    rate_2016.pk, rate_2016.year = None, 2015
    rate_2016.save()
    person_figures_changed(person_ids=[decision.person.pk])
    held.refresh_from_db()
    assert held.flags == [] and held.payment_sek > 0
    assert_calc_equals_the_application(decision.person, date(2015, 6, 30))


# --- (3) the command line ----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    """`folja scenario ARGS` in this process (this test's database): exit code, out, err."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("scenario", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _one_error(err: str) -> dict:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    error = json.loads(lines[0])
    assert set(error) == {"field", "code", "message"}
    return error


@pytest.fixture
def caseworker_and_person():
    reference_data()
    decision = DecisionFactory()
    OrderFactory(decision=decision)
    SessionFactory(order=Order.objects.get(decision=decision))
    caseworker = make_user(Role.CASEWORKER, district=decision.person.district)
    return caseworker, decision.person


@time_machine.travel(datetime(2024, 6, 1, 12, 0), tick=False)
def test_the_command_prints_the_scenario_that_calc_reads_and_logs_the_read(caseworker_and_person):
    caseworker, person = caseworker_and_person
    code, out, err = _run("--person", str(person.pk), "--user", caseworker.username)
    assert (code, err) == (0, "")
    assert json.loads(out) == person_scenario(person=person, on=date(2024, 6, 1))
    assert calculate(json.loads(out))["balance_on"]["date"] == "2024-06-01"
    log = AccessLog.objects.get(person=person)
    assert (log.user, log.what, log.in_caseload) == (caseworker, "scenario_export", True)


@time_machine.travel(datetime(2024, 6, 1, 12, 0), tick=False)
def test_the_command_writes_the_file_given_with_out_on_the_day_given_with_on(
    caseworker_and_person, tmp_path
):
    caseworker, person = caseworker_and_person
    target = tmp_path / "scenario.json"
    args = ("--person", str(person.pk), "--user", caseworker.username, "--on", "2024-03-01")
    code, out, _ = _run(*args, "--out", str(target))
    assert (code, out.strip()) == (0, str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["on"] == "2024-03-01"


@pytest.mark.parametrize(
    ("person", "user", "on", "field", "code"),
    [
        ("nobody", "caseworker", None, "person", "invalid_id"),
        ("-3", "caseworker", None, "person", "invalid_id"),
        ("9" * 30, "caseworker", None, "person", "invalid_id"),
        ("999999999", "caseworker", None, "person", "not_found"),
        ("the person", "other district", None, "person", "not_found"),
        ("the person", "provider", None, "user", "forbidden"),
        ("the person", "no such user", None, "user", "unknown_user"),
        ("the person", "caseworker", "2024-02-30", "on", "invalid_date"),
        ("the person", "caseworker", "9999-01-01", "on", "out_of_range"),
    ],
)
def test_the_command_refuses_bad_input_with_one_line_naming_the_field_and_exit_2(
    caseworker_and_person, person, user, on, field, code
):
    caseworker, the_person = caseworker_and_person
    users = {
        "caseworker": caseworker.username,
        "other district": make_user(Role.CASEWORKER).username,
        "provider": make_user(Role.PROVIDER_STAFF).username,
        "no such user": "nobody-at-all",
    }
    args = ["--person", str(the_person.pk) if person == "the person" else person]
    args += ["--user", users[user]] + (["--on", on] if on else [])
    exit_code, out, err = _run(*args)
    assert (exit_code, out) == (2, "")
    error = _one_error(err)
    assert (error["field"], error["code"]) == (field, code)
    assert not AccessLog.objects.filter(person=the_person).exists()


@pytest.mark.django_db(transaction=True)
def test_folja_calc_on_the_output_of_folja_scenario_run_as_processes_reproduces_the_application(
    tmp_path,
):
    """End to end as an operator runs it: two processes on this test's (committed) database."""
    with time_machine.travel(datetime(2024, 6, 1, 12, 0), tick=False):
        reference_data()
        decision = DecisionFactory()
        order = OrderFactory(decision=decision)
        session = SessionFactory(order=order)
        caseworker = make_user(Role.CASEWORKER, district=decision.person.district)
        person_figures_changed(person_ids=[decision.person.pk])
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    target = tmp_path / "scenario.json"

    def folja(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "folja", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    exported = folja(
        "scenario",
        *("--person", str(decision.person.pk), "--user", caseworker.username),
        *("--on", "2024-06-01", "--out", str(target)),
    )
    assert exported.returncode == 0, exported.stderr
    calc = folja("calc", str(target))
    assert calc.returncode == 0, calc.stderr
    session.refresh_from_db()
    (result,) = json.loads(calc.stdout)["sessions"]
    assert result["id"] == session.pk
    assert {k: v for k, v in result.items() if k != "id"} == stored_session(session)

    refused = folja("scenario", "--person", "0", "--user", caseworker.username)
    assert refused.returncode == 2
    error = _one_error(refused.stderr)
    assert (error["field"], error["code"]) == ("person", "invalid_id")
    helped = folja("scenario", "--help")
    assert helped.returncode == 0
    assert "excess_approved" in helped.stdout and "cancelled_at_unknown" in helped.stdout
