"""Dashboards: aggregates only, scoped by role, charts readable, no 5xx from bad input."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from folja.accounts.models import Role
from folja.people.models import Person
from folja.testing.factories import make_user
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def city():
    return build_small_city()


def _personal_strings() -> list[str]:
    out = []
    for p in Person.objects.all():
        out += [p.personnummer, p.personnummer.replace("-", ""), p.full_name, p.address]
        out += [p.first_name + " " + p.last_name, p.phone]
    return [s for s in out if s]


def _analyst_pages(city) -> list[str]:
    north = city["north"].pk
    pages = [
        reverse("followup:dashboard") + "?year=2024",
        reverse("followup:district") + f"?year=2024&district={north}",
        reverse("followup:equality") + "?year=2024",
        reverse("followup:open_data") + "?year=2024",
    ]
    for name in ("tidsserie", "stadsdelar", "avslag", "fordelning"):
        pages.append(reverse("followup:chart", args=[name]) + "?year=2024")
    return pages


def test_analyst_pages_show_no_personnummer_name_or_address(client, city):
    client.force_login(make_user(Role.ANALYST))
    secrets = _personal_strings()
    assert secrets  # the scan must have something to look for
    for url in _analyst_pages(city):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8")
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_the_city_dashboard_shows_the_measures_and_a_table_per_chart(client, city):
    client.force_login(make_user(Role.ANALYST))
    body = client.get(reverse("followup:dashboard") + "?year=2024").content.decode()
    assert "Norrby" in body and "Söderby" in body
    assert body.count("<figure") == 4 and body.count("<caption>") >= 4
    assert "32 %" in body  # execution rate 960 / 2975
    assert "style=" not in body and "<script>" not in body


def test_charts_are_svg_with_hatching_and_labels(client, city):
    client.force_login(make_user(Role.ANALYST))
    response = client.get(reverse("followup:chart", args=["stadsdelar"]) + "?year=2024")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert ("<svg" in svg and "hatch" in svg.lower()) or "pattern" in svg.lower()
    assert "Norrby" in svg


def test_a_unit_manager_sees_only_their_own_district(client, city):
    manager = make_user(Role.UNIT_MANAGER, district=city["south"])
    client.force_login(manager)
    url = reverse("followup:district") + f"?year=2024&district={city['north'].pk}"
    body = client.get(url).content.decode()
    assert "Uppföljning Söderby" in body and "Norrby" not in body
    assert client.get(reverse("followup:dashboard")).status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PROVIDER_STAFF, Role.PERSON])
def test_other_roles_get_404_on_follow_up_pages(client, city, role):
    client.force_login(make_user(role))
    assert client.get(reverse("followup:dashboard")).status_code == 404
    assert client.get(reverse("followup:equality")).status_code == 404


def test_bad_parameters_do_not_give_a_server_error(client, city):
    client.force_login(make_user(Role.ANALYST))
    for query in ("?year=abc", "?year=99999", "?district=x", "?district=99999"):
        status = client.get(reverse("followup:district") + query).status_code
        assert status in (200, 404), query
    assert client.get(reverse("followup:chart", args=["nope"])).status_code == 404


def test_the_equality_page_speaks_plain_swedish(client, city):
    client.force_login(make_user(Role.ANALYST))
    body = client.get(reverse("followup:equality") + "?year=2024").content.decode()
    assert "Norrby" in body and "för få beslut" in body
