"""Culling (gallring): removing a person's data from the file once the law says so, keeping the
pseudonymous facts follow-up counts on.

What goes: name, personnummer (replaced by a placeholder unique per person), birth day and
month (the year stays), address, contact, language, protected-identity marking and named staff,
the representatives' names and contacts, the person's login, and every free text written about
the person (application activities, assessment needs and notes, ratings' comments, decision
reasons and rejected parts, decision letters, appeal grounds, orders' and plans' handover texts,
expense and costly-activity descriptions and receipts, feedback, task resolutions).

What stays: the pseudonym, sex, birth year, district, and every number and date follow-up reads
(hours, validity, outcomes, legal basis, sessions, amounts, statuses), so figures do not change.

Each act by its own rule (`folja.rules.culling`): a file with LSS documentation is kept, since
LSS has no culling rule for the municipality and the archive act keeps what no rule culls. A
file with both SoL and LSS documentation loses its SoL part only: the free texts of SoL
applications and their assessments, of SoL decisions and their letters, appeals, orders,
plans, sessions and those sessions' expense claims. The person's identity, contact details,
representatives, login and whatever cannot be told apart by act stay with the kept LSS part.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from folja.accounts.models import Role, User
from folja.audit.models import CullingRecord
from folja.audit.services import audit_record
from folja.cases.models import (
    Appeal,
    Application,
    ApplicationAttachment,
    Assessment,
    Decision,
    DecisionLetter,
    LifeAreaRating,
    NonExecution,
    Task,
    TaskKind,
)
from folja.cases.selectors import can_see_contact
from folja.cases.services_tasks import task_raise
from folja.core import clock
from folja.delivery.models import CostlyActivityApplication, ExpenseClaim, Session
from folja.ledger.changed import person_figures_changed
from folja.people.models import Person, ProtectedIdentity, Representative
from folja.people.selectors import CullingCandidate, culling_candidates
from folja.portal.models import Feedback, ProviderChangeRequest
from folja.providers.models import ImplementationPlan, Order, ProviderChoice
from folja.rules.culling import Act, Scope
from folja.rules.errors import InvalidPersonnummer
from folja.rules.personnummer import Personnummer
from folja.rules.personnummer import parse as parse_personnummer

CULLED_NAME = "Gallrad"


class NotDueForCulling(Exception):
    """Refused: the file is not (or no longer) due, is kept for research, or holds LSS
    documentation only (kept, never culled)."""


def _placeholder_personnummer(person: Person) -> str:
    # 13 characters like the real thing, unique per person, and never a valid number.
    return f"G{person.pk:012d}"[-13:]


def _delete_attachments(attachments) -> int:
    # A document sent with an application is the person's own text and more: file and row go.
    count = 0
    for attachment in attachments:
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count


def _clear_free_texts(person: Person) -> dict[str, int]:
    counts: dict[str, int] = {}
    counts["applications"] = Application.objects.filter(person=person).update(
        activities="", needs=""
    )
    counts["application_attachments"] = _delete_attachments(
        ApplicationAttachment.objects.filter(person=person)
    )
    counts["assessments"] = Assessment.objects.filter(person=person).update(needs="", free_text="")
    counts["life_area_ratings"] = LifeAreaRating.objects.filter(assessment__person=person).update(
        comment=""
    )
    counts["decisions"] = Decision.objects.filter(person=person).update(
        reasons="", deviation_reason="", rejected_parts=[]
    )
    # A letter is the whole decision as sent, name and all: it goes entirely.
    counts["decision_letters"], _ = DecisionLetter.objects.filter(decision__person=person).delete()
    counts["appeals"] = Appeal.objects.filter(person=person).update(
        grounds="", reconsideration_note="", dismissal_note="", court_note=""
    )
    # A task's details may quote the person (a provider-change request's reason).
    counts["tasks"] = Task.objects.filter(person=person).update(resolution="", details={})
    counts["non_executions"] = NonExecution.objects.filter(person=person).update(reason_text="")
    counts["provider_choices"] = ProviderChoice.objects.filter(person=person).update(note="")
    counts["orders"] = Order.objects.filter(person=person).update(
        goals="", activities="", communication_needs="", contact_rules=""
    )
    counts["implementation_plans"] = ImplementationPlan.objects.filter(order__person=person).update(
        goals="", activities="", who="", when="", how="", participation=""
    )
    counts["sessions"] = Session.objects.filter(person=person).update(activity="", review_reason="")
    claims = ExpenseClaim.objects.filter(person=person)
    for claim in claims.exclude(receipt=""):
        claim.receipt.delete(save=False)
    counts["expense_claims"] = claims.update(
        description="", decision_note="", receipt="", receipt_content_type=""
    )
    counts["costly_activities"] = CostlyActivityApplication.objects.filter(person=person).update(
        activity="", decision_note=""
    )
    counts["feedback"] = Feedback.objects.filter(person=person).update(text="", reply="")
    counts["provider_change_requests"] = ProviderChangeRequest.objects.filter(person=person).update(
        reason=""
    )
    counts["representatives"] = Representative.objects.filter(person=person).update(
        name="", phone="", email="", active=False
    )
    return counts


def _clear_sol_part(person: Person) -> dict[str, int]:
    """The SoL entries of a file that also holds LSS documentation: every free text that hangs
    on a SoL application or a SoL decision. Rows stay, with their numbers and dates."""
    counts: dict[str, int] = {}
    applications = Application.objects.filter(person=person, requested_act=Act.SOL)
    decisions = Decision.objects.filter(person=person, legal_basis__act=Act.SOL)
    orders = Order.objects.filter(person=person, decision__in=decisions)
    sessions = Session.objects.filter(person=person, order__in=orders)
    counts["applications"] = applications.update(activities="", needs="")
    counts["application_attachments"] = _delete_attachments(
        ApplicationAttachment.objects.filter(person=person, application__in=applications)
    )
    assessments = Assessment.objects.filter(person=person, application__in=applications)
    counts["assessments"] = assessments.update(needs="", free_text="")
    counts["life_area_ratings"] = LifeAreaRating.objects.filter(assessment__in=assessments).update(
        comment=""
    )
    counts["decisions"] = decisions.update(reasons="", deviation_reason="", rejected_parts=[])
    counts["decision_letters"], _ = DecisionLetter.objects.filter(decision__in=decisions).delete()
    counts["appeals"] = Appeal.objects.filter(person=person, decision__in=decisions).update(
        grounds="", reconsideration_note="", dismissal_note="", court_note=""
    )
    counts["orders"] = orders.update(
        goals="", activities="", communication_needs="", contact_rules=""
    )
    counts["implementation_plans"] = ImplementationPlan.objects.filter(order__in=orders).update(
        goals="", activities="", who="", when="", how="", participation=""
    )
    counts["sessions"] = sessions.update(activity="", review_reason="")
    claims = ExpenseClaim.objects.filter(person=person, session__in=sessions)
    for claim in claims.exclude(receipt=""):
        claim.receipt.delete(save=False)
    counts["expense_claims"] = claims.update(
        description="", decision_note="", receipt="", receipt_content_type=""
    )
    return counts


def _disable_logins(person: Person) -> int:
    users = User.objects.filter(person=person)
    count = 0
    for user in users:
        user.username = f"gallrad-{person.pseudonym}"[:150]
        user.first_name = user.last_name = user.email = user.phone = user.hsa_id = ""
        user.password = make_password(None)
        user.is_active = False
        user.save()
        count += 1
    return count


@transaction.atomic
def person_cull(*, person: Person, approved_by: User, today: date | None = None) -> CullingRecord:
    """Cull one file, or its SoL part when it also holds LSS documentation. Re-checks, under a
    row lock, that it is due: an entry made since the list was approved, a birth day kept for
    research, or LSS documentation only, stops the culling."""
    today = today or clock.today()
    person = Person.objects.select_for_update().get(pk=person.pk)
    due = {c.person_id: c for c in culling_candidates(today=today, district_id=person.district_id)}
    candidate = due.get(person.pk)
    if candidate is None:
        raise NotDueForCulling(person.pseudonym)
    if candidate.scope == Scope.SOL_PART:
        counts = _clear_sol_part(person)
        culled_at = clock.now()
    else:
        counts = _cull_whole_file(person, candidate)
        culled_at = person.culled_at
    record = CullingRecord.objects.create(
        person_pseudonym=person.pseudonym,
        person_district_id=person.district_id,
        last_entry_on=candidate.last_entry_on,
        due_by=candidate.due_by,
        culled_at=culled_at,
        approved_by=approved_by,
        approved_by_username=approved_by.username,
        counts=counts,
    )
    audit_record(
        user=approved_by,
        action="person_culled",
        obj=record,
        person=person,
        details={
            "due_by": candidate.due_by.isoformat(),
            "scope": str(candidate.scope),
            "rule": candidate.rule_reference,
            "counts": counts,
        },
    )
    # A whole file loses the birth day and month, so the follow-up's age band of the person's
    # months moves; a SoL part changes no figure, but the one path keeps that a fact, not a
    # promise.
    person_figures_changed(person_ids=[person.pk])
    return record


def _cull_whole_file(person: Person, candidate: CullingCandidate) -> dict[str, int]:
    counts = _clear_free_texts(person)
    counts["logins"] = _disable_logins(person)
    person.named_staff.clear()
    person.first_name = CULLED_NAME
    person.last_name = ""
    person.personnummer = _placeholder_personnummer(person)
    person.birth_date = date(person.birth_date.year, 1, 1)
    person.address = person.postal_code = person.city = ""
    person.phone = person.email = person.language = ""
    person.protected_identity = ProtectedIdentity.NONE
    person.last_entry_on = candidate.last_entry_on
    person.culled_at = clock.now()
    person.save()
    return counts


# ---------------------------------------------------------------- the person registry

# What a caseworker registers and edits of a person; birth date and sex follow from the number.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "language",
    "preferred_format",
    "protected_identity",
)
# Address and contact: what protected identity hides, and what only named staff may change.
CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")
REPRESENTATIVE_FIELDS = (
    "kind",
    "name",
    "personnummer",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "valid_from",
    "valid_to",
)


def normalized_number(text: str, *, field: str = "personnummer") -> Personnummer:
    """A personnummer or samordningsnummer (day + 60), or a Swedish field error."""
    try:
        return parse_personnummer(text, today=clock.today())
    except InvalidPersonnummer:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "Numret är inte ett giltigt personnummer eller samordningsnummer. "
                        "Skriv det som ÅÅÅÅMMDD-NNNN och kontrollera siffrorna."
                    ),
                    code="personnummer",
                )
            }
        ) from None


def _new_pseudonym() -> str:
    # Random and carrying nothing of the person: it is what survives culling.
    while True:
        value = "P" + secrets.token_hex(6).upper()[:11]
        if not Person.objects.filter(pseudonym=value).exists():
            return value


def _check_unique_number(number: str, *, exclude_pk: int | None = None) -> None:
    taken = Person.objects.filter(personnummer=number).exclude(pk=exclude_pk)
    if taken.exists():
        # Said without naming the other file: a number registered elsewhere in the city is
        # not the caseworker's to see.
        raise ValidationError(
            {
                "personnummer": ValidationError(
                    _("Det finns redan en person med det numret i Följa."), code="taken"
                )
            }
        )


@transaction.atomic
def person_register(*, user: User, district, personnummer: str, **values) -> Person:
    """Register a person in the caseworker's district. Birth date and sex are read from the
    number, so they can never disagree with it."""
    number = normalized_number(personnummer)
    _check_unique_number(number.normalized)
    person = Person.objects.create(
        personnummer=number.normalized,
        birth_date=number.birth_date,
        sex=number.sex,
        district=district,
        pseudonym=_new_pseudonym(),
        last_entry_on=clock.today(),
        **{k: v for k, v in values.items() if k in PERSON_FIELDS},
    )
    audit_record(
        user=user,
        action="person_registered",
        obj=person,
        person=person,
        details={"kind": number.kind, "protected_identity": person.protected_identity},
    )
    if person.has_protected_identity:
        _protection_task(person=person, user=user)
    return person


def _protection_task(*, person: Person, user) -> None:
    """A person newly marked as protected needs the unit manager to name who may still see
    the address and contact details: the work list says so (the same task as the register's)."""
    task_raise(
        kind=TaskKind.PROTECTION,
        person=person,
        subject=f"registry:protection:{person.protected_identity}",
        details={"marking": person.protected_identity},
        user=user,
    )


@transaction.atomic
def person_update(*, user: User, person: Person, personnummer: str, **values) -> Person:
    """Change what the caseworker may change. Address and contact of a protected person are
    kept as they are unless the caseworker is named staff: who may not see them may not
    overwrite them either."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    number = normalized_number(personnummer)
    _check_unique_number(number.normalized, exclude_pk=person.pk)
    may_touch_contact = can_see_contact(user=user, person=person)
    was_protected = person.has_protected_identity
    lifts_protection = was_protected and values.get("protected_identity") == ProtectedIdentity.NONE
    if lifts_protection and not may_touch_contact and user.role != Role.UNIT_MANAGER:
        # Lifting the protection would show the hidden details to whoever lifts it.
        raise ValidationError(
            {
                "protected_identity": ValidationError(
                    _(
                        "Bara enhetschefen eller personal med behörighet kan ta bort "
                        "skyddad identitet."
                    ),
                    code="not_named",
                )
            }
        )
    changed = []
    if number.normalized != person.personnummer:
        person.personnummer = number.normalized
        person.birth_date = number.birth_date
        person.sex = number.sex
        changed.append("personnummer")
    for name in PERSON_FIELDS:
        if name not in values or (name in CONTACT_FIELDS and not may_touch_contact):
            continue
        if getattr(person, name) != values[name]:
            setattr(person, name, values[name])
            changed.append(name)
    if changed:
        person.last_entry_on = clock.today()
        person.save()
        if "protected_identity" in changed and person.has_protected_identity and not was_protected:
            _protection_task(person=person, user=user)
        # Field names only: the audit trail must not become a second copy of the file.
        audit_record(
            user=user,
            action="person_updated",
            obj=person,
            person=person,
            details={"fields": changed},
        )
    return person


def _representative_values(values: dict) -> dict:
    clean = {k: v for k, v in values.items() if k in REPRESENTATIVE_FIELDS}
    if clean.get("personnummer"):
        clean["personnummer"] = normalized_number(clean["personnummer"]).normalized
    start, end = clean.get("valid_from"), clean.get("valid_to")
    if start and end and end < start:
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    _("Förordnandet kan inte sluta innan det börjar."), code="order"
                )
            }
        )
    return clean


def _login_for(number: str) -> User | None:
    """The representative's e-ID login, when one exists for the number: linking it is what
    lets them act for this principal on Mina sidor."""
    if not number:
        return None
    return User.objects.filter(
        role=Role.REPRESENTATIVE, personnummer=number, is_active=True
    ).first()


@transaction.atomic
def representative_add(*, user: User, person: Person, **values) -> Representative:
    clean = _representative_values(values)
    representative = Representative(person=person, **clean)
    representative.active = representative.within_mandate(clock.today())
    representative.user = _login_for(representative.personnummer)
    representative.save()
    audit_record(
        user=user,
        action="representative_added",
        obj=representative,
        person=person,
        details={"kind": representative.kind, "active": representative.active},
    )
    return representative


@transaction.atomic
def representative_update(
    *, user: User, representative: Representative, **values
) -> Representative:
    clean = _representative_values(values)
    changed = [k for k, v in clean.items() if getattr(representative, k) != v]
    for name, value in clean.items():
        setattr(representative, name, value)
    # A mandate that has ended ends the representative's access to the principal's pages.
    representative.active = representative.within_mandate(clock.today())
    if representative.user_id is None:
        representative.user = _login_for(representative.personnummer)
    representative.save()
    audit_record(
        user=user,
        action="representative_updated",
        obj=representative,
        person=representative.person,
        details={"fields": changed, "active": representative.active},
    )
    return representative


@transaction.atomic
def named_staff_set(*, user: User, person: Person, staff: list[User]) -> list[User]:
    """The unit manager names who may see a protected person's address and contact. Only
    district staff of the person's district can be named."""
    wrong = [
        u.username
        for u in staff
        if u.role not in (Role.CASEWORKER, Role.UNIT_MANAGER) or u.district_id != person.district_id
    ]
    if wrong:
        raise ValidationError(
            {
                "staff": ValidationError(
                    _("Bara personal i personens stadsdel kan ges behörighet."), code="district"
                )
            }
        )
    before = set(person.named_staff.values_list("pk", flat=True))
    person.named_staff.set(staff)
    after = {u.pk for u in staff}
    audit_record(
        user=user,
        action="named_staff_set",
        obj=person,
        person=person,
        details={"added": sorted(after - before), "removed": sorted(before - after)},
    )
    return staff
