from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command

from folja.audit.models import AccessLog
from folja.reports.files import InvalidFile
from folja.reports.lss_register import (
    FIELD_NAMES,
    lss_file,
    lss_records,
    validate_lss_file,
)
from folja.reports.models import LssSupplement, StatutoryFile
from folja.reports.supplement import ImportFailed, lss_supplement_import
from folja.reports.tests.helpers import decision, district, person

pytestmark = pytest.mark.django_db
ON = date(2026, 10, 1)
NOW = datetime(2026, 10, 20, 9, 0)


@pytest.fixture
def city():
    """Persons whose answer is known in advance (held back from the code under test): who
    has ledsagarservice on 1 October 2026."""
    with time_machine.travel(NOW, tick=False):
        stockholm, solna = district("S01"), district("K01", "Solna")
        has = {}
        lacks = {}
        has["through"] = person(stockholm)
        decision(
            has["through"], act="LSS", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)
        )
        has["starts_on_the_day"] = person(solna)
        decision(has["starts_on_the_day"], act="LSS", valid_from=ON, valid_to=date(2027, 3, 31))
        has["ends_on_the_day"] = person(stockholm)
        decision(has["ends_on_the_day"], act="LSS", valid_from=date(2026, 4, 1), valid_to=ON)
        # A decision replaced on reconsideration grants nothing; its replacement does.
        has["reconsidered"] = person(stockholm)
        old = decision(
            has["reconsidered"], act="LSS", valid_from=date(2026, 2, 1), valid_to=date(2027, 1, 31)
        )
        new = decision(
            has["reconsidered"], act="LSS", valid_from=date(2026, 2, 1), valid_to=date(2027, 1, 31)
        )
        old.superseded_by = new
        old.save()
        # Two decisions in force on the day (a change of hours) still make one record.
        has["two_decisions"] = person(solna)
        decision(has["two_decisions"], act="LSS", valid_from=date(2026, 1, 1), valid_to=ON)
        decision(has["two_decisions"], act="LSS", valid_from=ON, valid_to=date(2026, 12, 31))

        lacks["ended_before"] = person(stockholm)
        decision(
            lacks["ended_before"],
            act="LSS",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 9, 30),
        )
        lacks["starts_after"] = person(stockholm)
        decision(
            lacks["starts_after"],
            act="LSS",
            valid_from=date(2026, 10, 2),
            valid_to=date(2027, 1, 1),
        )
        lacks["rejected"] = person(stockholm)
        decision(
            lacks["rejected"],
            act="LSS",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 12, 31),
            outcome="rejected",
        )
        lacks["sol_only"] = person(stockholm)
        decision(
            lacks["sol_only"], act="SoL", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31)
        )
        lacks["superseded_only"] = person(stockholm)
        gone = decision(
            lacks["superseded_only"],
            act="LSS",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 12, 31),
        )
        replacement = decision(
            lacks["superseded_only"],
            act="LSS",
            valid_from=date(2026, 1, 1),
            valid_to=date(2026, 9, 1),
        )
        gone.superseded_by = replacement
        gone.save()
    return has, lacks


def _parse(data: bytes) -> list[dict]:
    lines = data.decode("iso-8859-1").split("\r\n")
    assert lines[-1] == ""
    return [dict(zip(FIELD_NAMES, line.split(";"), strict=True)) for line in lines[:-1]]


@time_machine.travel(NOW, tick=False)
def test_the_register_holds_exactly_the_persons_with_ledsagarservice_on_the_date(city, tmp_path):
    has, lacks = city
    out = tmp_path / "lss.txt"
    call_command("report", "lss-register", "--date", "2026-10-01", "--out", str(out))
    rows = _parse(out.read_bytes())
    assert sorted(r["personnummer"] for r in rows) == sorted(p.personnummer for p in has.values())
    assert not {p.personnummer for p in lacks.values()} & {r["personnummer"] for r in rows}
    assert all(r["lss_9_3"] == "X" for r in rows)
    codes = {r["personnummer"]: r["kommunkod"] for r in rows}
    assert codes[has["through"].personnummer] == "0180"  # Stockholm
    assert (
        codes[has["starts_on_the_day"].personnummer] == "2184"
        or codes[has["starts_on_the_day"].personnummer] == "0184"
    )
    assert codes[has["starts_on_the_day"].personnummer] == "0184"  # Solna


@time_machine.travel(NOW, tick=False)
def test_the_written_file_passes_the_validator_and_is_recorded_with_its_reads(city, tmp_path):
    has, _ = city
    out = tmp_path / "lss.txt"
    call_command("report", "lss-register", "--date", "2026-10-01", "--out", str(out))
    data = out.read_bytes()
    assert validate_lss_file(data, on=ON) == []
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    written = StatutoryFile.objects.get(kind="lss_register")
    assert (written.period, written.records, written.persons) == ("2026-10-01", 5, 5)
    read = set(
        AccessLog.objects.filter(what="statutory:lss_register").values_list("person_id", flat=True)
    )
    assert read == {p.pk for p in has.values()}


@time_machine.travel(NOW, tick=False)
def test_fields_not_in_folja_are_empty_until_imported(city):
    has, _ = city
    records = {r.person_id: r.fields() for r in lss_records(ON)}
    fields = dict(zip(FIELD_NAMES, records[has["through"].pk], strict=True))
    assert (
        fields["personkrets"] == "" and fields["lss_9_2"] == "" and fields["lss_9_9_bostad"] == ""
    )

    csv = (
        "personnummer;personkrets;boende;boendekommun;insatser\r\n"
        f"{has['through'].personnummer};1;bostad_vuxna;0186;2 10\r\n"
        f"{has['starts_on_the_day'].personnummer};3;;;4\r\n"
    ).encode("cp1252")
    result = lss_supplement_import(data=csv, source="verksamhetssystem.csv")
    assert (result.created, result.updated) == (2, 0)

    records = {r.person_id: r.fields() for r in lss_records(ON)}
    fields = dict(zip(FIELD_NAMES, records[has["through"].pk], strict=True))
    assert fields["personkrets"] == "1"
    assert (fields["lss_9_2"], fields["lss_9_10"], fields["lss_9_4"]) == ("X", "X", "")
    assert fields["lss_9_9_bostad"] == "X" and fields["boendekommun"] == "0186"  # Lidingö
    solna = dict(zip(FIELD_NAMES, records[has["starts_on_the_day"].pk], strict=True))
    assert (solna["personkrets"], solna["lss_9_4"], solna["boendekommun"]) == ("3", "X", "")
    assert validate_lss_file(lss_file(list(lss_records(ON)), on=ON), on=ON) == []


@time_machine.travel(NOW, tick=False)
def test_one_bad_row_in_the_import_writes_nothing_and_names_every_problem(city):
    has, _ = city
    csv = (
        "personnummer;personkrets;boende;boendekommun;insatser\n"
        f"{has['through'].personnummer};1;bostad_vuxna;;2\n"
        "19800517-0034;4;slott;9999;3 11\n"
    ).encode()
    with pytest.raises(ImportFailed) as failed:
        lss_supplement_import(data=csv)
    found = {(p.row, p.field, p.code) for p in failed.value.problems}
    assert (3, "personnummer", "invalid") in found  # wrong check digit
    assert (3, "personkrets", "code_list") in found
    assert (3, "boende", "code_list") in found
    assert (3, "boendekommun", "code_list") in found
    assert (3, "insatser", "code_list") in found
    assert not LssSupplement.objects.exists()


def _line(**changes) -> bytes:
    fields = dict.fromkeys(FIELD_NAMES, "")
    fields.update(kommunkod="0180", personnummer="19800517-0033", lss_9_3="X")
    fields.update(changes)
    return (";".join(fields[n] for n in FIELD_NAMES) + "\r\n").encode("iso-8859-1")


def test_the_validator_rejects_what_the_specification_does_not_allow():
    assert validate_lss_file(_line(), on=ON) == []
    cases = {
        "personnummer": _line(personnummer="19800517-0034"),  # Luhn
        "kommunkod": _line(kommunkod="0999"),
        "personkrets": _line(personkrets="4"),
        "lss_9_2": _line(lss_9_2="1"),
        "boende": _line(lss_9_9_bostad="X", lss_9_8_familjehem="X"),
        "boendekommun": _line(boendekommun="0186"),  # without housing
    }
    for name, data in cases.items():
        assert name in {p.field for p in validate_lss_file(data, on=ON)}, name
    assert {p.code for p in validate_lss_file(_line() + _line(), on=ON)} == {"duplicate"}
    assert {p.code for p in validate_lss_file(b"0180;19800517-0033\r\n", on=ON)} == {"field_count"}
    assert "line_end" in {p.code for p in validate_lss_file(_line()[:-2] + b"\n", on=ON)}


@time_machine.travel(NOW, tick=False)
def test_an_invalid_file_is_never_written(city, tmp_path, monkeypatch):
    from folja.reports import lss_register

    monkeypatch.setattr(lss_register, "MARK", "x")  # a mark outside the code list
    with pytest.raises(InvalidFile):
        lss_file(lss_records(ON), on=ON)
    out = tmp_path / "lss.txt"
    with pytest.raises(SystemExit) as exit_:
        call_command("report", "lss-register", "--date", "2026-10-01", "--out", str(out))
    assert exit_.value.code == 2
    assert not out.exists()


def test_bad_input_is_a_field_error_as_json(tmp_path, capsys):
    import io
    import json

    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "report",
            "lss-register",
            "--date",
            "2026-13-01",
            "--out",
            str(tmp_path / "f"),
            stderr=err,
        )
    assert exit_.value.code == 2
    problem = json.loads(err.getvalue().strip().splitlines()[0])
    assert problem == {
        "field": "date",
        "code": "invalid_date",
        "message": "'2026-13-01' är inte ett datum som finns",
    }


@time_machine.travel(NOW, tick=False)
def test_one_municipality_gets_a_file_of_its_own(city, tmp_path):
    has, _ = city
    out = tmp_path / "solna.txt"
    call_command(
        "report", "lss-register", "--date", "2026-10-01", "--out", str(out), "--kommunkod", "0184"
    )
    rows = _parse(out.read_bytes())
    assert sorted(r["personnummer"] for r in rows) == sorted(
        [has["starts_on_the_day"].personnummer, has["two_decisions"].personnummer]
    )
    assert {r["kommunkod"] for r in rows} == {"0184"}


@time_machine.travel(NOW, tick=False)
def test_a_stored_number_that_is_no_personnummer_stops_the_file_and_names_the_person(
    city, tmp_path
):
    import io
    import json

    has, _ = city
    someone = has["through"]
    someone.personnummer = "H0123456789ab"  # an imported history's placeholder
    someone.save()
    err = io.StringIO()
    out = tmp_path / "lss.txt"
    with pytest.raises(SystemExit):
        call_command(
            "report", "lss-register", "--date", "2026-10-01", "--out", str(out), stderr=err
        )
    problems = [json.loads(line) for line in err.getvalue().splitlines()]
    assert {(p["field"], p["person"]) for p in problems} == {("personnummer", someone.pseudonym)}
    assert not out.exists()
