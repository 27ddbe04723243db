"""A pilot evaluation that can be believed (issue 14, 11): it checks that the pilot members
got decisions under the free model and names the ones who did not, counts the pilot's last
month, the draw warns when an age stratum is too small to balance, and a pilot's status
follows its dates. The clock is frozen in each test."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from folja.audit.models import AuditEvent
from folja.simulation.evaluation import evaluate_pilot
from folja.simulation.models import MemberRole, PilotGroup, PilotStatus
from folja.simulation.selectors import pilot_members_for, pilot_status, unbalanced_strata
from folja.simulation.services import pilot_create
from folja.testing.factories import DecisionFactory

pytestmark = [pytest.mark.django_db]


def _pilot(district, analyst, *, age_split: int = 21) -> PilotGroup:
    with time_machine.travel(datetime(2024, 6, 20, 9, 0), tick=False):
        return pilot_create(
            user=analyst,
            district=district,
            name="Försök",
            size=4,
            starts_on=date(2024, 7, 1),
            ends_on=date(2024, 12, 31),
            seed=2,
            drawn_on=date(2024, 6, 20),
            age_split=age_split,
        )


def _free_decision(member) -> None:
    DecisionFactory(
        person=member.person,
        district=member.person.district,
        decided_on=date(2024, 6, 25),
        outcome="granted",
        model="free",
        hours_per_month=Decimal("10"),
        valid_from=date(2024, 7, 1),
        valid_to=date(2024, 12, 31),
    )


def test_the_evaluation_names_the_pilot_members_without_a_free_model_decision(
    client, district, analyst
):
    group = _pilot(district, analyst)
    members = list(pilot_members_for(group=group))
    pilots = [m for m in members if m.role == MemberRole.PILOT]
    _free_decision(pilots[0])
    # A control with a free decision is no pilot member: it is not what is checked here.
    _free_decision(next(m for m in members if m.role == MemberRole.CONTROL))
    with time_machine.travel(datetime(2025, 1, 15, 10, 0), tick=False):
        evaluation = evaluate_pilot(group=group, members=members)
        client.force_login(analyst)
        html = client.get(reverse("simulation:pilot_detail", args=[group.pk])).content.decode()
    assert {m.pk for m in evaluation.without_model} == {m.pk for m in pilots[1:]}
    assert "3 personer i försöksgruppen har inget beslut om fri ledsagning" in html
    assert all(m.person.pseudonym in html for m in pilots[1:])
    for m in pilots[1:]:
        _free_decision(m)
    with time_machine.travel(datetime(2025, 1, 15, 10, 0), tick=False):
        assert evaluate_pilot(group=group, members=members).without_model == []
        html = client.get(reverse("simulation:pilot_detail", args=[group.pk])).content.decode()
    assert "Alla i försöksgruppen har beslut om fri ledsagning under försöket." in html


def test_an_ended_pilot_is_evaluated_through_its_last_month(district, analyst):
    group = _pilot(district, analyst)
    members = list(pilot_members_for(group=group))
    with time_machine.travel(datetime(2025, 1, 15, 10, 0), tick=False):
        evaluation = evaluate_pilot(group=group, members=members)
    # July–December: six months after, the six months before (ends exclusive).
    assert evaluation.after == (date(2024, 7, 1), date(2025, 1, 1))
    assert evaluation.before == (date(2024, 1, 1), date(2024, 7, 1))
    assert evaluation.complete


def test_a_running_pilot_is_evaluated_through_the_last_month_that_has_passed(district, analyst):
    group = _pilot(district, analyst)
    members = list(pilot_members_for(group=group))
    with time_machine.travel(datetime(2024, 10, 10, 10, 0), tick=False):
        evaluation = evaluate_pilot(group=group, members=members)
    assert evaluation.after == (date(2024, 7, 1), date(2024, 10, 1))  # July–September
    assert evaluation.before == (date(2024, 4, 1), date(2024, 7, 1))
    assert not evaluation.complete


def test_the_draw_warns_when_a_stratum_is_too_small_to_balance(client, district, analyst):
    group = _pilot(district, analyst, age_split=200)  # nobody is 200: one stratum is empty
    members = list(pilot_members_for(group=group))
    (short,) = unbalanced_strata(group=group, members=members)
    assert (short.stratum, short.drawn, short.wanted) == ("200_plus", 0, 2)
    event = AuditEvent.objects.get(action="simulation.pilot_create", object_id=str(group.pk))
    assert event.details["short_strata"] == [{"stratum": "200_plus", "drawn": 0, "wanted": 2}]
    with time_machine.travel(datetime(2024, 6, 20, 10, 0), tick=False):
        client.force_login(analyst)
        html = client.get(reverse("simulation:pilot_detail", args=[group.pk])).content.decode()
    assert "Åldersgruppen minst 200 år var för liten" in html


def test_the_draw_in_the_page_warns_about_a_short_stratum(client, district, analyst):
    client.force_login(analyst)
    with time_machine.travel(datetime(2024, 6, 20, 10, 0), tick=False):
        page = client.post(
            reverse("simulation:pilot_list"),
            {
                "district": district.pk,
                "name": "Försök",
                "size": 4,
                "starts_on": "2024-07-01",
                "ends_on": "2024-12-31",
                "seed": 3,
            },
            follow=True,
        )
    html = page.content.decode()
    assert "Försöksgrupp och kontrollgrupp är lottade." in html
    balanced = not unbalanced_strata(
        group=PilotGroup.objects.get(), members=list(PilotGroup.objects.get().members.all())
    )
    assert ("var för liten" not in html) == balanced


def test_a_balanced_draw_gives_no_warning(district, analyst):
    group = _pilot(district, analyst, age_split=0)
    members = list(pilot_members_for(group=group))
    # Everybody is at least 0: the under stratum is empty, so it is short; the other not.
    assert [s.stratum for s in unbalanced_strata(group=group, members=members)] == ["under_0"]
    for m in members:
        m.stratum = "under_0" if m.pk % 2 else "0_plus"
    pilots = [m for m in members if m.role == MemberRole.PILOT]
    for i, m in enumerate(pilots):
        m.stratum = "under_0" if i < 2 else "0_plus"
    assert unbalanced_strata(group=group, members=members) == []


def test_a_pilots_status_follows_its_dates(client, district, analyst):
    group = _pilot(district, analyst)
    assert group.status == PilotStatus.PLANNED  # as stored at the draw, and never updated
    assert pilot_status(group, today=date(2024, 6, 30)) == PilotStatus.PLANNED
    assert pilot_status(group, today=date(2024, 7, 1)) == PilotStatus.RUNNING
    assert pilot_status(group, today=date(2024, 12, 31)) == PilotStatus.RUNNING
    assert pilot_status(group, today=date(2025, 1, 1)) == PilotStatus.ENDED
    for day, label in (
        (datetime(2024, 6, 21, 9), "Planerad"),
        (datetime(2024, 9, 1, 9), "Pågår"),
        (datetime(2025, 2, 1, 9), "Avslutad"),
    ):
        with time_machine.travel(day, tick=False):
            client.force_login(analyst)  # a fresh session: the clock jumps months
            listing = client.get(reverse("simulation:pilot_list")).content.decode()
            detail = client.get(reverse("simulation:pilot_detail", args=[group.pk]))
        assert f"<td>{label}</td>" in listing
        assert f"Status: {label}" in detail.content.decode()
