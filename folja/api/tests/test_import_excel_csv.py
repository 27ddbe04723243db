"""The providers' session import takes the CSV Swedish Excel saves (issue 17, 5), through the
one reader every import uses, and a file it cannot read is a Swedish reason, not a codec's."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from folja.delivery.models import Session
from folja.delivery.services import IMPORT_COLUMNS
from folja.testing.excel_csv import FLAVOURS
from folja.testing.factories_providers import bearer, provider_world

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 3, 3, 12, 0)


@pytest.fixture
def world():
    return provider_world()


def _rows(world) -> list[list[object]]:
    p, o = world.person.personnummer, world.order.pk
    return [
        list(IMPORT_COLUMNS),
        ["pass-å1", p, o, "", "2024-02-20 10:00", "2024-02-20 11:00", "executed", "", "1"],
        ["pass-ö2", p, o, "", "2024-02-21 10:00", "2024-02-21 11:30", "executed", "", ""],
    ]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_the_api_imports_each_way_an_office_saves_the_monthly_file(client, world, flavour):
    data = FLAVOURS[flavour](_rows(world))
    r = client.post("/api/v1/sessions/import", data, content_type="text/csv", **bearer(world.token))
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 2
    assert set(Session.objects.values_list("external_id", flat=True)) == {"pass-å1", "pass-ö2"}


@time_machine.travel(NOW, tick=False)
def test_the_api_refuses_a_file_in_another_encoding_with_a_swedish_reason(client, world):
    data = FLAVOURS["utf8-komma"](_rows(world)) + b"\x81\x9d"
    r = client.post("/api/v1/sessions/import", data, content_type="text/csv", **bearer(world.token))
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert (error["row"], error["field"], error["code"]) == (0, "file", "encoding")
    assert error["message"].startswith("Filen är inte i UTF-8 eller Windows-1252")
    assert Session.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_api_names_the_missing_column(client, world):
    rows = [[c for c in r if c != "status"] for r in _rows(world)[:1]]
    data = FLAVOURS["excel-semikolon-cp1252"](rows)
    r = client.post("/api/v1/sessions/import", data, content_type="text/csv", **bearer(world.token))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "row": 0,
            "field": "status",
            "code": "missing_column",
            "message": "Hittar ingen kolumnrubrik 'status'.",
        }
    ]


def test_the_openapi_document_describes_the_csv_format(client):
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/sessions/import"]["post"]["requestBody"]["content"]
    assert "Windows-1252" in body["text/csv"]["schema"]["description"]
