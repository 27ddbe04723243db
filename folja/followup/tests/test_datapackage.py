"""The open-data CSV is published with a Data Package descriptor that describes it as it is
(issue 17, 7): the export convention's dialect, each column's type with the decimal comma, and
".." as a missing value; every cell of the written file conforms to it."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from folja.followup.datapackage import FIELDS, open_data_package
from folja.followup.opendata import COLUMNS
from folja.testing.factories import DecisionFactory, DistrictFactory, PersonFactory

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[a-z0-9._-]+$")  # the Data Package spec's pattern for names
INTEGER = re.compile(r"^-?\d+$")
NUMBER_COMMA = re.compile(r"^-?\d+(,\d+)?$")


def _city() -> None:
    district = DistrictFactory(code="BIG", name="Storby")
    for i in range(12):
        DecisionFactory(
            person=PersonFactory(district=district, sex="female" if i < 7 else "male"),
            decided_on=date(2023, 3, 1),
            outcome="rejected" if i < 6 else "granted",
            hours_per_month=None if i < 6 else Decimal("10.5"),
            valid_from=None if i < 6 else date(2023, 4, 1),
            valid_to=None if i < 6 else date(2023, 12, 31),
        )


def test_every_column_has_a_described_field():
    assert set(FIELDS) == set(COLUMNS)


def test_the_published_csv_conforms_to_its_datapackage(tmp_path):
    _city()
    target = tmp_path / "folja-oppna-data-2023.csv"
    out = StringIO()
    call_command("opendata", "--year", "2023", "--out", str(target), stdout=out)
    package = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert package == open_data_package(years=[2023], path=target.name)
    assert package["$schema"].endswith("/2.0/datapackage.json") and NAME.match(package["name"])
    assert package["licenses"][0]["name"] == "CC0-1.0"
    (resource,) = package["resources"]
    assert NAME.match(resource["name"]) and resource["type"] == "table"
    assert (tmp_path / resource["path"]).exists()
    dialect, schema = resource["dialect"], resource["schema"]

    data = (tmp_path / resource["path"]).read_bytes()
    text = data.decode(resource["encoding"]).removeprefix("\ufeff")
    assert text.endswith(dialect["lineTerminator"])
    rows = list(
        csv.reader(
            io.StringIO(text, newline=""),
            delimiter=dialect["delimiter"],
            quotechar=dialect["quoteChar"],
            doublequote=dialect["doubleQuote"],
            lineterminator=dialect["lineTerminator"],
            strict=True,
        )
    )
    header, body = rows[0], rows[1:]
    fields = schema["fields"]
    assert header == [f["name"] for f in fields]
    assert body, "the file has rows"
    checked = {"integer": 0, "number": 0}
    for row in body:
        assert len(row) == len(fields)
        for value, field in zip(row, fields, strict=True):
            if value in {m["value"] for m in schema["missingValues"]}:
                continue
            if field["type"] == "integer":
                assert INTEGER.match(value), (field["name"], value)
                checked["integer"] += 1
            elif field["type"] == "number":
                assert field["decimalChar"] == ","
                assert NUMBER_COMMA.match(value), (field["name"], value)
                checked["number"] += 1
    assert checked["integer"] and checked["number"]  # the checks saw real values
    keys = [tuple(row[header.index(k)] for k in schema["primaryKey"]) for row in body]
    assert len(keys) == len(set(keys))
    storby = dict(zip(header, body[0], strict=True))
    assert storby["rejection_share"] == "0,500"
