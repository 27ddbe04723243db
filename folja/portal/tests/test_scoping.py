from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from folja.accounts.models import Role
from folja.portal.selectors import ACTIVE_PERSON_KEY
from folja.testing.factories import FeedbackFactory, make_representative, make_user
from folja.testing.factories_portal import make_portal_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime(2024, 2, 15, 12), tick=False):
        yield


PORTAL_PAGES = [
    "portal:home",
    "portal:money",
    "portal:providers",
    "portal:feedback",
    "portal:feedback_new",
    "portal:expense_new",
    "portal:costly_new",
    "accessible:statement",
]


def _two_people():
    anna = make_portal_person(
        first_name="Anna", sessions=[(datetime(2024, 1, 10, 10), 60, "Annas bio")]
    )
    bo = make_portal_person(
        first_name="Bo", last_name="Ek", sessions=[(datetime(2024, 1, 11, 10), 60, "Bos bad")]
    )
    return anna, bo


def test_a_person_sees_only_their_own_sessions(client):
    anna, _bo = _two_people()
    client.force_login(anna.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Annas bio" in html
    assert "Bos bad" not in html


def test_a_person_cannot_switch_to_another_person_by_tampering_with_the_session(client):
    anna, bo = _two_people()
    client.force_login(anna.user)
    session = client.session
    session[ACTIVE_PERSON_KEY] = bo.person.pk
    session.save()
    html = client.get(reverse("portal:home")).content.decode()
    assert "Annas bio" in html
    assert "Bos bad" not in html


def test_a_person_cannot_choose_another_person(client):
    anna, bo = _two_people()
    client.force_login(anna.user)
    response = client.post(reverse("portal:choose_person"), {"person": bo.person.pk})
    # One principal (themself): nothing to choose, so no choice is taken from the request.
    assert response.status_code == 302
    assert client.session.get(ACTIVE_PERSON_KEY) == anna.person.pk


def test_a_representative_sees_their_principal_and_can_switch_between_principals(client):
    anna, bo = _two_people()
    rep = make_representative(anna.person)
    client.force_login(rep)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Annas bio" in html and "Bos bad" not in html
    assert "Du ser uppgifter för Anna" in html

    # Bo becomes a principal too: the representative picks him explicitly.
    from folja.people.models import Representative

    Representative.objects.create(person=bo.person, user=rep, kind="god_man", name="Rep")
    response = client.post(reverse("portal:choose_person"), {"person": bo.person.pk})
    assert response.status_code == 302
    html = client.get(reverse("portal:home")).content.decode()
    assert "Bos bad" in html and "Annas bio" not in html


def test_a_representative_cannot_choose_someone_who_is_not_their_principal(client):
    anna, bo = _two_people()
    rep = make_representative(anna.person)
    client.force_login(rep)
    client.post(reverse("portal:choose_person"), {"person": bo.person.pk})
    assert client.session.get(ACTIVE_PERSON_KEY) != bo.person.pk
    session = client.session
    session[ACTIVE_PERSON_KEY] = bo.person.pk
    session.save()
    assert "Bos bad" not in client.get(reverse("portal:home")).content.decode()


def test_a_representative_with_one_principal_goes_straight_to_that_principal(client):
    anna, _bo = _two_people()
    rep = make_representative(anna.person)
    client.force_login(rep)
    response = client.get(reverse("portal:choose_person"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    html = client.get(response["Location"]).content.decode()
    assert "Du ser uppgifter för Anna" in html
    assert "Byt person" not in html


def test_a_representative_with_two_principals_is_offered_both(client):
    anna, bo = _two_people()
    rep = make_representative(anna.person)
    from folja.people.models import Representative

    Representative.objects.create(person=bo.person, user=rep, kind="forvaltare", name="Rep")
    client.force_login(rep)
    html = client.get(reverse("portal:choose_person")).content.decode()
    assert anna.person.full_name in html and bo.person.full_name in html
    assert "Byt person" in client.get(reverse("portal:home")).content.decode()


def test_a_representative_without_an_active_principal_gets_404_everywhere(client):
    anna, _bo = _two_people()
    rep = make_representative(anna.person)
    rep.representations.update(active=False)
    client.force_login(rep)
    for name in PORTAL_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    url = reverse("accessible:statement_download", args=["html"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PROVIDER_STAFF, Role.ANALYST])
def test_staff_get_404_for_the_person_pages(client, role):
    client.force_login(make_user(role))
    for name in PORTAL_PAGES:
        assert client.get(reverse(name)).status_code == 404, name


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_of_another_district_or_provider_get_404_for_feedback(client):
    anna, _bo = _two_people()
    district_fb = FeedbackFactory(person=anna.person, about="district")
    provider_fb = FeedbackFactory(person=anna.person, about="provider", provider=anna.provider)
    outsiders = [make_user(Role.CASEWORKER), make_user(Role.PROVIDER_STAFF)]
    for user in outsiders:
        client.force_login(user)
        for fb in (district_fb, provider_fb):
            url = reverse("portal:feedback_reply", args=[fb.pk])
            assert client.get(url).status_code == 404


def test_a_person_gets_404_for_the_staff_feedback_pages(client):
    anna, _bo = _two_people()
    fb = FeedbackFactory(person=anna.person)
    client.force_login(anna.user)
    assert client.get(reverse("portal:feedback_inbox")).status_code == 404
    assert client.get(reverse("portal:feedback_reply", args=[fb.pk])).status_code == 404


def test_a_representative_downloads_the_statement_of_their_principal_only(client):
    anna, _bo = _two_people()
    rep = make_representative(anna.person)
    client.force_login(rep)
    response = client.get(reverse("accessible:statement_download", args=["html"]))
    text = response.content.decode()
    assert "Anna" in text and "Annas bio" in text
    assert "Bos bad" not in text
