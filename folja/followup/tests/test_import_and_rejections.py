"""Historical import and the 2011 rejections table (FACTS.md)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from folja.cases.models import Decision
from folja.followup.imports import ImportFailed, import_decisions, placeholder_personnummer
from folja.people.models import District, Person

pytestmark = pytest.mark.django_db

CSV_2011 = Path(__file__).resolve().parent.parent / "data" / "decisions_2011.csv"
HEADER = (
    "person_ref,district,decided_on,legal_basis,outcome,requested_hours_per_month,"
    "granted_hours_per_month,valid_from,valid_to,model\n"
)


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_2011_csv_reproduces_the_seed_reports_rejection_table():
    _run("import", "decisions", "--create-districts", str(CSV_2011))
    result = json.loads(_run("report", "rejections", "--year", "2011", "--format", "json"))
    assert result == [
        {"district": "Bromma", "decisions": 52, "rejected_or_partly": 22, "share": 0.423},
        {
            "district": "Enskede-Årsta-Vantör",
            "decisions": 105,
            "rejected_or_partly": 26,
            "share": 0.248,
        },
        {"district": "Farsta", "decisions": 81, "rejected_or_partly": 24, "share": 0.296},
        {
            "district": "Hägersten-Liljeholmen",
            "decisions": 60,
            "rejected_or_partly": 12,
            "share": 0.200,
        },
        {
            "district": "Hässelby-Vällingby",
            "decisions": 103,
            "rejected_or_partly": 44,
            "share": 0.427,
        },
        {"district": "Kungsholmen", "decisions": 49, "rejected_or_partly": 4, "share": 0.082},
        {"district": "Östermalm", "decisions": 26, "rejected_or_partly": 5, "share": 0.192},
    ]
    text = _run("report", "rejections", "--year", "2011", "--format", "json")
    assert '"share": 0.200' in text  # three decimals kept in the JSON text
    csv_text = _run("report", "rejections", "--year", "2011", "--format", "csv")
    # Följa's one CSV convention (docs/exports.md): BOM, ";", decimal comma, CRLF.
    assert csv_text.split("\r\n")[0] == "\ufeffdistrict;decisions;rejected_or_partly;share"
    assert "\r\nHägersten-Liljeholmen;60;12;0,200\r\n" in csv_text
    assert _run("report", "rejections", "--year", "2012", "--format", "json") == "[]\n"


def test_imported_persons_get_a_placeholder_that_cannot_be_a_real_personnummer():
    import_decisions(
        text=HEADER + "ref-1,Ny stadsdel,2015-03-01,LSS,granted,10,8,2015-03-10,2016-03-09,flex3\n",
        create_districts=True,
    )
    person = Person.objects.get()
    assert person.personnummer == placeholder_personnummer("ref-1")
    assert person.personnummer.startswith("H") and len(person.personnummer) == 13
    assert District.objects.filter(name="Ny stadsdel").exists()
    decision = Decision.objects.get()
    assert decision.legal_basis.act == "LSS" and str(decision.hours_per_month) == "8.00"


def test_the_legal_basis_is_the_one_in_force_on_the_decision_date():
    import_decisions(
        text=HEADER
        + "a,X,2025-06-30,SoL,rejected,10,,,,monthly\n"
        + "b,X,2025-07-01,SoL,rejected,10,,,,monthly\n",
        create_districts=True,
    )
    refs = dict(
        Decision.objects.values_list(
            "person__external_ref" if False else "external_ref", "legal_basis__reference"
        )
    )
    assert refs["a"] == "SoL 4 kap. 1 §"
    assert refs["b"] == "SoL (2025:400)"


def test_an_import_with_errors_writes_nothing_and_lists_row_field_message():
    text = (
        HEADER
        + "ok,X,2015-03-01,LSS,granted,10,8,2015-03-10,2016-03-09,flex3\n"
        + "bad,X,2015-13-01,LAG,maybe,ten,,2015-03-10,2015-03-01,weekly\n"
        + "r,X,2015-03-01,SoL,granted,10,,,,\n"
    )
    with pytest.raises(ImportFailed) as exc:
        import_decisions(text=text)
    found = {(e.row, e.field) for e in exc.value.errors}
    assert {
        (3, "decided_on"),
        (3, "legal_basis"),
        (3, "outcome"),
        (3, "model"),
        (3, "requested_hours_per_month"),
        (3, "valid_to"),
        (4, "granted_hours_per_month"),
        (4, "valid_from"),
    } <= found
    assert not Decision.objects.exists() and not Person.objects.exists()


def test_the_command_exits_with_code_2_and_prints_errors(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("person_ref,district\nx,y\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "decisions", str(bad), stderr=err)
    assert exc.value.code == 2
    expected = "1, decided_on, missing_column: Hittar ingen kolumnrubrik 'decided_on'."
    assert expected in err.getvalue()


SESSION_HEADER = (
    "external_id,personnummer,order_id,escort_id,start,end,status,cancelled_at,escorts\n"
)


def test_sessions_import_goes_through_the_delivery_service_and_refreshes_the_rollup():
    from folja.followup.selectors import Slice, measures
    from folja.followup.session_import import import_sessions
    from folja.testing.factories_followup import build_small_city

    city = build_small_city()
    p1 = city["persons"][0]
    order = p1.orders.get()
    before = measures(Slice.year(2024)).sums["executed_minutes"]
    n = import_sessions(
        text=SESSION_HEADER
        + f"H-1,{p1.personnummer},{order.pk},,2024-03-02T10:00,2024-03-02T12:00,executed,,1\n"
    )
    assert n == 1
    assert measures(Slice.year(2024)).sums["executed_minutes"] == before + 120


def test_the_rollup_after_an_import_equals_one_rebuilt_from_the_database():
    # The import hands its verified sessions to the roll-up instead of reading them back:
    # the result must be what reading them back gives.
    from folja.followup.services import rollup_rebuild, rollup_snapshot
    from folja.followup.session_import import import_sessions
    from folja.testing.factories_followup import build_small_city

    city = build_small_city()
    lines = []
    for n, person in enumerate(city["persons"][:2]):
        order = person.orders.get()
        lines += [
            f"R-{n}-1,{person.personnummer},{order.pk},,2024-03-04T10:00,2024-03-04T13:00,"
            "executed,,1",
            f"R-{n}-2,{person.personnummer},{order.pk},,2024-04-09T18:00,2024-04-09T20:00,"
            "cancelled_by_person,2024-04-09T12:00,1",
        ]
    assert import_sessions(text=SESSION_HEADER + "\n".join(lines) + "\n") == 4
    after_import = rollup_snapshot()
    rollup_rebuild()
    assert rollup_snapshot() == after_import


def test_a_sessions_import_with_a_bad_row_writes_nothing():
    from folja.delivery.models import Session
    from folja.followup.session_import import import_sessions
    from folja.testing.factories_followup import build_small_city

    city = build_small_city()
    p1 = city["persons"][0]
    order = p1.orders.get()
    count = Session.objects.count()
    with pytest.raises(ImportFailed) as exc:
        import_sessions(
            text=SESSION_HEADER
            + f"H-1,{p1.personnummer},{order.pk},,2024-03-02T10:00,2024-03-02T12:00,executed,,1\n"
            + f"H-2,{p1.personnummer},{order.pk},,2024-03-03T10:00,2024-03-03T09:00,executed,,1\n"
            + f"H-3,{p1.personnummer},999999,,2024-03-03T10:00,2024-03-03T11:00,executed,,1\n"
        )
    rows = {(e.row, e.field) for e in exc.value.errors}
    assert (4, "order_id") in rows
    assert Session.objects.count() == count


def test_errors_from_the_delivery_import_carry_the_files_row_numbers():
    from folja.followup.session_import import import_sessions
    from folja.testing.factories_followup import build_small_city

    city = build_small_city()
    p1 = city["persons"][0]
    order = p1.orders.get()
    with pytest.raises(ImportFailed) as exc:
        import_sessions(
            text=SESSION_HEADER
            + f"H-1,{p1.personnummer},{order.pk},,2024-03-02T10:00,2024-03-02T12:00,executed,,1\n"
            + f"H-2,{p1.personnummer},{order.pk},,2024-03-03T10:00,2024-03-03T09:00,executed,,1\n"
        )
    assert [e.row for e in exc.value.errors] == [3]
