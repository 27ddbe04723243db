"""A decision letter goes to the person and to their legal representative (issue 13, item 2):
the representative whose mandate is in force is an addressee, with their address."""

from __future__ import annotations

from datetime import date

import pytest

from folja.cases import services
from folja.people.models import Representative
from folja.testing.factories import DecisionFactory

pytestmark = pytest.mark.django_db


def test_the_letter_is_addressed_to_the_person_and_to_their_god_man(
    ref, person, caseworker, frozen
):
    Representative.objects.create(
        person=person,
        kind="god_man",
        name="Gunnar Man",
        address="Box 12",
        postal_code="111 22",
        city="Stockholm",
        valid_from=date(2024, 1, 1),
    )
    decision = DecisionFactory(person=person, caseworker=caseworker)
    letter = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 14)
    )
    assert f"Till: {person.full_name}" in letter.html
    assert "Till företrädare: Gunnar Man, god man<br>Box 12<br>111 22 Stockholm" in letter.html


def test_a_representative_whose_mandate_has_ended_gets_no_letter(ref, person, caseworker, frozen):
    Representative.objects.create(
        person=person, kind="forvaltare", name="Före Detta", valid_to=date(2024, 5, 31)
    )
    Representative.objects.create(person=person, kind="guardian", name="Inte Aktiv", active=False)
    decision = DecisionFactory(person=person, caseworker=caseworker)
    letter = services.letter_issue(
        decision=decision, user=caseworker, notified_on=date(2024, 6, 14)
    )
    assert "Före Detta" not in letter.html and "Inte Aktiv" not in letter.html
    assert "Till företrädare" not in letter.html


def test_a_dismissal_letter_also_goes_to_the_representative(ref, person, caseworker, frozen):
    from folja.cases.letters import render_dismissal_html
    from folja.cases.models import Appeal

    Representative.objects.create(person=person, kind="guardian", name="Vera Vårdnad")
    decision = DecisionFactory(person=person, caseworker=caseworker)
    appeal = Appeal.objects.create(
        decision=decision,
        person=person,
        received_on=date(2024, 6, 10),
        deadline=date(2024, 3, 4),
        timely=False,
    )
    html = render_dismissal_html(
        appeal=appeal, caseworker=caseworker, appeal_deadline=date(2024, 7, 5)
    )
    assert "Till företrädare: Vera Vårdnad, vårdnadshavare" in html
