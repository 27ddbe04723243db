"""The free model appears in the demo data through a pilot (issue 14, 10): the seed draws a
pilot with matched controls through the pilot service, the pilot members' decisions are
replaced at the start by free-model decisions, and the pilot's evaluation reads them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import StringIO
from itertools import pairwise

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from folja.accounts.models import Role
from folja.cases.models import Decision
from folja.core.seed.pilot import pilot_dates
from folja.core.tests.test_seed_helpers import TODAY
from folja.delivery.models import Session
from folja.followup.selectors import Slice, measures_by
from folja.ledger.consistency import person_differences
from folja.ledger.decisions import granting_decisions
from folja.ledger.models import PeriodBalance
from folja.people.models import Person
from folja.rules.periods import month_start
from folja.simulation.evaluation import evaluate_pilot
from folja.simulation.models import MemberRole, PilotGroup, PilotStatus
from folja.simulation.selectors import pilot_members_for
from folja.testing.factories import make_user

pytestmark = [pytest.mark.django_db]

DAY = date.fromisoformat(TODAY)


@pytest.fixture
def pilot(db):
    """The demo city of TODAY with its pilot, the clock on TODAY (rolled back after)."""
    with time_machine.travel(datetime.combine(DAY, datetime.min.time()), tick=False):
        call_command("seed", scale="demo", today=TODAY, seed_value=3, quiet=True)
        yield PilotGroup.objects.get()


def _members(group: PilotGroup, role: str) -> list:
    return [m for m in pilot_members_for(group=group) if m.role == role]


def test_seeding_the_demo_draws_a_running_pilot_of_the_free_model_with_matched_controls(pilot):
    starts, ends, drawn = pilot_dates(DAY)
    assert (pilot.starts_on, pilot.ends_on, pilot.drawn_on) == (starts, ends, drawn)
    assert pilot.starts_on < DAY <= pilot.ends_on and pilot.status == PilotStatus.RUNNING
    assert pilot.district.code == "HV" and pilot.model_to == "free"
    pilots, controls = _members(pilot, MemberRole.PILOT), _members(pilot, MemberRole.CONTROL)
    assert len(pilots) == len(controls) == pilot.size >= 4
    assert {m.matched_to.role for m in pilots} == {MemberRole.CONTROL}
    assert all(m.person.district_id == pilot.district_id for m in pilots + controls)


def test_the_pilot_members_have_free_model_decisions_in_force_through_the_pilot(pilot):
    start = pilot.starts_on
    for member in _members(pilot, MemberRole.PILOT):
        decisions = list(
            granting_decisions(Decision._base_manager.filter(person=member.person)).order_by(
                "valid_from"
            )
        )
        before = [d for d in decisions if d.valid_from < start]
        during = [d for d in decisions if d.valid_from >= start]
        # The decision in force at the start ends the day before; a free one takes over.
        assert before[-1].valid_to == start - timedelta(days=1)
        assert before[-1].model == "flex3"
        assert during[0].valid_from == start and {d.model for d in during} == {"free"}
        # Unbroken while it lasts (a person's service can end during the pilot, as any).
        for previous, following in pairwise(during):
            assert following.valid_from == previous.valid_to + timedelta(days=1)
        # Their sessions from the start are verified under the free model, and the ledger's
        # stored periods are calendar months of the free model.
        sessions = Session._base_manager.filter(person=member.person, start__date__gte=start)
        executed = sessions.filter(status="executed", start__date__lt=DAY)
        assert executed.exists()
        assert not executed.filter(period_start__isnull=True).exists()
        assert not any("exceeds_grant" in f for f in executed.values_list("flags", flat=True))
        periods = PeriodBalance.objects.filter(person=member.person, start__gte=start)
        assert set(periods.values_list("model", flat=True)) == {"free"}
        assert all(p.start.day == 1 and p.end.month == p.start.month for p in periods)
        # `folja calc` on the person's export reproduces what the application stores.
        assert person_differences(member.person, DAY)[1] == []
    for member in _members(pilot, MemberRole.CONTROL):
        models = Decision._base_manager.filter(person=member.person).values_list("model", flat=True)
        assert "free" not in set(models)
    # Nobody outside the pilot group is under the free model.
    free_persons = set(
        Decision._base_manager.filter(model="free").values_list("person_id", flat=True)
    )
    assert free_persons == {m.person_id for m in _members(pilot, MemberRole.PILOT)}


def test_the_follow_up_by_model_has_the_free_model_with_a_higher_execution_rate(pilot):
    by_model = measures_by(Slice(pilot.starts_on, month_start(DAY)), by="model")
    assert {"flex3", "free"} <= set(by_model)
    free = by_model["free"]
    assert free.persons == pilot.size
    assert free.execution_rate is not None
    # Nothing lapses under the free model: its members use more of their planning figure.
    assert free.execution_rate > by_model["flex3"].execution_rate


def test_the_seeded_pilots_evaluation_reports_its_members_and_execution_rates(pilot, client):
    members = list(pilot_members_for(group=pilot))
    with time_machine.travel(datetime.combine(DAY, datetime.min.time()), tick=False):
        evaluation = evaluate_pilot(group=pilot, members=members)
        out = StringIO()
        call_command("pilot", "evaluate", str(pilot.pk), "--json", stdout=out)
        analyst = make_user(Role.ANALYST, username="analytiker-pilot")
        client.force_login(analyst)
        html = client.get(reverse("simulation:pilot_detail", args=[pilot.pk])).content.decode()
    # Every pilot member got a free-model decision: none is reported missing.
    assert evaluation.without_model == []
    assert not evaluation.complete
    # The window runs from the start through the last month that has passed.
    assert evaluation.after == (pilot.starts_on, month_start(DAY))
    estimate = evaluation.estimates["executed"]
    assert estimate.n_pilot == estimate.n_control == pilot.size
    rates = evaluation.execution_rates
    assert set(rates) == {MemberRole.PILOT, MemberRole.CONTROL}
    assert all(before is not None and after is not None for before, after in rates.values())
    pilot_before, pilot_after = rates[MemberRole.PILOT]
    assert pilot_after > pilot_before
    result = json.loads(out.getvalue())
    assert result["without_model"] == []
    assert len([m for m in result["members"] if m["role"] == "pilot"]) == pilot.size
    assert result["execution_rate"]["pilot"]["after"] == str(pilot_after)
    assert result["after"] == [pilot.starts_on.isoformat(), month_start(DAY).isoformat()]
    assert "Alla i försöksgruppen har beslut om fri ledsagning under försöket." in html
    assert "Utförandegrad före och under försöket" in html


def test_the_same_seed_draws_the_same_pilot(pilot):
    def drawn() -> list[tuple]:
        return sorted(
            PilotGroup.objects.get().members.values_list("person__pseudonym", "role", "stratum")
        )

    first = drawn()
    with time_machine.travel(datetime.combine(DAY, datetime.min.time()), tick=False):
        call_command("seed", scale="demo", today=TODAY, seed_value=3, quiet=True, replace=True)
    assert drawn() == first
    assert Person._base_manager.filter(pilot_memberships__isnull=False).count() == len(first)
