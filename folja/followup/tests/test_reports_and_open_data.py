"""Tertial report files, open-data suppression and the equality analysis."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from folja.followup.equality import hours_equality, rejection_equality
from folja.followup.opendata import (
    CITY,
    DECISION_PARTS,
    PERSON_PARTS,
    SUPPRESSED,
    open_data_csv,
    suppress,
)
from folja.followup.selectors import Slice
from folja.testing.factories import (
    ApplicationFactory,
    AssessmentFactory,
    DecisionFactory,
    DistrictFactory,
    PersonFactory,
    legal_basis,
)
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db


def test_the_tertial_report_writes_a_pdf_and_an_excel_file(tmp_path):
    build_small_city()
    call_command("report", "tertial", "--year", "2024", "--tertial", "1", "--out", str(tmp_path))
    pdf = tmp_path / "tertialrapport-2024-T1-stad.pdf"
    xlsx = tmp_path / "tertialrapport-2024-T1-stad.xlsx"
    assert pdf.read_bytes().startswith(b"%PDF")
    wb = load_workbook(xlsx)
    summary = {row[0]: row[1] for row in wb["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Personer med insatsen"] == 3
    assert summary["Beslut"] == 4
    # T1 is January–April: P4's April grant (240 min) is in it.
    assert summary["Beviljade timmar"] == pytest.approx((1800 + 455 + 240) / 60, abs=0.05)
    districts = [r[0] for r in wb["Stadsdelar"].iter_rows(min_row=2, values_only=True)]
    assert districts == ["Norrby", "Söderby"]


def test_a_district_tertial_report_covers_that_district_only(tmp_path):
    build_small_city()
    call_command(
        "report",
        "tertial",
        "--year",
        "2024",
        "--tertial",
        "1",
        "--district",
        "Söderby",
        "--out",
        str(tmp_path),
    )
    wb = load_workbook(tmp_path / "tertialrapport-2024-T1-soderby.xlsx")
    summary = {row[0]: row[1] for row in wb["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Personer med insatsen"] == 1 and summary["Beslut"] == 1


def _check_no_single_suppression(table, hidden, groups, total_row):
    rows = [r for r in table if r != total_row]
    equations = []
    for r in table:
        for parts, total in groups:
            equations.append([(r, c) for c in (*parts, total)])
    for parts, total in groups:
        for c in (*parts, total):
            equations.append([(r, c) for r in rows] + [(total_row, c)])
    for eq in equations:
        marked = [cell for cell in eq if cell in hidden]
        assert len(marked) != 1, eq
        if marked and sum(table[r][c] for r, c in marked) == 0:
            assert len(marked) == len(eq), eq  # hidden zeros would reveal themselves


def test_suppression_leaves_no_row_or_column_with_a_single_hidden_cell():
    rnd = random.Random(7)
    groups = [(("a", "b", "c"), "t")]
    for _ in range(200):
        table = {}
        for i in range(rnd.randint(2, 8)):
            a, b, c = (rnd.choice([0, 1, 3, 4, 5, 8, 20, 60]) for _ in range(3))
            table[f"d{i}"] = {"a": a, "b": b, "c": c, "t": a + b + c}
        table["city"] = {k: sum(r[k] for r in table.values()) for k in ("a", "b", "c", "t")}
        hidden = suppress(table, groups, "city")
        for r, cols in table.items():
            for c, v in cols.items():
                if v < 5:
                    assert (r, c) in hidden
        _check_no_single_suppression(table, hidden, groups, "city")


def _open_data(year: int) -> list[dict[str, str]]:
    text = open_data_csv(years=[year]).removeprefix("\ufeff")  # UTF-8 with BOM, ";" fields
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_open_data_export_suppresses_small_numbers_and_keeps_totals_safe():
    build_small_city()
    rows = _open_data(2024)
    assert [r["district"] for r in rows] == ["Norrby", "Söderby", CITY]
    # Every count in the small city is under 5.
    for r in rows:
        for c in ("persons_women", "persons_men", "persons", *DECISION_PARTS, "decisions"):
            assert r[c] == SUPPRESSED
        assert r["persons_unknown"] == ""  # no person of unknown sex: the column is unused
        assert r["rejection_share"] == SUPPRESSED and r["execution_rate"] == SUPPRESSED


def test_open_data_shows_counts_of_five_or_more():
    d = DistrictFactory(code="BIG", name="Storby")
    for i in range(12):
        DecisionFactory(
            person=PersonFactory(district=d, sex="female" if i < 7 else "male"),
            decided_on=date(2023, 3, 1),
            outcome="rejected" if i < 6 else "granted",
            hours_per_month=None if i < 6 else Decimal(10),
            valid_from=None if i < 6 else date(2023, 4, 1),
            valid_to=None if i < 6 else date(2023, 12, 31),
        )
    rows = _open_data(2023)
    storby = rows[0]
    assert storby["decisions"] == "12" and storby["rejected_or_partly"] == "6"
    assert storby["decisions_granted"] == "6" and storby["rejection_share"] == "0,500"
    # 6 persons with a grant: 1 woman, 5 men → the woman is hidden, so is one other member.
    assert storby["persons_women"] == SUPPRESSED
    hidden = [c for c in (*PERSON_PARTS, "persons") if storby[c] == SUPPRESSED]
    assert len(hidden) >= 2


def _decision(district, hours: float, need: float, act: str = "LSS", rejected: bool = False):
    person = PersonFactory(district=district)
    application = ApplicationFactory(person=person, received_on=date(2023, 2, 1))
    AssessmentFactory(application=application, person=person, need_score=Decimal(str(need)))
    return DecisionFactory(
        person=person,
        application=application,
        decided_on=date(2023, 3, 1),
        legal_basis=legal_basis(act, date(2023, 3, 1)),
        outcome="rejected" if rejected else "granted",
        hours_per_month=None if rejected else Decimal(str(hours)),
        valid_from=None if rejected else date(2023, 4, 1),
        valid_to=None if rejected else date(2023, 12, 31),
    )


def test_equality_adjusts_for_needs_and_names_the_district_that_grants_less():
    rnd = random.Random(3)
    districts = [
        DistrictFactory(code=f"E{i}", name=n) for i, n in enumerate(["Alby", "Bromma", "Cby"])
    ]
    for district in districts:
        for _ in range(30):
            need = rnd.uniform(1, 7)
            # Hours follow needs; Bromma grants 3 hours less than the others for equal needs,
            # and Cby serves people with higher needs (raw difference but no adjusted one).
            if district.name == "Cby":
                need = rnd.uniform(4, 7)
            hours = 4 * need + rnd.gauss(0, 1) - (3 if district.name == "Bromma" else 0)
            _decision(district, round(hours, 2), round(need, 2))
    result = {d.district: d for d in hours_equality(Slice.year(2023))}
    bromma, cby = result["Bromma"], result["Cby"]
    assert bromma.adjusted == pytest.approx(-2.0, abs=0.6)  # −3 against the mean of 3 districts
    assert bromma.high < 0
    assert "Bromma beviljar" in bromma.sentence and "mindre per månad" in bromma.sentence
    assert "95 % KI" in bromma.sentence
    assert cby.raw > 3 and abs(cby.adjusted) < 1.5  # the raw gap is explained by needs


def test_rejection_equality_gives_odds_ratios_with_intervals():
    rnd = random.Random(5)
    for i, name in enumerate(["Alby", "Bromma"]):
        district = DistrictFactory(code=f"R{i}", name=name)
        for _ in range(60):
            p = 0.5 if name == "Bromma" else 0.1
            _decision(district, 10, rnd.uniform(1, 7), rejected=rnd.random() < p)
    result = {d.district: d for d in rejection_equality(Slice.year(2023))}
    assert result["Bromma"].adjusted > 1 and result["Bromma"].low > 1
    assert "oftare" in result["Bromma"].sentence
