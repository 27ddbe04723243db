from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from folja.accounts.models import Role
from folja.audit.models import AccessLog, AuditEvent, CullingRecord
from folja.audit.services import log_access
from folja.cases.models import Assessment, Decision, DecisionLetter
from folja.delivery.models import Session
from folja.people.models import Person
from folja.people.selectors import culling_candidates
from folja.people.services import NotDueForCulling, person_cull
from folja.testing.factories import (
    AssessmentFactory,
    DecisionFactory,
    ExpenseClaimFactory,
    FeedbackFactory,
    PersonFactory,
    SessionFactory,
    legal_basis,
    make_representative,
    make_user,
)

pytestmark = pytest.mark.django_db
TODAY = date(2031, 3, 1)


def _person(last_entry: date, birth: date = date(1980, 5, 17), **kw) -> Person:
    return PersonFactory(last_entry_on=last_entry, birth_date=birth, **kw)


def test_a_file_is_due_five_years_after_its_last_entry_and_must_go_by_the_following_year_end():
    due = _person(date(2026, 2, 28))
    not_yet = _person(date(2026, 3, 2))
    [candidate] = culling_candidates(today=TODAY)
    assert candidate.person_id == due.pk
    assert candidate.eligible_from == date(2031, 2, 28)
    assert candidate.due_by == date(2032, 12, 31)
    assert not_yet.pk not in {c.person_id for c in culling_candidates(today=TODAY)}


@pytest.mark.parametrize("day", [5, 15, 25])
def test_files_of_persons_born_on_the_5th_15th_or_25th_are_kept_for_research(day):
    _person(date(2020, 1, 1), birth=date(1970, 4, day))
    assert culling_candidates(today=TODAY) == []


def test_a_file_without_a_recorded_last_entry_uses_its_latest_dated_row():
    person = PersonFactory(last_entry_on=None)
    sol = legal_basis("SoL", date(2019, 1, 10))
    DecisionFactory(
        person=person,
        legal_basis=sol,
        decided_on=date(2019, 1, 10),
        valid_from=date(2019, 1, 15),
        valid_to=date(2019, 12, 31),
    )
    SessionFactory(
        order__decision__person=person,
        order__decision__legal_basis=sol,
        person=person,
        start=datetime(2025, 6, 1, 10, 0),
    )
    # The session of 2025-06-01 is the last entry: due from 2030-06-01.
    assert culling_candidates(today=date(2030, 5, 31)) == []
    [c] = culling_candidates(today=date(2030, 6, 1))
    assert c.last_entry_on == date(2025, 6, 1)


def _full_file(person: Person) -> dict:
    """A file under SoL (ledsagning as bistånd): the kind culled whole."""
    assessment = AssessmentFactory(
        application__person=person,
        application__requested_act="SoL",
        person=person,
        free_text="Bor med sin syster på Storgatan.",
    )
    decision = DecisionFactory(
        person=person,
        legal_basis=legal_basis("SoL"),
        reasons="Anna behöver stöd för att ...",
        valid_from=date(2024, 2, 14),
        valid_to=date(2025, 2, 13),
    )
    DecisionLetter.objects.create(
        decision=decision,
        issued_at=datetime(2024, 2, 12),
        appeal_deadline=date(2024, 3, 4),
        html="<p>Anna Andersson</p>",
        pdf=b"%PDF",
        sha256="0" * 64,
    )
    session = SessionFactory(order__decision=decision, order__person=person, person=person)
    ExpenseClaimFactory(person=person, description="Biljett till Annas konsert")
    FeedbackFactory(person=person, text="Min ledsagare heter Sara.")
    rep = make_representative(person)
    return {"assessment": assessment, "decision": decision, "session": session, "rep": rep}


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_culling_removes_person_data_but_keeps_the_pseudonymous_facts():
    admin = make_user(Role.ADMINISTRATOR)
    person = _person(date(2025, 2, 13))
    file = _full_file(person)
    login = make_user(Role.PERSON, person=person)
    log_access(user=login, person=person, what="portal")
    facts_before = (
        list(
            Decision.objects.filter(person=person).values_list(
                "hours_per_month", "valid_from", "valid_to", "outcome", "legal_basis_id"
            )
        ),
        list(Session.objects.filter(person=person).values_list("start", "end", "status")),
    )
    record = person_cull(person=person, approved_by=admin)

    person.refresh_from_db()
    assert person.first_name == "Gallrad" and person.last_name == ""
    assert person.personnummer.startswith("G") and "1980" not in person.personnummer
    assert (person.address, person.phone, person.email, person.city) == ("", "", "", "")
    assert person.birth_date == date(1980, 1, 1) and person.sex == "female"
    assert person.culled_at is not None and person.pseudonym == record.person_pseudonym
    assert Assessment.objects.get(pk=file["assessment"].pk).free_text == ""
    assert Assessment.objects.get(pk=file["assessment"].pk).needs == ""
    assert Decision.objects.get(pk=file["decision"].pk).reasons == ""
    assert not DecisionLetter.objects.filter(decision__person=person).exists()
    assert person.expense_claims.get().description == ""
    assert person.feedback.get().text == ""
    assert person.representatives.get().name == ""
    login.refresh_from_db()
    assert not login.is_active and not login.has_usable_password()
    facts_after = (
        list(
            Decision.objects.filter(person=person).values_list(
                "hours_per_month", "valid_from", "valid_to", "outcome", "legal_basis_id"
            )
        ),
        list(Session.objects.filter(person=person).values_list("start", "end", "status")),
    )
    assert facts_after == facts_before
    assert facts_after[0][0][0] == Decimal("10.00")
    assert record.counts["assessments"] == 1 and record.counts["decision_letters"] == 1
    assert record.approved_by_username == admin.username
    assert AuditEvent.objects.filter(action="person_culled", person_pseudonym=person.pseudonym)
    # The access log keeps its pseudonymous rows.
    assert AccessLog.objects.filter(person_pseudonym=person.pseudonym).count() == 1


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_a_file_not_due_is_never_culled():
    person = _person(date(2027, 1, 1))
    with pytest.raises(NotDueForCulling):
        person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))
    person.refresh_from_db()
    assert person.culled_at is None and person.first_name != "Gallrad"
    assert not CullingRecord.objects.exists()


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_a_culled_file_is_not_listed_again():
    person = _person(date(2025, 1, 1))
    person_cull(person=person, approved_by=make_user(Role.ADMINISTRATOR))
    assert culling_candidates(today=TODAY) == []


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_the_command_lists_without_culling_and_culls_once_approved():
    admin = make_user(Role.ADMINISTRATOR)
    due = _person(date(2025, 1, 1))
    out = StringIO()
    with translation.override("sv"):  # the table is Swedish, whatever ran before
        call_command("cull", stdout=out)
    assert due.pseudonym in out.getvalue() and "Inget gallrades" in out.getvalue()
    assert Person.objects.get(pk=due.pk).culled_at is None
    out = StringIO()
    with translation.override("sv"):
        call_command("cull", "--execute", "--approved-by", admin.username, stdout=out)
    assert "Gallrade akter: 1" in out.getvalue()
    assert Person.objects.get(pk=due.pk).culled_at is not None


def test_the_command_refuses_an_approver_who_may_not_approve():
    caseworker = make_user(Role.CASEWORKER)
    with pytest.raises(CommandError, match="approved-by"):
        call_command("cull", "--execute", "--approved-by", caseworker.username, stdout=StringIO())


@time_machine.travel(datetime(2031, 3, 1, 9, 0), tick=False)
def test_a_unit_manager_culls_only_their_own_district():
    mine = _person(date(2025, 1, 1))
    other = _person(date(2025, 1, 1))
    manager = make_user(Role.UNIT_MANAGER, district=mine.district)
    call_command("cull", "--execute", "--approved-by", manager.username, stdout=StringIO())
    assert Person.objects.get(pk=mine.pk).culled_at is not None
    assert Person.objects.get(pk=other.pk).culled_at is None
