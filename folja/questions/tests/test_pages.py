"""The pages of tillämpningsfrågor: asking with a field error, acknowledging, the follow-up."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from folja.accounts.models import Role
from folja.questions import selectors
from folja.questions.services import question_answer
from folja.questions.tests.test_practice import _decisions, _ruling
from folja.rules.luhn import make_personnummer
from folja.testing.factories import DistrictFactory, make_user
from folja.testing.factories_questions import make_activity, make_question

pytestmark = pytest.mark.django_db


def test_a_provider_asks_through_the_page_and_a_personnummer_gives_a_swedish_field_error(city):
    client = Client()
    client.force_login(city["prov_p"])
    activity = make_activity()
    number = make_personnummer(date(1990, 7, 8), 77)
    response = client.post(
        "/tillampningsfragor/ny/",
        {"activity": activity.pk, "text": f"Personen {number} vill resa", "district": city["a"].pk},
    )
    assert response.status_code == 400
    assert "Texten innehåller ett personnummer" in response.content.decode()
    response = client.post(
        "/tillampningsfragor/ny/",
        {"activity": activity.pk, "text": "En resa på fyra dagar.", "district": city["a"].pk},
    )
    assert response.status_code == 302
    assert selectors.questions_for(user=city["cw_a"]).count() == 1


def test_acknowledging_a_notice_removes_it_from_the_list_of_that_district_only(city):
    question = make_question(asked_by=city["cw_a"])
    question_answer(user=city["analyst"], question=question, answer="Ja", publish=True)
    client = Client()
    client.force_login(city["cw_a"])
    assert client.post(f"/tillampningsfragor/{question.pk}/kvittera/").status_code == 302
    assert list(selectors.open_notices(user=city["cw_a"])) == []
    assert len(selectors.open_notices(user=city["cw_b"])) == 1


def test_the_follow_up_page_shows_the_flag_to_the_analyst():
    abroad = make_activity(name="Resa utomlands")
    _ruling(abroad, "not_covered")
    _decisions(DistrictFactory(name="Aström"), abroad, granted=6, rejected=0)
    client = Client()
    client.force_login(make_user(Role.ANALYST))

    with time_machine.travel(date(2024, 6, 1), tick=False):
        page = client.get("/tillampningsfragor/uppfoljning/").content.decode()
    assert "Avviker från tillämpningen:" in page and "Aström" in page


def test_the_provider_inbox_and_the_work_list_show_a_new_answer_until_it_is_acknowledged(city):
    question = make_question(asked_by=city["prov_p"], district=city["a"])
    question_answer(user=city["analyst"], question=question, answer="Ingår inte.", publish=True)
    provider, caseworker = Client(), Client()
    provider.force_login(city["prov_p"])
    caseworker.force_login(city["cw_b"])
    other_provider = Client()
    other_provider.force_login(city["prov_q"])
    heading = "Nya svar på tillämpningsfrågor"
    assert heading in provider.get("/utforare/").content.decode()
    assert heading in caseworker.get("/handlaggning/arbetslista/").content.decode()
    assert heading not in other_provider.get("/utforare/").content.decode()
    provider.post(f"/tillampningsfragor/{question.pk}/kvittera/")
    assert heading not in provider.get("/utforare/").content.decode()
