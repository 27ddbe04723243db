"""Survey results over time (issue 15, item 7): per district, provider, gender and age band,
each survey period's figures side by side, suppressed as each period's results are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from folja.accounts.models import Role
from folja.followup.opendata import SUPPRESSED
from folja.surveys import selectors
from folja.surveys.models import Question
from folja.surveys.services import survey_answer, survey_create
from folja.testing.factories import DistrictFactory, PersonFactory, make_user

pytestmark = pytest.mark.django_db

KEY = "flex-three-months"
BORN = date(1980, 5, 5)


def _survey(title: str, opens_on: date, closes_on: date, audience: str = "persons"):
    return survey_create(
        user=make_user(Role.ANALYST),
        title=title,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        questions=list(Question.objects.filter(key=KEY)),
    )


def _answers(survey, district, sex: str, yes: int, no: int, unsure: int) -> None:
    for value, n in (("yes", yes), ("no", no), ("unsure", unsure)):
        for _ in range(n):
            person = PersonFactory(district=district, sex=sex, birth_date=BORN)
            user = make_user(Role.PERSON, person=person)
            survey_answer(user=user, survey=survey, person=person, values={KEY: value})


@pytest.fixture
def two_periods():
    district = DistrictFactory(name="Norra")
    with time_machine.travel("2024-02-10 10:00 +01:00", tick=False):
        winter = _survey("Enkät vintern", date(2024, 2, 1), date(2024, 2, 29))
        _answers(winter, district, "female", 10, 5, 5)
        _answers(winter, district, "male", 5, 5, 5)
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        summer = _survey("Enkät sommaren", date(2024, 6, 1), date(2024, 6, 30))
        _answers(summer, district, "female", 5, 5, 5)
        _answers(summer, district, "male", 10, 5, 5)
        # Another audience's survey is not part of the persons' series.
        _survey("Utförarenkät", date(2024, 3, 1), date(2024, 3, 31), audience="providers")
    return winter, summer


def _cells(block: dict, label: str) -> list[tuple]:
    row = next(r for r in block["rows"] if r["label"] == label)
    return [(c["total"], c["percent"]) for c in row["cells"]]


def test_each_of_the_four_slices_is_followed_over_the_survey_periods(two_periods):
    winter, summer = two_periods
    (block,) = selectors.results_over_time(survey=summer, dimension="sex")
    assert [p["survey"] for p in block["periods"]] == [winter, summer]
    assert block["periods"][0]["period"] == "2024-02-01–2024-02-29"
    assert str(block["option"]) == "Ja"
    assert _cells(block, "Kvinna") == [(20, Decimal("50")), (15, Decimal("33"))]
    assert _cells(block, "Man") == [(15, Decimal("33")), (20, Decimal("50"))]
    assert _cells(block, "Alla som svarat") == [(35, Decimal("43")), (35, Decimal("43"))]
    # The same figures as each period's own results, for every slice.
    for dimension in selectors.OVER_TIME:
        (block,) = selectors.results_over_time(survey=summer, dimension=dimension)
        for n, survey in enumerate((winter, summer)):
            (own,) = selectors.results(survey=survey, dimension=dimension)
            for row in own["rows"]:
                mine = next(r for r in block["rows"] if r["key"] == row["key"])
                assert mine["cells"][n] == {
                    "total": row["total"],
                    "percent": row["cells"][0]["percent"],
                }, (dimension, survey.title, row["label"])
    # The earlier survey's series stops at itself; the month is itself time.
    (block,) = selectors.results_over_time(survey=winter, dimension="district")
    assert [p["survey"] for p in block["periods"]] == [winter]
    assert selectors.results_over_time(survey=summer, dimension="month") == []


def test_a_small_stratum_and_a_period_without_its_answers_are_suppressed(two_periods):
    _winter, summer = two_periods
    south = DistrictFactory(name="Södra")
    with time_machine.travel("2024-06-11 10:00 +02:00", tick=False):
        _answers(summer, south, "female", 2, 0, 0)
    (block,) = selectors.results_over_time(survey=summer, dimension="district")
    # Södra gave no answers in winter (a count of 0) and two in summer: both hidden.
    assert _cells(block, "Södra") == [(SUPPRESSED, None), (SUPPRESSED, None)]
    # Norra's summer yes count would give Södra's away through the city's: hidden as well.
    (norra_summer_total, norra_summer_yes) = _cells(block, "Norra")[1]
    (own,) = selectors.results(survey=summer, dimension="district")
    norra = next(r for r in own["rows"] if r["label"] == "Norra")
    assert (norra_summer_total, norra_summer_yes) == (norra["total"], norra["cells"][0]["percent"])
    assert norra_summer_yes is None
    assert _cells(block, "Norra")[0] == (35, Decimal("43"))  # winter is untouched


def test_the_results_page_shows_the_slices_over_time(two_periods):
    _winter, summer = two_periods
    client = Client()
    client.force_login(make_user(Role.ANALYST))
    with time_machine.travel("2024-07-01 10:00 +02:00", tick=False):
        page = client.get("/enkater/resultat/", {"survey": summer.pk, "by": "sex"})
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="over-time"' in html
        assert "Enkät vintern 2024-02-01–2024-02-29" in html
        assert "50 % (20)" in html and "33 % (15)" in html
        by_month = client.get("/enkater/resultat/", {"survey": summer.pk, "by": "month"})
        assert "för att följa svaren över tid" in by_month.content.decode()
    for role in (Role.CASEWORKER, Role.PERSON, Role.PROVIDER_ADMIN, Role.UNIT_MANAGER):
        other = Client()
        other.force_login(make_user(role))
        assert other.get("/enkater/resultat/").status_code == 404, role
