"""`folja opendata --out DIR` publishes every open-data file with its `datapackage.json`, and
the descriptor and every CSV validate with the frictionless library (issue 14, 9) — offline:
frictionless checks against the profiles it ships with and may not fetch one."""

from __future__ import annotations

import json
import socket
from datetime import date
from decimal import Decimal
from io import StringIO

import frictionless
import pytest
from django.core.management import call_command

from folja.followup.datapackage import MISSING_VALUES
from folja.followup.opendata import SUPPRESSED
from folja.testing.factories import DecisionFactory, DistrictFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails the test: a validation that needs the network is wrong."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"frictionless tried to connect: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


BIG = ("Storby", "Mellanby", "Vidby")


def _city() -> None:
    """Big districts (figures shown) and a small one (figures suppressed), in two years."""
    bigs = [DistrictFactory(code=f"BIG{n}", name=name) for n, name in enumerate(BIG)]
    small = DistrictFactory(code="SMA", name="Lillby")
    for year in (2023, 2024):
        for n, i in ((d, i) for d in range(len(bigs)) for i in range(20 + 3 * d)):
            DecisionFactory(
                person=PersonFactory(district=bigs[n], sex="female" if i % 2 == 0 else "male"),
                decided_on=date(year, 3, 1),
                outcome="rejected" if i < 5 else "granted",
                hours_per_month=None if i < 5 else Decimal("10.5"),
                valid_from=None if i < 5 else date(year, 4, 1),
                valid_to=None if i < 5 else date(year, 12, 31),
            )
        DecisionFactory(
            person=PersonFactory(district=small, sex="female"),
            decided_on=date(year, 5, 1),
            outcome="granted",
            hours_per_month=Decimal("4"),
            valid_from=date(year, 5, 1),
            valid_to=date(year, 12, 31),
        )


def _publish(directory) -> list[str]:
    out = StringIO()
    call_command(
        "opendata", "--year", "2024", "--year", "2023", "--out", str(directory), stdout=out
    )
    return out.getvalue().split()


def _errors(report: frictionless.Report) -> list[str]:
    return [e.message for e in report.errors] + [
        e.message for task in report.tasks for e in task.errors
    ]


def test_the_published_directory_validates_with_frictionless(tmp_path, no_network):
    _city()
    directory = tmp_path / "oppna-data"  # does not exist yet: the command creates it
    written = _publish(directory)
    names = sorted(p.name for p in directory.iterdir())
    assert names == ["datapackage.json", "folja-oppna-data-2023.csv", "folja-oppna-data-2024.csv"]
    assert sorted(str(directory / n) for n in names) == sorted(written)

    report = frictionless.validate(str(directory / "datapackage.json"))
    assert report.valid, _errors(report)
    package = json.loads((directory / "datapackage.json").read_text("utf-8"))
    # Every published CSV is a resource of the package, and frictionless read each one's rows.
    assert sorted(r["path"] for r in package["resources"]) == names[1:]
    assert len(report.tasks) == 2 and all(task.stats["rows"] >= 3 for task in report.tasks)
    # The small district's counts are suppressed, and the descriptor says why.
    assert SUPPRESSED in (directory / "folja-oppna-data-2023.csv").read_text("utf-8-sig")
    (suppressed,) = [
        m for m in package["resources"][0]["schema"]["missingValues"] if m["value"] == SUPPRESSED
    ]
    assert "under 5" in suppressed["label"]
    units = {f["name"]: f.get("unit") for f in package["resources"][0]["schema"]["fields"]}
    assert units["granted_hours"] == "timmar" and units["persons"] == "personer"


def test_frictionless_reads_the_values_as_typed_numbers(tmp_path, no_network):
    _city()
    _publish(tmp_path)
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("folja-oppna-data-2023").read_rows()
    city = next(r for r in rows if r["district"] == "Hela staden")
    assert city["year"] == 2023 and city["decisions"] == 1 + 20 + 23 + 26
    assert city["rejection_share"] == Decimal("0.214")  # the decimal comma understood: 15/70
    lillby = next(r for r in rows if r["district"] == "Lillby")
    assert lillby["persons"] is None  # ".." read as missing, not as text


def test_a_cell_that_breaks_the_schema_fails_validation(tmp_path, no_network):
    _city()
    _publish(tmp_path)
    path = tmp_path / "folja-oppna-data-2024.csv"
    data = path.read_bytes().replace(b";Hela staden;", b";Hela staden;many", 1)
    path.write_bytes(data)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert any("type" in message.lower() for message in _errors(report))


def test_an_invalid_descriptor_fails_validation(tmp_path, no_network):
    _city()
    _publish(tmp_path)
    descriptor = tmp_path / "datapackage.json"
    package = json.loads(descriptor.read_text("utf-8"))
    package["resources"][0]["schema"]["fields"][0]["type"] = "whole-number"
    descriptor.write_text(json.dumps(package), "utf-8")
    assert not frictionless.validate(str(descriptor)).valid


def test_every_missing_value_says_why():
    assert {m["value"] for m in MISSING_VALUES} == {"", SUPPRESSED}
    assert all(len(m["label"]) > 20 for m in MISSING_VALUES)


def test_out_file_keeps_the_one_file_form(tmp_path, no_network):
    _city()
    target = tmp_path / "alla.csv"
    call_command(
        "opendata", "--year", "2023", "--year", "2024", "--out", str(target), stdout=StringIO()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alla.csv", "datapackage.json"]
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, _errors(report)
