"""Expense money as the guidelines say (DESIGN.md "Expenses"): an approved costly-activity
amount covers the activity's claims above the pooled allowance, within the yearly ceiling; a
claim that would overdraw the pool waits for the caseworker; and nobody reads a negative sum.

The person has a flex3 decision for 2024 and 300 kr a month, so April–June pools 900 kr. The
clock stands on 14 June 2024."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from folja.accounts.models import Role
from folja.cases import services_money
from folja.cases.models import Task, TaskKind
from folja.cases.selectors import worklist_tasks
from folja.delivery.models import ClaimStatus, ExpenseClaim
from folja.delivery.selectors import person_balance
from folja.delivery.services import expense_claim_create
from folja.ledger.bridge import person_evaluation, verify_person_sessions
from folja.ledger.expenses import balance_money
from folja.testing.factories import CostlyActivityFactory, ExpenseClaimFactory, make_user
from folja.testing.factories_portal import make_portal_person
from folja.testing.receipts import PNG

TODAY = date(2024, 6, 14)
APRIL_TO_JUNE = date(2024, 5, 10)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pp(ref, district, frozen):
    return make_portal_person(district=district)


def _receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("kvitto.png", PNG, content_type="image/png")


def _provider_claim(pp, amount: str, *, costly_activity=None, day=APRIL_TO_JUNE) -> ExpenseClaim:
    return expense_claim_create(
        user=make_user(Role.PROVIDER_STAFF, provider=pp.provider),
        provider=pp.provider,
        person=pp.person,
        date=day,
        amount_sek=Decimal(amount),
        description="Entré för ledsagaren",
        receipt=_receipt(),
        costly_activity=costly_activity,
    )


def _approved_activity(pp, amount: str = "1800.00"):
    return CostlyActivityFactory(
        person=pp.person,
        date=APRIL_TO_JUNE,
        status=ClaimStatus.APPROVED,
        approved_amount_sek=Decimal(amount),
    )


def _money(person):
    return balance_money(person_id=person.pk, balance=person_balance(person=person, on=TODAY))


def test_an_approved_activity_covers_its_claims_above_the_pool(pp):
    # Before: the claim's whole 2,000 kr drew on the 900 kr pool, which then read -1,100 kr.
    activity = _approved_activity(pp)
    ExpenseClaimFactory(
        person=pp.person,
        date=APRIL_TO_JUNE,
        amount_sek=Decimal("2000.00"),
        costly_activity=activity,
    )

    period = person_evaluation(person=pp.person, on=TODAY).period_containing(APRIL_TO_JUNE)

    assert (period.allowance, period.expenses) == (Decimal("900.00"), Decimal("900.00"))
    assert period.allowance_left == Decimal("0.00")


def test_a_claim_for_an_approved_activity_is_accepted_and_the_activity_pays_the_rest(pp):
    activity = _approved_activity(pp)
    _provider_claim(pp, "250.00")

    claim = _provider_claim(pp, "2000.00", costly_activity=activity)

    assert claim.status == ClaimStatus.SUBMITTED and claim.costly_activity == activity
    # Accepted, so it draws at once; still on the work list for the caseworker to look at the
    # receipt (issue 13: a provider's claim is a task like the person's own).
    assert Task.objects.filter(
        kind=TaskKind.EXPENSE_REVIEW, subject=services_money.claim_task_subject(claim)
    ).exists()
    money = _money(pp.person)
    # 250 kr and then 650 kr of the pool; the activity's 1,800 kr pays the other 1,350 kr.
    assert (money.pool, money.left, money.activity, money.waiting) == (
        Decimal("900.00"),
        Decimal("0.00"),
        Decimal("1350.00"),
        Decimal("0.00"),
    )


def test_activity_money_never_exceeds_the_approved_amount_and_the_rest_goes_to_review(pp):
    activity = _approved_activity(pp, "1000.00")

    claim = _provider_claim(pp, "2500.00", costly_activity=activity)

    # 900 kr from the pool and 1,000 kr from the activity: 600 kr are left that nobody has
    # decided to pay, so the caseworker decides the claim.
    assert claim.status == ClaimStatus.PENDING
    money = _money(pp.person)
    assert (money.pool, money.activity, money.waiting) == (
        Decimal("900.00"),
        Decimal("1000.00"),
        Decimal("600.00"),
    )


def test_a_claim_that_would_overdraw_the_pool_waits_for_the_caseworker_on_the_work_list(
    pp, caseworker
):
    # Before: accepted silently as submitted, drawn on the pool (-100 kr) and no task.
    _provider_claim(pp, "800.00")

    claim = _provider_claim(pp, "200.00")

    assert claim.status == ClaimStatus.PENDING
    task = worklist_tasks(user=caseworker).get(
        kind=TaskKind.EXPENSE_REVIEW, subject=services_money.claim_task_subject(claim)
    )
    assert task.details["status"] == ClaimStatus.PENDING
    assert task.details["expense_claim_id"] == claim.pk
    balance = person_balance(person=pp.person, on=TODAY)
    assert balance.expenses_sek == Decimal("800.00")  # the waiting claim draws nothing
    assert _money(pp.person).waiting == Decimal("200.00")


def test_a_claim_that_fits_in_what_is_left_is_accepted_and_still_reaches_the_work_list(pp):
    _provider_claim(pp, "800.00")

    claim = _provider_claim(pp, "100.00")

    assert claim.status == ClaimStatus.SUBMITTED
    task = Task.objects.get(
        kind=TaskKind.EXPENSE_REVIEW, subject=services_money.claim_task_subject(claim)
    )
    assert task.details["status"] == ClaimStatus.SUBMITTED
    assert person_balance(person=pp.person, on=TODAY).allowance_left_sek == Decimal("0.00")


def test_approving_a_waiting_claim_draws_it_on_the_pool_and_closes_its_task(pp, caseworker):
    _provider_claim(pp, "800.00")
    claim = _provider_claim(pp, "200.00")

    services_money.expense_claim_decide(claim=claim, user=caseworker, approve=True, note="")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert not (
        worklist_tasks(user=caseworker)
        .filter(kind=TaskKind.EXPENSE_REVIEW, subject=services_money.claim_task_subject(claim))
        .exists()
    )
    balance = person_balance(person=pp.person, on=TODAY)
    assert balance.expenses_sek == Decimal("1000.00")
    assert _money(pp.person).approved_beyond == Decimal("100.00")


def test_refusing_a_waiting_claim_leaves_the_pool_as_it_was(pp, caseworker):
    _provider_claim(pp, "800.00")
    claim = _provider_claim(pp, "200.00")

    services_money.expense_claim_decide(
        claim=claim, user=caseworker, approve=False, note="Utöver omkostnadsersättningen."
    )

    assert person_balance(person=pp.person, on=TODAY).allowance_left_sek == Decimal("100.00")
    assert _money(pp.person).waiting == Decimal("0.00")


def test_approving_the_activity_releases_the_claims_it_now_covers(pp, caseworker):
    application = CostlyActivityFactory(person=pp.person, date=APRIL_TO_JUNE)
    claim = _provider_claim(pp, "2000.00", costly_activity=application)
    assert claim.status == ClaimStatus.PENDING  # the activity is not decided yet

    services_money.costly_activity_decide(
        application=application,
        user=caseworker,
        approve=True,
        approved_amount_sek=Decimal("1800"),
        note="",
    )

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    task = Task.objects.get(kind=TaskKind.EXPENSE_REVIEW, person=pp.person)
    assert task.closed_at is not None
    assert "mer kostsam aktivitet" in task.resolution
    money = _money(pp.person)
    assert (money.pool, money.activity, money.waiting) == (
        Decimal("900.00"),
        Decimal("1100.00"),
        Decimal("0.00"),
    )


def test_a_claim_cannot_be_for_another_persons_activity(pp):
    other = make_portal_person()
    foreign = _approved_activity(other)

    with pytest.raises(Exception) as refused:
        _provider_claim(pp, "100.00", costly_activity=foreign)

    assert refused.value.field == "costly_activity_id"
    assert not ExpenseClaim.objects.filter(person=pp.person).exists()


def test_the_person_page_never_shows_a_negative_allowance(client, pp, caseworker):
    # Claims approved over the pool (5,615.50 kr against 900 kr): before, the page read
    # "-4715.50 kr".
    for amount in ("4000.00", "1615.50"):
        ExpenseClaimFactory(
            person=pp.person,
            date=APRIL_TO_JUNE,
            amount_sek=Decimal(amount),
            status=ClaimStatus.APPROVED,
        )
    ExpenseClaimFactory(
        person=pp.person,
        date=APRIL_TO_JUNE,
        amount_sek=Decimal("250.00"),
        status=ClaimStatus.PENDING,
    )
    verify_person_sessions(person=pp.person)
    client.force_login(caseworker)

    page = client.get(reverse("cases:person_detail", args=[pp.person.pk])).content.decode()

    assert not any(m in page for m in ("-4715", "−4715", "-4\u00a0715", "−4\u00a0715"))
    assert "Du har använt hela omkostnadsersättningen för perioden." in page
    assert "Din handläggare har godkänt 4\u00a0715,50 kronor mer än omkostnadsersättningen." in page
    assert "250 kronor väntar på beslut." in page


def test_the_caseworker_decides_a_waiting_claim_on_its_page(client, pp, caseworker):
    _provider_claim(pp, "900.00")
    claim = _provider_claim(pp, "250.00")
    client.force_login(caseworker)

    page = client.get(reverse("cases:claim_decide", args=[claim.pk])).content.decode()
    assert "Väntar på beslut" in page and 'name="verdict"' in page

    done = client.post(
        reverse("cases:claim_decide", args=[claim.pk]), {"verdict": "approve", "note": ""}
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
