"""Surveys (issue 15, items 5–7): composing, answering once, answers kept apart from who gave
them, and results shown only as suppressed aggregates."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from folja.accounts.models import Role
from folja.followup.opendata import SUPPRESSED
from folja.guidelines.reference import load_reference_data
from folja.surveys import selectors
from folja.surveys.models import Answer, Participation, Question
from folja.surveys.services import SurveyError, survey_answer, survey_create
from folja.testing.factories import DistrictFactory, PersonFactory, make_representative, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2024-06-10 10:00 +02:00", tick=False):
        yield


def _survey(audience="persons", keys=("flex-three-months", "satisfied-escort")):
    return survey_create(
        user=make_user(Role.ANALYST),
        title="Enkät våren 2024",
        audience=audience,
        opens_on=date(2024, 6, 1),
        closes_on=date(2024, 6, 30),
        questions=list(Question.objects.filter(key__in=keys)),
    )


def _persons_answer(survey, district, values, n):
    for _ in range(n):
        person = PersonFactory(district=district)
        user = make_user(Role.PERSON, person=person)
        survey_answer(user=user, survey=survey, person=person, values=values)


def test_the_question_bank_asks_about_the_model_satisfaction_and_unused_hours():
    keys = set(Question.objects.values_list("key", flat=True))
    assert {"flex-three-months", "expense-allowance", "costly-activity", "how-to-complain"} <= keys
    assert {"satisfied-escort", "unused-illness", "unused-planning", "unused-mismatch"} <= keys


def test_an_answer_row_has_no_key_to_a_user_or_a_person():
    related = {f.related_model._meta.label for f in Answer._meta.get_fields() if f.is_relation}
    assert related == {
        "surveys.Survey",
        "surveys.Question",
        "people.District",
        "providers.Provider",
    }


def test_a_person_answers_once_and_the_answer_carries_only_strata():
    survey = _survey()
    person = PersonFactory(birth_date=date(1950, 3, 1), sex="female")
    user = make_user(Role.PERSON, person=person)
    survey_answer(user=user, survey=survey, person=person, values={"flex-three-months": "yes"})
    answer = Answer.objects.get()
    assert (answer.district_id, answer.sex, answer.age_band, answer.month) == (
        person.district_id,
        "female",
        "65+",
        date(2024, 6, 1),
    )
    assert Participation.objects.get().person == person
    with pytest.raises(SurveyError) as err:
        survey_answer(user=user, survey=survey, person=person, values={"flex-three-months": "no"})
    assert err.value.code == "already_answered"
    assert selectors.open_surveys(user=user, person=person).count() == 0


def test_a_representative_answers_for_the_principal_who_then_is_not_asked_again():
    survey = _survey()
    person = PersonFactory()
    rep = make_representative(person)
    own = make_user(Role.PERSON, person=person)
    assert list(selectors.open_surveys(user=own, person=person)) == [survey]
    survey_answer(user=rep, survey=survey, person=person, values={"satisfied-escort": "4"})
    assert selectors.open_surveys(user=own, person=person).count() == 0


def test_a_provider_cannot_answer_a_person_survey_nor_anyone_a_closed_one():
    survey = _survey()
    staff = make_user(Role.PROVIDER_STAFF)
    with pytest.raises(SurveyError) as err:
        survey_answer(user=staff, survey=survey, values={"flex-three-months": "yes"})
    assert err.value.code == "not_invited"
    provider_survey = _survey(audience="providers")
    with (
        time_machine.travel("2024-07-01 10:00 +02:00", tick=False),
        pytest.raises(SurveyError) as err,
    ):
        survey_answer(user=staff, survey=provider_survey, values={"flex-three-months": "no"})
    assert err.value.code == "closed"


def test_an_invalid_choice_is_refused_with_a_field_error():
    survey = _survey()
    person = PersonFactory()
    with pytest.raises(SurveyError) as err:
        survey_answer(
            user=make_user(Role.PERSON, person=person),
            survey=survey,
            person=person,
            values={"flex-three-months": "kanske"},
        )
    assert (err.value.field, err.value.code) == ("flex-three-months", "invalid_choice")


def test_results_hide_small_counts_and_what_the_totals_would_give_away():
    survey = _survey(keys=("flex-three-months",))
    big, small = DistrictFactory(name="Stora"), DistrictFactory(name="Lilla")
    _persons_answer(survey, big, {"flex-three-months": "yes"}, 7)
    _persons_answer(survey, big, {"flex-three-months": "no"}, 6)
    _persons_answer(survey, small, {"flex-three-months": "no"}, 2)
    (block,) = selectors.results(survey=survey, dimension="district")
    rows = {r["label"]: r for r in block["rows"]}
    # Stora's "vet inte" is 0 (hidden), and alone it would follow from the row's total: the
    # next smallest member of the row, the 6 who said no, is hidden with it.
    assert [c["count"] for c in rows["Stora"]["cells"]] == [7, SUPPRESSED, SUPPRESSED]
    assert rows["Lilla"]["total"] == SUPPRESSED
    # Lilla's hidden total would follow from the city's 15: Stora's 13 is hidden too, and no
    # share is shown over a hidden total.
    assert rows["Stora"]["total"] == SUPPRESSED
    assert rows["Stora"]["cells"][0]["percent"] is None
    assert all(c["count"] == SUPPRESSED for c in rows["Lilla"]["cells"])
    # Lilla's 0 "ja" would follow from the city's 7 and Stora's 7: one of them is hidden.
    assert rows["Alla som svarat"]["cells"][0]["count"] == SUPPRESSED


def test_the_awareness_trend_gives_the_share_who_knew_per_survey():
    survey = _survey(keys=("flex-three-months", "satisfied-escort"))
    district = DistrictFactory()
    _persons_answer(survey, district, {"flex-three-months": "yes"}, 6)
    _persons_answer(survey, district, {"flex-three-months": "no"}, 5)
    (row,) = selectors.awareness_trend(until=date(2024, 8, 31))
    assert (row["survey"], row["respondents"], row["yes_percent"]) == (survey.title, 11, 55)
    assert selectors.awareness_trend(until=date(2024, 5, 31)) == []


def test_the_analyst_composes_a_survey_on_the_page():
    client = Client()
    client.force_login(make_user(Role.ANALYST))
    ids = list(Question.objects.filter(topic="awareness").values_list("pk", flat=True))
    response = client.post(
        "/enkater/",
        {
            "title": "Hösten",
            "audience": "persons",
            "opens_on": "2024-09-01",
            "closes_on": "2024-09-30",
            "questions": ids,
        },
    )
    assert response.status_code == 302
    response = client.post("/enkater/", {"title": "Fel", "audience": "persons"})
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in response.content.decode()


def test_a_person_answers_on_the_page_and_the_invitation_disappears():
    survey = _survey()
    person = PersonFactory()
    client = Client()
    client.force_login(make_user(Role.PERSON, person=person))
    page = client.get("/enkater/svara/").content.decode()
    assert survey.title in page and "Vet du att timmarna" in page
    response = client.post(f"/enkater/svara/?survey={survey.pk}", {"flex-three-months": "yes"})
    assert response.status_code == 302
    assert Answer.objects.filter(value="yes").count() == 1
    assert "ingen enkät för dig" in client.get("/enkater/svara/").content.decode()


def test_the_tertial_report_shows_the_awareness_trend(tmp_path):
    from folja.followup.reports import write_tertial_report
    from folja.testing.routes import readable_text

    survey = _survey(keys=("flex-three-months",))
    district = DistrictFactory()
    _persons_answer(survey, district, {"flex-three-months": "yes"}, 6)
    _persons_answer(survey, district, {"flex-three-months": "no"}, 5)
    pdf, _xlsx = write_tertial_report(year=2024, tertial=2, district=None, out=tmp_path)
    text = readable_text(pdf.read_bytes())
    assert "Kännedom om modellen i enkäterna" in text
    assert survey.title in text and "55 %" in text


def test_invitations_arrive_on_mina_sidor_in_the_provider_inbox_and_on_the_work_list():
    load_reference_data()
    person = PersonFactory()
    pages = {
        "persons": "/mina-sidor/",
        "providers": "/utforare/",
        "caseworkers": "/handlaggning/arbetslista/",
    }
    users = {
        "persons": make_user(Role.PERSON, person=person),
        "providers": make_user(Role.PROVIDER_ADMIN),
        "caseworkers": make_user(Role.CASEWORKER),
    }
    for audience, url in pages.items():
        client = Client()
        client.force_login(users[audience])
        assert 'id="survey-invitations"' not in client.get(url).content.decode(), url
        survey = _survey(audience=audience)
        page = client.get(url).content.decode()
        assert 'id="survey-invitations"' in page and f"?survey={survey.pk}" in page, url
