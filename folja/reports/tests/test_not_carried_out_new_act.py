"""Decisions not carried out across the change of Social Services Act on 2025-07-01: each
decision cites the lagrum in force on the day it was made, and each quarter's report the
reporting section in force in its period (folja.reports.legal_references), in the IVO file and
in the committee's PDF and Excel alike. The clock is frozen."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from folja.accounts.models import Role
from folja.cases.services_followup import tasks_refresh
from folja.reports.legal_references import SOL_NOT_CARRIED_OUT, reference_on
from folja.reports.not_carried_out import COMMITTEE_HEADER, IVO_HEADER, quarter_entries
from folja.reports.tests.helpers import decision, district, person
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db

OLD_LAGRUM, NEW_LAGRUM = "SoL 4 kap. 1 §", "SoL (2025:400) 11 kap. 1 §"
OLD_SECTION = "SoL 16 kap. 6 f §"
NEW_SECTION = reference_on(SOL_NOT_CARRIED_OUT, date(2025, 7, 1))


@pytest.fixture
def decisions():
    home = district("S02")
    worker = make_user(Role.CASEWORKER, district=home)
    made = {}
    # Never carried out: reportable from 2025-06-02 (under the old act) and from 2025-11-03.
    for key, day in (("before", date(2025, 3, 2)), ("after", date(2025, 8, 3))):
        made[key] = decision(person(home), act="SoL", valid_from=day, valid_to=date(2026, 12, 31))
        made[key].caseworker = worker
        made[key].save()
    for day in (date(2025, 6, 10), date(2025, 11, 10)):
        with time_machine.travel(datetime.combine(day, datetime.min.time()), tick=False):
            tasks_refresh(district=home, today=day)
    return made


def _files(tmp_path, year: int, quarter: int):
    call_command(
        "report", "not-carried-out", "--year", str(year), "--quarter", str(quarter),
        "--out", str(tmp_path),
    )  # fmt: skip
    stem = f"{year}-K{quarter}"
    ivo = (tmp_path / f"ivo-ej-verkstallda-{stem}.csv").read_bytes().decode("utf-8-sig")
    rows = [dict(zip(IVO_HEADER, line.split(";"), strict=True)) for line in ivo.splitlines()[1:]]
    sheet = load_workbook(tmp_path / f"namnd-ej-verkstallda-{stem}.xlsx")["Beslut"]
    committee = [
        dict(zip(COMMITTEE_HEADER, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    pages = PdfReader(tmp_path / f"namnd-ej-verkstallda-{stem}.pdf").pages
    pdf = "".join(p.extract_text() for p in pages)
    return rows, committee, pdf


@time_machine.travel(datetime(2025, 7, 3, 9, 0), tick=False)
def test_a_decision_before_the_new_act_is_reported_under_the_old_one(decisions, tmp_path):
    (entry,) = quarter_entries(2025, 2)
    assert entry.decision_id == decisions["before"].pk
    assert (entry.legal_basis, entry.reporting_basis) == (OLD_LAGRUM, OLD_SECTION)
    ivo, committee, pdf = _files(tmp_path, 2025, 2)
    assert [(r["lagrum"], r["rapporteras_enligt"]) for r in ivo] == [(OLD_LAGRUM, OLD_SECTION)]
    assert [(r["Lagrum för beslutet"], r["Rapporteras enligt"]) for r in committee] == [
        (OLD_LAGRUM, OLD_SECTION)
    ]
    assert OLD_SECTION in pdf and NEW_SECTION not in pdf


@time_machine.travel(datetime(2026, 1, 5, 9, 0), tick=False)
def test_after_the_change_both_are_reported_under_the_new_act_each_with_its_own_lagrum(
    decisions, tmp_path
):
    entries = {e.decision_id: e for e in quarter_entries(2025, 4)}
    before, after = entries[decisions["before"].pk], entries[decisions["after"].pk]
    # The decision keeps the lagrum it was made under; the report is made under the act in
    # force in the quarter, the old one having been repealed.
    assert (before.legal_basis, before.reporting_basis) == (OLD_LAGRUM, NEW_SECTION)
    assert (after.legal_basis, after.reporting_basis) == (NEW_LAGRUM, NEW_SECTION)
    ivo, committee, pdf = _files(tmp_path, 2025, 4)
    assert sorted((r["lagrum"], r["rapporteras_enligt"]) for r in ivo) == sorted(
        [(OLD_LAGRUM, NEW_SECTION), (NEW_LAGRUM, NEW_SECTION)]
    )
    assert sorted((r["Lagrum för beslutet"], r["Rapporteras enligt"]) for r in committee) == sorted(
        [(OLD_LAGRUM, NEW_SECTION), (NEW_LAGRUM, NEW_SECTION)]
    )
    flat = " ".join(pdf.split())
    assert " ".join(NEW_SECTION.split()) in flat
    assert OLD_SECTION not in flat
