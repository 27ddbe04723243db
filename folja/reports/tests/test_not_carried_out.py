"""Decisions not carried out, the quarter's reports: the register is filled the way Följa fills
it (the work list's refresh over the ledger's executed days) and the caseworker records a
reason; the IVO file and the committee's report list exactly the decisions the rule flagged.
The clock is frozen."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.cases.models import NonExecution
from folja.cases.services_followup import tasks_refresh
from folja.cases.services_nonexecution import non_execution_reason_record
from folja.reports.not_carried_out import (
    CARRIED_OUT,
    COMMITTEE_HEADER,
    IVO_HEADER,
    NEW,
    REMAINING,
    quarter_entries,
)
from folja.reports.tests.helpers import decision, district, person
from folja.testing.factories import OrderFactory, SessionFactory, make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 7, 6, 9, 0)


def _executed(d, day: date) -> None:
    order = d.orders.first() or OrderFactory(decision=d, person=d.person, status="accepted")
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
    SessionFactory(
        order=order,
        person=d.person,
        provider=order.provider,
        start=start,
        end=start + timedelta(hours=2),
        status="executed",
    )


@pytest.fixture
def city():
    """Decisions whose fate in the second quarter of 2026 is known in advance."""
    home = district("S01")
    worker = make_user(Role.CASEWORKER, district=home)
    d = {}

    def make(key, act, decided, valid_to=date(2026, 12, 31), sex="female"):
        d[key] = decision(person(home, sex=sex), act=act, valid_from=decided, valid_to=valid_to)
        d[key].caseworker = worker
        d[key].save()
        return d[key]

    make("never_started", "SoL", date(2026, 1, 15))  # reportable 2026-04-15: new
    make("in_time", "LSS", date(2026, 1, 10))
    # Carried out within three months, and never three months without a session since.
    for day in (date(2026, 2, 1), date(2026, 3, 15), date(2026, 5, 20), date(2026, 6, 25)):
        _executed(d["in_time"], day)
    make("interrupted", "LSS", date(2025, 11, 1), sex="male")
    _executed(d["interrupted"], date(2025, 11, 20))  # stopped: reportable 2026-02-20
    make("late", "SoL", date(2026, 1, 5))
    _executed(d["late"], date(2026, 5, 10))  # reportable 2026-04-05, carried out 2026-05-10
    make("ended_before", "SoL", date(2025, 10, 1), valid_to=date(2026, 1, 31))
    make("too_recent", "LSS", date(2026, 5, 1))  # reportable only from 2026-08-01
    for day in (date(2026, 3, 1), date(2026, 7, 1)):
        with time_machine.travel(datetime.combine(day, datetime.min.time()), tick=False):
            tasks_refresh(district=home, today=day)
    entry = NonExecution.objects.get(decision=d["never_started"])
    with time_machine.travel(datetime(2026, 7, 2, 10, 0), tick=False):
        non_execution_reason_record(
            entry=entry,
            user=worker,
            reason="no_escort",
            reason_text="Ingen ledsagare med teckenspråk.",
        )
    return d


@time_machine.travel(NOW, tick=False)
def test_the_committee_report_lists_exactly_the_decisions_the_rule_flagged(city, tmp_path):
    entries = quarter_entries(2026, 2)
    assert {e.decision_id: e.status for e in entries} == {
        city["never_started"].pk: NEW,
        city["interrupted"].pk: REMAINING,
        city["late"].pk: CARRIED_OUT,
    }
    err = io.StringIO()
    call_command(
        "report",
        "not-carried-out",
        "--year",
        "2026",
        "--quarter",
        "2",
        "--out",
        str(tmp_path),
        stderr=err,
    )
    sheet = load_workbook(tmp_path / "namnd-ej-verkstallda-2026-K2.xlsx")["Beslut"]
    assert [c.value for c in sheet[1]] == list(COMMITTEE_HEADER)
    assert sheet.freeze_panes == "A2"
    listed = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert listed == sorted(city[k].pk for k in ("never_started", "interrupted", "late"))
    reasons = {row[1]: row[9] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert reasons[city["never_started"].pk] == "Utföraren saknar ledsagare"
    assert reasons[city["interrupted"].pk] == "Skäl ej registrerat"

    text = "".join(
        p.extract_text() for p in PdfReader(tmp_path / "namnd-ej-verkstallda-2026-K2.pdf").pages
    )
    assert "Antal beslut: 3" in text
    for key in ("never_started", "interrupted", "late"):
        assert re.search(rf"\b{city[key].pk}\b", text)
    assert city["never_started"].person.personnummer not in text

    # The caseworkers are told which reasons are missing; the report is written all the same.
    warnings = [json.loads(line) for line in err.getvalue().splitlines()]
    assert {w["code"] for w in warnings} == {"reason_missing"}
    assert len(warnings) == 2


@time_machine.travel(NOW, tick=False)
def test_the_ivo_report_identifies_the_person_as_ivo_asks_and_cites_the_right_act(city, tmp_path):
    call_command(
        "report", "not-carried-out", "--year", "2026", "--quarter", "2", "--out", str(tmp_path)
    )
    text = (tmp_path / "ivo-ej-verkstallda-2026-K2.csv").read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ";".join(IVO_HEADER)
    rows = [dict(zip(IVO_HEADER, line.split(";"), strict=True)) for line in lines[1:]]
    assert len(rows) == 3
    for row in rows:
        assert re.fullmatch(r"\d{8}-T\d{3}", row["individ"])
        assert int(row["individ"][-2]) % 2 == (1 if row["kon"] == "Man" else 0)
        assert row["rapporteras_enligt"] in (
            "LSS 28 f §",
            "SoL (2025:400), rapportering av ej verkställda beslut",
        )
    male = next(r for r in rows if r["kon"] == "Man")
    interrupted = city["interrupted"]
    assert male["individ"].startswith(f"{interrupted.person.birth_date:%Y%m%d}-T")
    assert (male["lag"], male["lagrum"], male["datum_for_avbrott"]) == (
        "LSS",
        "LSS 9 § 3",
        "2025-11-20",
    )
    pages = PdfReader(tmp_path / "ivo-ej-verkstallda-2026-K2.pdf").pages
    assert len(pages) == 3
    assert all("Individrapport" in p.extract_text() for p in pages)
    # The same number next quarter: IVO follows one person through its reports.
    again = tmp_path / "again"
    again.mkdir()
    call_command(
        "report", "not-carried-out", "--year", "2026", "--quarter", "2", "--out", str(again)
    )
    assert (again / "ivo-ej-verkstallda-2026-K2.csv").read_bytes() == text.encode("utf-8-sig")


@time_machine.travel(NOW, tick=False)
def test_a_quarter_before_the_register_has_entries_says_so(city, tmp_path):
    call_command(
        "report", "not-carried-out", "--year", "2025", "--quarter", "2", "--out", str(tmp_path)
    )
    text = PdfReader(tmp_path / "namnd-ej-verkstallda-2025-K2.pdf").pages[0].extract_text()
    assert "Inga ej verkställda beslut under kvartalet" in text
