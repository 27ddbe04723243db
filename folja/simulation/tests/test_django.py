"""The investigation on top of the database: fitting, the command, the page, the memo and
pilots. Time is frozen: the history window ends with December 2024."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent
from folja.simulation.engine.fit import fit_population
from folja.simulation.models import MemberRole, PilotMember
from folja.simulation.selectors import population_history
from folja.simulation.services import PilotError, pilot_create
from folja.testing.factories import make_user

pytestmark = [pytest.mark.django_db]
NOW = datetime(2025, 1, 15, 10, 0)


@time_machine.travel(NOW, tick=False)
def test_history_is_read_into_arrays_and_illness_runs_become_episodes(district):
    ctx = population_history(on=date(2025, 1, 15), district=district, months=24)
    hist = ctx.history
    assert hist.granted.shape == (12, 24)
    assert np.all(hist.granted > 0)
    assert len(hist.run_person) > 0  # the ill months are runs of three cancellations
    # No late cancellations in this history (all cancelled two days ahead).
    assert hist.late.sum() == 0
    assert np.all(hist.rate_per_hour > 400)
    pop, report = fit_population(hist, start_month=1)
    assert pop.size == 12
    assert report.illness_onsets_per_year > 0
    assert abs(report.season.mean() - 1) < 1e-9
    # The sessions use the whole grant in healthy months: desired hours near or above the grant.
    assert report.desired_to_grant > 0.9


@time_machine.travel(NOW, tick=False)
def test_the_simulate_command_prints_json_for_a_district(district, capsys):
    call_command(
        "simulate",
        models="monthly,flex3,free",
        replicates=20,
        months=12,
        population="district=Skärholmen",
        seed=3,
        json=True,
    )
    out = json.loads(capsys.readouterr().out)
    assert out["persons"] == 12
    assert set(out["models"]) == {"monthly", "flex3", "free"}
    assert out["models"]["free"]["lapsed_hours"]["mean"] == 0
    assert "free-monthly" in out["differences"]
    call_command("simulate", replicates=20, population="district=SKH", seed=3, json=True)
    assert json.loads(capsys.readouterr().out)["models"] == out["models"]


@time_machine.travel(NOW, tick=False)
def test_the_simulate_command_names_the_field_of_a_bad_argument(district, capsys):
    with pytest.raises(SystemExit):
        call_command("simulate", models="weekly", json=True)
    err = json.loads(capsys.readouterr().err)
    assert err["field"] == "models"
    with pytest.raises(SystemExit):
        call_command("simulate", population="district=Atlantis", json=True)
    assert json.loads(capsys.readouterr().err)["field"] == "population"


@time_machine.travel(NOW, tick=False)
def test_the_analyst_runs_the_investigation_and_downloads_the_memo(client, district, analyst):
    client.force_login(analyst)
    params = {
        "run": "1",
        "district": district.pk,
        "models": ["monthly", "flex3", "free"],
        "replicates": 20,
        "months": 12,
        "seed": 1,
    }
    page = client.get(reverse("simulation:index"), params)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "exempelvärde" in html
    assert "sjukdomsperioder per år" in html  # generated from the fitted illness parameters
    # Strict CSP: no style attributes or elements, also not inside the inline SVG charts.
    assert 'style="' not in html and "<style" not in html
    pdf = client.get(reverse("simulation:memo_pdf"), params)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@time_machine.travel(NOW, tick=False)
def test_bad_input_on_the_page_gives_an_error_next_to_the_field_not_a_500(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("simulation:index"), {"run": "1", "replicates": "x", "months": 1})
    assert page.status_code == 200
    assert 'class="field-error"' in page.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PERSON, Role.PROVIDER_STAFF])
def test_other_roles_get_404_for_the_investigation(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("simulation:index")).status_code == 404
    assert client.get(reverse("simulation:pilot_list")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_pilot_is_drawn_stratified_with_matched_controls_and_audited(district, analyst):
    group = pilot_create(
        user=analyst,
        district=district,
        name="Försök Skärholmen",
        size=4,
        starts_on=date(2025, 2, 1),
        ends_on=date(2025, 7, 31),
        seed=5,
        drawn_on=date(2025, 1, 15),
    )
    pilots = PilotMember.objects.filter(group=group, role=MemberRole.PILOT)
    controls = PilotMember.objects.filter(group=group, role=MemberRole.CONTROL)
    assert pilots.count() == 4 and controls.count() == 4
    assert sorted(p.stratum for p in pilots) == ["21_plus", "21_plus", "under_21", "under_21"]
    for p in pilots:
        assert p.matched_to.stratum == p.stratum
        assert p.switch_on == date(2025, 2, 1)
    assert not {p.person_id for p in pilots} & {c.person_id for c in controls}
    assert AuditEvent.objects.filter(action="simulation.pilot_create").count() == 1
    with pytest.raises(PilotError) as exc:
        pilot_create(
            user=analyst,
            district=district,
            name="För stort",
            size=10,
            starts_on=date(2025, 2, 1),
            ends_on=date(2025, 7, 31),
            seed=5,
            drawn_on=date(2025, 1, 15),
        )
    assert exc.value.field == "size"


def test_a_pilot_is_evaluated_with_intervals_and_a_plain_statement(client, district, analyst):
    with time_machine.travel(datetime(2024, 7, 10, 9, 0), tick=False):
        group = pilot_create(
            user=analyst,
            district=district,
            name="Försök",
            size=4,
            starts_on=date(2024, 7, 1),
            ends_on=date(2024, 12, 31),
            seed=2,
            drawn_on=date(2024, 7, 1),
        )
    with time_machine.travel(NOW, tick=False):
        client.force_login(analyst)
        page = client.get(reverse("simulation:pilot_detail", args=[group.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "90 %-intervall" in html
    assert "Med 4 personer i varje grupp är osäkerheten stor" in html
    # Pseudonyms only, and the read is logged per person.
    member = group.members.first()
    assert member.person.pseudonym in html and member.person.last_name not in html
    assert AccessLog.objects.filter(person=member.person, user=analyst).exists()


@time_machine.travel(NOW, tick=False)
def test_the_pilot_command_draws_and_evaluates_with_pseudonyms_only(district, capsys):
    call_command(
        "pilot",
        "draw",
        district="SKH",
        size=4,
        starts="2024-07-01",
        ends="2024-12-31",
        seed=4,
        json=True,
    )
    drawn = json.loads(capsys.readouterr().out)
    assert len(drawn["members"]) == 8
    assert all(m["pseudonym"].startswith("P") for m in drawn["members"])
    call_command("pilot", "evaluate", str(drawn["id"]), json=True)
    evaluated = json.loads(capsys.readouterr().out)
    assert set(evaluated["evaluation"]) == {"executed", "payment", "unused"}
    assert evaluated["evaluation"]["executed"]["n_pilot"] == 4
    with pytest.raises(SystemExit):
        call_command("pilot", "draw", district="SKH", starts="2024-13-01", ends="2024-12-31")
    assert json.loads(capsys.readouterr().err)["field"] == "starts"
