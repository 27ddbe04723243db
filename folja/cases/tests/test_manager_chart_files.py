"""The unit manager's dashboard charts (issue 14, item 6): each has a CSV file of exactly the
figures it draws, linked from the page; decisions are counted on whole-number ticks from
zero."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from folja.testing.factories import DecisionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_each_manager_chart_has_its_figures_as_csv(client, ref, person, manager, frozen):
    DecisionFactory(person=person, decided_on=date(2024, 3, 3))
    DecisionFactory(
        person=PersonFactory(district=person.district, birth_date=date(1990, 1, 1)),
        decided_on=date(2024, 3, 9),
        outcome="rejected",
        hours_per_month=None,
        valid_from=None,
        valid_to=None,
    )
    client.force_login(manager)
    with translation.override("sv"):
        page = client.get(reverse("cases:manager_dashboard")).content.decode()
        decisions = _rows(client.get(reverse("cases:manager_chart_csv", args=["beslut"])))
        chart = client.get(reverse("cases:manager_chart", args=["beslut"])).content.decode()
    for name in ("beslut", "timmar"):  # no provider has sessions: no provider chart
        assert reverse("cases:manager_chart_csv", args=[name]) in page
    assert decisions[0] == ["Månad", "Beslut", "Avslag eller delavslag"]
    assert ["2024-03", "2", "1"] in decisions[1:]
    # The table on the page holds the same month.
    assert '<th scope="row">2024-03</th><td class="num">2</td><td class="num">1</td>' in page
    ticks = set(re.findall(r"<text[^>]*>([^<]*)<", chart))
    assert {"0", "1", "2"} <= ticks and not {t for t in ticks if re.fullmatch(r"\d,\d", t)}
    hours = _rows(client.get(reverse("cases:manager_chart_csv", args=["timmar"])))
    assert hours[0] == ["Månad", "Beviljade timmar", "Utförda timmar"]
    assert len(hours) == len(decisions)
    assert client.get(reverse("cases:manager_chart_csv", args=["okand"])).status_code == 404
