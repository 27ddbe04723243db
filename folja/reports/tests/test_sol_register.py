from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command

from folja.reports.legal_references import SOL_ASSISTANCE, reference_on
from folja.reports.sol_register import (
    FIELDS_EVENT,
    FIELDS_ONGOING,
    sol_file,
    sol_records,
    validate_sol_file,
)
from folja.reports.tests.helpers import decision, district, person

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)
NOW = datetime(2026, 11, 10, 9, 0)


def _parse(data: bytes) -> list[dict]:
    rows = []
    for line in data.decode("iso-8859-1").split("\r\n")[:-1]:
        fields = line.split(";")
        names = FIELDS_ONGOING if fields[0] == "1" else FIELDS_EVENT
        rows.append(dict(zip(names, fields, strict=True)))
    return rows


@pytest.fixture
def city():
    """Decisions whose records are known in advance (held back from the code under test)."""
    with time_machine.travel(NOW, tick=False):
        home = district("S01")
        d = {}
        d["old_act"] = decision(
            person(home),
            act="SoL",
            decided_on=date(2025, 3, 10),
            valid_from=date(2025, 3, 15),
            valid_to=date(2027, 3, 14),
            hours="7.5",
        )
        d["new_act"] = decision(
            person(home),
            act="SoL",
            decided_on=date(2025, 8, 20),
            valid_from=date(2025, 9, 1),
            valid_to=date(2026, 12, 31),
        )
        d["starts"] = decision(
            person(home), act="SoL", valid_from=date(2026, 10, 5), valid_to=date(2027, 10, 4)
        )
        d["ends"] = decision(
            person(home),
            act="SoL",
            decided_on=date(2026, 1, 5),
            valid_from=date(2026, 1, 10),
            valid_to=date(2026, 10, 20),
        )
        d["both"] = decision(
            person(home),
            act="SoL",
            decided_on=date(2026, 9, 28),
            valid_from=date(2026, 10, 3),
            valid_to=date(2026, 10, 17),
        )
        # Outside the file: LSS, rejected, replaced, another month.
        decision(person(home), act="LSS", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
        decision(
            person(home),
            act="SoL",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 12, 31),
            outcome="rejected",
        )
        gone = decision(
            person(home), act="SoL", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)
        )
        gone.superseded_by = d["starts"]
        gone.save()
        decision(person(home), act="SoL", valid_from=date(2026, 11, 1), valid_to=date(2027, 1, 1))
    return d


@time_machine.travel(NOW, tick=False)
def test_the_month_lists_decisions_in_force_on_its_last_day_and_those_started_or_ended(
    city, tmp_path
):
    out = tmp_path / "sol.txt"
    call_command("report", "sol-register", "--month", "2026-10", "--out", str(out))
    rows = _parse(out.read_bytes())
    pnr = {key: d.person.personnummer for key, d in city.items()}
    ongoing = sorted(r["personnummer"] for r in rows if r["posttyp"] == "1")
    assert ongoing == sorted([pnr["old_act"], pnr["new_act"], pnr["starts"]])
    events = sorted(
        (r["personnummer"], r["handelse"], r["datum"]) for r in rows if r["posttyp"] == "2"
    )
    assert events == sorted(
        [
            (pnr["starts"], "P", "20261005"),
            (pnr["ends"], "A", "20261020"),
            (pnr["both"], "P", "20261003"),
            (pnr["both"], "A", "20261017"),
        ]
    )
    assert {r["period"] for r in rows} == {"202610"}
    assert validate_sol_file(out.read_bytes(), month=OCTOBER) == []


@time_machine.travel(NOW, tick=False)
def test_each_decision_cites_the_act_in_force_on_the_day_it_was_made(city):
    rows = {
        r.decision_id: dict(zip(FIELDS_ONGOING, r.fields, strict=True))
        for r in sol_records(OCTOBER)
        if r.kind == "1"
    }
    assert rows[city["old_act"].pk]["lagrum"] == "SoL 4 kap. 1 §"
    assert rows[city["new_act"].pk]["lagrum"] == "SoL (2025:400) 11 kap. 1 §"
    assert rows[city["old_act"].pk]["timmar_per_manad"] == "7,5"
    assert reference_on(SOL_ASSISTANCE, date(2025, 6, 30)) == "SoL 4 kap. 1 §"
    assert reference_on(SOL_ASSISTANCE, date(2025, 7, 1)) == "SoL (2025:400) 11 kap. 1 §"


@time_machine.travel(NOW, tick=False)
def test_the_validator_catches_a_reference_the_decision_date_did_not_have(city):
    data = sol_file(sol_records(OCTOBER), month=OCTOBER)
    wrong = data.replace(
        "SoL 4 kap. 1 §".encode("iso-8859-1"), "SoL (2025:400) 11 kap. 1 §".encode("iso-8859-1")
    )
    assert "not_in_force" in {p.code for p in validate_sol_file(wrong, month=OCTOBER)}
    # The same file is not November's.
    november = validate_sol_file(data, month=date(2026, 11, 1))
    assert {"wrong_period", "outside_month"} <= {p.code for p in november}
    bad = b"1;0180;202610;19800517-0034;hemtjanst;SoL 4 kap. 1 \xa7;20250310;20250315;7.5\r\n"
    fields = {p.field for p in validate_sol_file(bad, month=OCTOBER)}
    assert {"personnummer", "insats", "timmar_per_manad"} <= fields
    assert {p.code for p in validate_sol_file(b"3;x\r\n", month=OCTOBER)} == {"code_list"}
