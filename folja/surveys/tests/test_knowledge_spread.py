"""Knowledge spread (issue 15, item 8): the share of persons with the service who opened their
statement or the guide, in any format, per district — counted from the opens the accessible
pages record in one place (`folja.accessible.opens`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from folja.accessible.opens import GUIDE, OPENED, STATEMENT, opened_what
from folja.accounts.models import Role
from folja.audit.models import AccessLog
from folja.ledger.changed import person_figures_changed
from folja.surveys.knowledge import knowledge_spread
from folja.testing.factories import DistrictFactory, make_representative, make_user
from folja.testing.factories_portal import make_portal_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    cache.clear()
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        yield


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _persons(district, n: int) -> list:
    return [make_portal_person(district=district, first_name=f"P{i}") for i in range(n)]


def _row(rows: list[dict], label: str) -> dict:
    return next(r for r in rows if r["label"] == label)


def test_the_guide_and_the_statement_record_their_opens_in_one_place_for_persons_only():
    pp = make_portal_person()
    representative = make_representative(pp.person)
    assert _client(pp.user).get("/information/").status_code == 200
    assert _client(representative).get("/information/").status_code == 200
    assert _client(pp.user).get("/information/mina/").status_code == 200
    # Staff and visitors without a login read the same public guide; they are not persons
    # with the service, and their reading is nobody's open.
    assert _client(make_user(Role.CASEWORKER)).get("/information/").status_code == 200
    assert Client().get("/information/").status_code == 200
    rows = AccessLog.objects.order_by("id").values_list("role", "person_id", "what")
    assert list(rows) == [
        (Role.PERSON, pp.person.pk, GUIDE),
        (Role.REPRESENTATIVE, pp.person.pk, GUIDE),
        (Role.PERSON, pp.person.pk, STATEMENT),
    ]
    assert opened_what(GUIDE, "brf") == "accessible_guide_brf"
    assert all(any(w.startswith(p) for p in OPENED) for _r, _p, w in rows)


def test_a_person_who_only_opened_the_guide_in_braille_counts_and_one_who_opened_nothing_not():
    north, south = DistrictFactory(name="Norra"), DistrictFactory(name="Södra")
    in_north, in_south = _persons(north, 10), _persons(south, 11)
    person_figures_changed(person_ids=[pp.person.pk for pp in in_north + in_south])
    # Norra: five persons download only the guide in braille; five open nothing.
    for pp in in_north[:5]:
        response = _client(pp.user).get("/information/ladda-ner/brf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/x-brf"
    # Södra: five open their statement page, one only the guide through a representative.
    for pp in in_south[:5]:
        assert _client(pp.user).get("/information/mina/").status_code == 200
    assert _client(make_representative(in_south[5].person)).get("/information/").status_code == 200
    # Opening twice, or in two formats, is still one person.
    _client(in_north[0].user).get("/information/")
    rows = knowledge_spread(year=2024)
    assert _row(rows, "Norra") | {"label": None} == {
        "label": None,
        "is_city": False,
        "persons": 10,
        "opened": 5,
        "percent": Decimal("50"),
    }
    south_row = _row(rows, "Södra")
    assert (south_row["persons"], south_row["opened"], south_row["percent"]) == (11, 6, 55)
    city = rows[-1]
    assert city["is_city"] and (city["persons"], city["opened"]) == (21, 11)
    # Opens of another year are not this year's.
    assert all(r["opened"] in (0, "..") for r in knowledge_spread(year=2023))


def test_a_district_with_few_openers_is_suppressed_by_the_open_data_rule():
    north, south = DistrictFactory(name="Norra"), DistrictFactory(name="Södra")
    in_north, in_south = _persons(north, 10), _persons(south, 10)
    person_figures_changed(person_ids=[pp.person.pk for pp in in_north + in_south])
    for pp in in_north[:6]:
        _client(pp.user).get("/information/")
    for pp in in_south[:2]:
        _client(pp.user).get("/information/")
    rows = knowledge_spread(year=2024)
    south_row = _row(rows, "Södra")
    assert south_row["opened"] == ".." and south_row["percent"] is None
