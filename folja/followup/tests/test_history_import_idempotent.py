"""The history import (`folja import decisions`) is idempotent and checks its districts
(issue 12, duplicates): the same file twice changes nothing, and a misspelt district name is
an error naming the row and the field, not a new district."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from folja.cases.models import Decision
from folja.followup.imports import ImportFailed, import_decisions
from folja.followup.services import rollup_snapshot
from folja.people.models import District, Person
from folja.testing.factories import DistrictFactory

pytestmark = pytest.mark.django_db

CSV_2011 = Path(__file__).resolve().parent.parent / "data" / "decisions_2011.csv"
HEADER = (
    "person_ref,district,decided_on,legal_basis,outcome,requested_hours_per_month,"
    "granted_hours_per_month,valid_from,valid_to,model\n"
)
ROW_A = "ref-a,Kungsholmen,2015-03-01,LSS,granted,10,8,2015-03-10,2016-03-09,flex3\n"
ROW_B = "ref-b,Kungsholmen,2015-04-01,SoL,rejected,12,,,,monthly\n"
ROW_A_RENEWED = "ref-a,Kungsholmen,2016-02-20,LSS,granted,10,9,2016-03-10,2017-03-09,flex3\n"


def _state() -> tuple:
    return (
        sorted(
            Decision.objects.values_list(
                "person__personnummer", "decided_on", "outcome", "hours_per_month", "district_id"
            )
        ),
        Person.objects.count(),
        sorted(District.objects.values_list("code", "name")),
        rollup_snapshot(),
    )


@pytest.fixture
def kungsholmen(db):
    return DistrictFactory(code="KH", name="Kungsholmen")


def test_importing_the_same_history_file_twice_changes_nothing():
    text = CSV_2011.read_text(encoding="utf-8")
    for code, name in enumerate(sorted({line.split(",")[1] for line in text.splitlines()[1:]})):
        DistrictFactory(code=f"D{code}", name=name)
    first = import_decisions(text=text)
    after_first = _state()
    second = import_decisions(text=text)
    assert _state() == after_first
    assert first.created == 476 and first.unchanged == 0
    assert second.created == 0 and second.unchanged == 476
    assert second.districts_created == ()


def test_a_later_file_adds_only_the_rows_not_imported_before(kungsholmen):
    import_decisions(text=HEADER + ROW_A + ROW_B)
    result = import_decisions(text=HEADER + ROW_A + ROW_B + ROW_A_RENEWED)
    assert (result.created, result.unchanged) == (1, 2)
    assert Decision.objects.count() == 3
    assert Person.objects.count() == 2


def test_a_row_imported_before_with_other_hours_is_an_error_and_nothing_is_written(kungsholmen):
    import_decisions(text=HEADER + ROW_A)
    before = _state()
    changed = ROW_A.replace(",10,8,", ",10,12,")
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=HEADER + ROW_A_RENEWED + changed)
    [error] = exc.value.errors
    assert (error.row, error.field, error.code) == (
        3,
        "granted_hours_per_month",
        "conflicts_with_imported",
    )
    assert _state() == before


def test_the_same_decision_twice_in_one_file_is_an_error_on_the_later_row(kungsholmen):
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=HEADER + ROW_A + ROW_B + ROW_A)
    [error] = exc.value.errors
    assert (error.row, error.field, error.code) == (4, "person_ref", "duplicate_row")
    assert "rad 2" in error.message
    assert not Decision.objects.exists()


def test_a_misspelt_district_is_an_error_naming_the_row_and_field(kungsholmen):
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=HEADER + ROW_A + ROW_B.replace("Kungsholmen", "Kungsholmn"))
    [error] = exc.value.errors
    assert (error.row, error.field, error.code) == (3, "district", "unknown_district")
    assert "Kungsholmn" in error.message
    # All or nothing: the good row is not written either, and no district appears.
    assert not Decision.objects.exists() and not Person.objects.exists()
    assert list(District.objects.values_list("name", flat=True)) == ["Kungsholmen"]


def test_a_district_is_found_by_its_name_in_any_case_or_by_its_code(kungsholmen):
    import_decisions(
        text=HEADER
        + ROW_A.replace("Kungsholmen", "KUNGSHOLMEN")
        + ROW_B.replace("Kungsholmen", "kh")
    )
    assert set(Decision.objects.values_list("district_id", flat=True)) == {kungsholmen.pk}
    assert District.objects.count() == 1


def test_two_districts_of_the_same_name_need_the_code(kungsholmen):
    DistrictFactory(code="KH2", name="Kungsholmen")
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=HEADER + ROW_A)
    assert [(e.row, e.field, e.code) for e in exc.value.errors] == [
        (2, "district", "ambiguous_district")
    ]
    import_decisions(text=HEADER + ROW_A.replace("Kungsholmen", "KH2"))
    assert Decision.objects.get().district.code == "KH2"


def test_only_a_file_allowed_to_create_districts_creates_them(kungsholmen):
    text = HEADER + ROW_A + ROW_B.replace("Kungsholmen", "Nya Staden")
    with pytest.raises(ImportFailed):
        import_decisions(text=text)
    result = import_decisions(text=text, create_districts=True)
    assert result.districts_created == ("Nya Staden",)
    assert District.objects.filter(name="Nya Staden").count() == 1
    assert Decision.objects.get(person__decisions__outcome="rejected").district.name == (
        "Nya Staden"
    )
    # Imported again: the district created the first time is found, not made twice.
    again = import_decisions(text=text, create_districts=True)
    assert (again.created, again.districts_created) == (0, ())
    assert District.objects.count() == 2


def test_the_command_names_the_row_of_an_unknown_district_and_exits_2(tmp_path, kungsholmen):
    path = tmp_path / "historik.csv"
    path.write_text(HEADER + ROW_A + ROW_B.replace("Kungsholmen", "Kungsholmn"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "decisions", str(path), stderr=err)
    assert exc.value.code == 2
    assert err.getvalue().startswith("3, district, unknown_district: okänd stadsdel «Kungsholmn»")
    assert not Decision.objects.exists()


def test_the_command_creates_districts_only_when_told_and_a_rerun_changes_nothing(
    tmp_path, kungsholmen
):
    path = tmp_path / "historik.csv"
    path.write_text(HEADER + ROW_A + ROW_B.replace("Kungsholmen", "Nya Staden"), encoding="utf-8")
    out = StringIO()
    call_command("import", "decisions", "--create-districts", str(path), stdout=out)
    assert out.getvalue().strip() == (
        "2 beslut importerade, 0 fanns redan; nya stadsdelar: Nya Staden"
    )
    before = _state()
    out = StringIO()
    call_command("import", "decisions", "--create-districts", str(path), stdout=out)
    assert out.getvalue().strip() == "0 beslut importerade, 2 fanns redan"
    assert _state() == before


def test_the_create_districts_flag_is_refused_for_sessions(tmp_path):
    path = tmp_path / "pass.csv"
    path.write_text("external_id\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "sessions", "--create-districts", str(path), stderr=err)
    assert exc.value.code == 2
    assert "create_districts" in err.getvalue()
