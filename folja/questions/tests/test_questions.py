from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from folja.audit.models import AuditEvent
from folja.questions import selectors
from folja.questions.models import QuestionNotice
from folja.questions.services import contains_personnummer, question_answer
from folja.rules.luhn import make_personnummer
from folja.testing.factories_questions import make_activity, make_question

pytestmark = pytest.mark.django_db


def test_a_text_with_a_valid_personnummer_is_recognised_and_an_invalid_one_is_not():
    number = make_personnummer(date(1980, 5, 17), 123)
    assert contains_personnummer(f"Personen {number} vill resa")
    assert contains_personnummer(f"Personen {number.replace('-', '')[2:]} vill resa")
    assert not contains_personnummer("Fallet gäller en resa på 4 dagar, 12 timmar per månad")
    assert not contains_personnummer("Telefon 0701234567 är ingen personnummer-form som går igenom")


def test_a_question_with_a_personnummer_is_refused_with_a_field_error(city):
    number = make_personnummer(date(1975, 1, 2), 45)
    with pytest.raises(ValidationError) as e:
        make_question(asked_by=city["cw_a"], text=f"Gäller {number}, en resa")
    assert e.value.error_dict["text"][0].code == "contains_personnummer"


def test_a_caseworkers_question_is_about_their_own_district_whatever_they_name(city):
    question = make_question(asked_by=city["cw_a"], district=city["b"])
    assert question.district == city["a"] and question.provider is None


def test_a_provider_sees_only_its_own_questions_and_the_published_answers(city):
    own = make_question(asked_by=city["prov_p"], district=city["a"])
    other = make_question(asked_by=city["prov_q"], district=city["b"])
    answered_private = make_question(asked_by=city["prov_q"])
    question_answer(user=city["analyst"], question=answered_private, answer="Nej.", publish=False)
    published = make_question(asked_by=city["cw_b"])
    question_answer(user=city["analyst"], question=published, answer="Ja.", publish=True)
    seen = set(selectors.questions_for(user=city["prov_p"]))
    assert seen == {own, published}
    assert other not in seen and answered_private not in seen


def test_the_other_district_sees_its_own_questions_and_not_those_of_another(city):
    mine = make_question(asked_by=city["cw_b"])
    about_me = make_question(asked_by=city["prov_p"], district=city["b"])
    theirs = make_question(asked_by=city["cw_a"])
    assert set(selectors.questions_for(user=city["cw_b"])) == {mine, about_me}
    assert set(selectors.questions_for(user=city["cw_a"])) == {theirs}
    assert set(selectors.questions_for(user=city["analyst"])) == {mine, about_me, theirs}


def test_a_published_answer_tells_every_district_and_the_asking_provider(city):
    question = make_question(asked_by=city["prov_p"], district=city["a"])
    question_answer(
        user=city["analyst"], question=question, answer="Ingår med villkor.", publish=True
    )
    notices = QuestionNotice.objects.filter(question=question)
    assert {n.district for n in notices if n.district} == {city["a"], city["b"]}
    assert [n.provider.name for n in notices if n.provider] == ["Utförare P"]
    assert [n.question for n in selectors.open_notices(user=city["cw_b"])] == [question]
    assert list(selectors.open_notices(user=city["prov_q"])) == []
    assert AuditEvent.objects.filter(action="question_answer").count() == 1


def test_an_unpublished_answer_tells_only_the_district_and_provider_of_the_question(city):
    question = make_question(asked_by=city["prov_p"], district=city["a"])
    question_answer(
        user=city["analyst"], question=question, answer="Bedöms i varje fall.", publish=False
    )
    assert list(selectors.open_notices(user=city["cw_b"])) == []
    assert len(selectors.open_notices(user=city["cw_a"])) == 1
    assert len(selectors.open_notices(user=city["prov_p"])) == 1


def test_only_the_analyst_answers_and_only_once(city):
    question = make_question(asked_by=city["cw_a"])
    with pytest.raises(ValidationError):
        question_answer(user=city["cw_a"], question=question, answer="Ja", publish=True)
    question_answer(user=city["analyst"], question=question, answer="Ja", publish=True)
    with pytest.raises(ValidationError) as e:
        question_answer(user=city["analyst"], question=question, answer="Nej", publish=True)
    assert e.value.error_dict["answer"][0].code == "already_answered"


def test_questions_are_searched_by_text_and_by_activity(city):
    trip = make_activity(name="Resa utomlands")
    doctor = make_activity(name="Läkarbesök")
    q1 = make_question(asked_by=city["cw_a"], activity=trip, text="Fyra dagar på Åland med båt.")
    q2 = make_question(asked_by=city["cw_a"], activity=doctor, text="Följa med in till läkaren?")
    question_answer(
        user=city["analyst"], question=q2, answer="Ledsagaren väntar utanför.", publish=True
    )
    user = city["cw_a"]
    assert list(selectors.questions_for(user=user, query="åland")) == [q1]
    assert list(selectors.questions_for(user=user, query="väntar utanför")) == [q2]
    assert list(selectors.questions_for(user=user, query="läkarbesök")) == [q2]
    assert list(selectors.questions_for(user=user, activity_id=trip.pk)) == [q1]


def test_handling_time_is_the_median_of_asked_to_answered_per_quarter(city):
    analyst = city["analyst"]
    spans = [
        (datetime(2026, 1, 5, 9), datetime(2026, 1, 7, 9)),  # 2 days, K1
        (datetime(2026, 2, 1, 9), datetime(2026, 2, 11, 9)),  # 10 days, K1
        (datetime(2026, 3, 1, 9), datetime(2026, 3, 5, 9)),  # 4 days, K1
        (datetime(2026, 3, 30, 9), datetime(2026, 4, 2, 9)),  # 3 days, K2 (answered then)
    ]
    for asked, answered in spans:
        with time_machine.travel(asked, tick=False):
            question = make_question(asked_by=city["cw_a"])
        with time_machine.travel(answered, tick=False):
            question_answer(user=analyst, question=question, answer="Svar", publish=True)
    make_question(asked_by=city["cw_a"])  # unanswered: no handling time yet
    rows = selectors.handling_time_by_quarter(user=analyst)
    assert [(r.quarter, r.answered, r.median_days) for r in rows] == [
        ("2026 K1", 3, 4.0),
        ("2026 K2", 1, 3.0),
    ]


def test_an_answer_published_as_a_ruling_becomes_the_activitys_new_version_in_the_handbook(city):
    from folja.handbook.models import Ruling, RulingStatus
    from folja.handbook.selectors import ruling_in_force

    activity = make_activity(name="Elitidrott")
    question = make_question(asked_by=city["prov_p"], activity=activity, district=city["a"])
    with time_machine.travel(datetime(2026, 5, 4, 10), tick=False):
        question_answer(
            user=city["analyst"],
            question=question,
            answer="Ledsagning till tävlingar ingår inte; träning på fritiden ingår.",
            publish=False,
            ruling_kind="covered_with_conditions",
            ruling_conditions="Gäller fritidsträning, inte tävlingsresor.",
        )
    question.refresh_from_db()
    ruling = Ruling.objects.get(activity=activity)
    assert question.ruling == ruling and question.published
    assert ruling.status == RulingStatus.PUBLISHED and ruling.version == 1
    assert ruling.reasoning.startswith("Ledsagning till tävlingar")
    assert ruling_in_force(user=city["cw_b"], activity=activity, on=date(2026, 5, 4)) == ruling
    # Published, so every district (and the asker) is told and everyone can read it.
    assert len(selectors.open_notices(user=city["cw_b"])) == 1
    assert question in selectors.questions_for(user=city["prov_q"])


def test_a_ruling_the_handbook_refuses_leaves_the_question_unanswered(city):
    question = make_question(asked_by=city["cw_a"])
    with pytest.raises(ValidationError) as e:
        question_answer(
            user=city["analyst"],
            question=question,
            answer="Svar",
            publish=True,
            ruling_kind="sometimes",
        )
    assert "kind" in e.value.error_dict
    question.refresh_from_db()
    assert question.answered_at is None and not QuestionNotice.objects.exists()
