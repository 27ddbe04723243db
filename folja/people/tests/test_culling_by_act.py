"""Culling by the right rule (issue 16, point 12): SoL files are culled five years after the
last entry, LSS documentation is kept, a file with both loses its SoL part only; and culling
moves no published figure."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import translation

from folja.accounts.models import Role
from folja.audit.models import AuditEvent, CullingRecord
from folja.cases.models import Application, Assessment, Decision
from folja.delivery.models import Session
from folja.followup.models import PersonMonth
from folja.followup.opendata import open_data_rows
from folja.followup.selectors import Slice, measures_many
from folja.followup.services import rollup_verify
from folja.people.models import Person
from folja.people.selectors import culling_candidates
from folja.people.services import NotDueForCulling, person_cull
from folja.rules.culling import Scope
from folja.testing.factories import (
    AssessmentFactory,
    DecisionFactory,
    FeedbackFactory,
    PersonFactory,
    SessionFactory,
    legal_basis,
    make_user,
)
from folja.testing.factories_followup import build_small_city

pytestmark = pytest.mark.django_db
TODAY = date(2031, 3, 1)
NOW = datetime(2031, 3, 1, 9, 0)


def _file(act: str, *, birth: date = date(1980, 5, 17), person: Person | None = None) -> Person:
    """A file with one application, assessment, decision and session under `act`, all in
    2024–2025: its last entry is the decision's end, 13 February 2025."""
    person = person or PersonFactory(last_entry_on=None, birth_date=birth)
    basis = legal_basis(act, date(2024, 2, 10))
    assessment = AssessmentFactory(
        application__person=person,
        application__requested_act=act,
        application__activities=f"Konserter ({act})",
        person=person,
        free_text=f"Anteckning enligt {act}",
    )
    decision = DecisionFactory(
        person=person,
        application=assessment.application,
        legal_basis=basis,
        reasons=f"Skäl enligt {act}",
        valid_from=date(2024, 2, 14),
        valid_to=date(2025, 2, 13),
    )
    SessionFactory(
        order__decision=decision,
        order__person=person,
        person=person,
        start=datetime(2024, 3, 2, 10, 0),
        end=datetime(2024, 3, 2, 12, 0),
        activity=f"Konsert ({act})",
    )
    return person


def test_a_file_with_lss_documentation_only_is_never_listed_however_old():
    lss = _file("LSS")
    for today in (TODAY, date(2040, 1, 1), date(2090, 1, 1)):
        assert lss.pk not in {c.person_id for c in culling_candidates(today=today)}


@time_machine.travel(NOW, tick=False)
def test_a_file_with_lss_documentation_only_is_never_culled():
    # Before: the SoL rule listed and culled it like any other file.
    lss = _file("LSS")
    with pytest.raises(NotDueForCulling):
        person_cull(person=lss, approved_by=make_user(Role.ADMINISTRATOR))
    lss.refresh_from_db()
    assert lss.culled_at is None and lss.first_name != "Gallrad"
    assert Decision.objects.get(person=lss).reasons == "Skäl enligt LSS"
    assert not CullingRecord.objects.exists()


def test_a_sol_file_is_listed_whole_five_years_after_its_last_entry():
    sol = _file("SoL")
    assert culling_candidates(today=date(2030, 2, 12)) == []
    [c] = culling_candidates(today=date(2030, 2, 13))
    assert (c.person_id, c.scope, c.last_entry_on) == (sol.pk, Scope.WHOLE_FILE, date(2025, 2, 13))
    assert c.due_by == date(2031, 12, 31)


@time_machine.travel(NOW, tick=False)
def test_a_sol_file_is_culled_whole():
    sol = _file("SoL")
    record = person_cull(person=sol, approved_by=make_user(Role.ADMINISTRATOR))
    sol.refresh_from_db()
    assert sol.culled_at is not None and sol.first_name == "Gallrad"
    assert Decision.objects.get(person=sol).reasons == ""
    assert record.counts["decisions"] == 1
    event = AuditEvent.objects.get(action="person_culled", person_pseudonym=sol.pseudonym)
    assert event.details["scope"] == "whole_file"
    assert event.details["rule"].startswith("SoL (2025:400)")


@pytest.mark.parametrize("day", [5, 15, 25])
def test_a_sol_file_of_a_person_born_on_the_5th_15th_or_25th_is_kept_for_research(day):
    _file("SoL", birth=date(1970, 4, day))
    assert culling_candidates(today=TODAY) == []


def test_the_rule_named_is_the_one_in_force_on_the_day_of_the_list():
    # The new Social Services Act applies from 2025-07-01 and numbers its sections anew.
    PersonFactory(last_entry_on=date(2019, 3, 10), birth_date=date(1960, 1, 2))
    [old] = culling_candidates(today=date(2025, 6, 30))
    [new] = culling_candidates(today=date(2025, 7, 1))
    assert old.rule_reference.startswith("SoL (2001:453) 12 kap. 1–2 §§")
    assert new.rule_reference.startswith("SoL (2025:400)")


@time_machine.travel(NOW, tick=False)
def test_a_file_with_both_acts_loses_its_sol_part_and_keeps_its_lss_part_and_identity():
    person = _file("SoL")
    _file("LSS", person=person)
    FeedbackFactory(person=person, text="Tack för konserten.")
    name, pnr, birth = person.first_name, person.personnummer, person.birth_date

    [c] = culling_candidates(today=TODAY)
    assert (c.person_id, c.scope) == (person.pk, Scope.SOL_PART)
    record = person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))

    person.refresh_from_db()
    assert person.culled_at is None
    assert (person.first_name, person.personnummer, person.birth_date) == (name, pnr, birth)
    assert person.feedback.get().text == "Tack för konserten."
    texts = {
        act: (
            Application.objects.get(person=person, requested_act=act).activities,
            Assessment.objects.get(person=person, application__requested_act=act).free_text,
            Decision.objects.get(person=person, legal_basis__act=act).reasons,
            Session.objects.get(person=person, order__decision__legal_basis__act=act).activity,
        )
        for act in ("SoL", "LSS")
    }
    assert texts["SoL"] == ("", "", "", "")
    assert texts["LSS"] == (
        "Konserter (LSS)",
        "Anteckning enligt LSS",
        "Skäl enligt LSS",
        "Konsert (LSS)",
    )
    assert record.counts["decisions"] == 1 and record.counts["sessions"] == 1
    event = AuditEvent.objects.get(action="person_culled", person_pseudonym=person.pseudonym)
    assert event.details["scope"] == "sol_part"
    # Culled for this last entry: not listed again until a later entry has aged five years.
    assert culling_candidates(today=TODAY) == []
    with pytest.raises(NotDueForCulling):
        person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))


def test_a_later_entry_in_a_file_with_both_acts_lists_its_sol_part_again_in_time():
    person = _file("SoL")
    _file("LSS", person=person)
    CullingRecord.objects.create(
        person_pseudonym=person.pseudonym,
        last_entry_on=date(2025, 2, 13),
        due_by=date(2031, 12, 31),
        culled_at=datetime(2030, 3, 1, 9, 0),
        approved_by_username="admin",
    )
    assert culling_candidates(today=TODAY) == []
    Person.objects.filter(pk=person.pk).update(last_entry_on=date(2026, 5, 4))
    assert culling_candidates(today=date(2031, 5, 3)) == []
    [c] = culling_candidates(today=date(2031, 5, 4))
    assert (c.person_id, c.scope) == (person.pk, Scope.SOL_PART)


@time_machine.travel(NOW, tick=False)
def test_the_command_lists_each_file_with_its_scope_and_never_an_lss_only_file():
    sol = _file("SoL")
    both = _file("SoL")
    _file("LSS", person=both)
    lss = _file("LSS")
    out = StringIO()
    with translation.override("sv"):  # the table is Swedish, whatever ran before
        call_command("cull", stdout=out)
    text = out.getvalue()
    assert sol.pseudonym in text and both.pseudonym in text and lss.pseudonym not in text
    assert "hela akten" in text and "SoL-delen" in text
    assert "whole_file" not in text and "sol_part" not in text
    admin = make_user(Role.ADMINISTRATOR)
    out = StringIO()
    with translation.override("sv"):
        call_command("cull", "--execute", "--approved-by", admin.username, stdout=out)
    assert "Gallrade akter: 2" in out.getvalue()
    assert Person.objects.get(pk=lss.pk).culled_at is None
    assert Person.objects.get(pk=both.pk).culled_at is None
    assert Person.objects.get(pk=sol.pk).culled_at is not None


def _published() -> tuple:
    """What is published about 2024: the open-data table, the follow-up measures behind it
    (unsuppressed, by district, sex, act and month) and, per month, the sums of the
    person-month facts every follow-up figure is added up from."""
    sums = {
        f: Sum(f)
        for f in (
            "granted_minutes",
            "executed_minutes",
            "charged_minutes",
            "lapsed_minutes",
            "sessions_executed",
            "no_shows",
            "expenses_sek",
            "feedback_count",
            "complaint_count",
        )
    }
    months = list(
        PersonMonth.objects.filter(month__year=2024)
        .values("month")
        .annotate(persons=Count("id"), **sums)
        .order_by("month")
    )
    many = measures_many(Slice.year(2024), [None, "district", "sex", "act", "month"])
    return open_data_rows(years=[2024]), months, many


@time_machine.travel(NOW, tick=False)
def test_culling_moves_no_published_figure_and_leaves_the_rollup_verified():
    city = build_small_city()
    p2 = city["persons"][1]
    before = _published()
    assert before[0] and before[1] and before[2][None][None].persons == 3

    due = {c.person_id: c.scope for c in culling_candidates(today=TODAY)}
    # P2 is the only SoL file; P1, P3 and P4 hold LSS documentation only.
    assert due == {p2.pk: Scope.WHOLE_FILE}
    person_cull(person=p2, approved_by=make_user(Role.ADMINISTRATOR))

    assert Person.objects.get(pk=p2.pk).culled_at is not None
    assert _published() == before
    assert rollup_verify().count == 0
    assert PersonMonth.objects.filter(person=p2).aggregate(m=Sum("granted_minutes"))["m"] == 455
    assert Decision.objects.get(person=p2).hours_per_month == Decimal("5.00")
