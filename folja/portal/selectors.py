"""Reads for the person's portal. Every query goes through `visible_to(user)`; a representative
sees exactly what their chosen principal would see, and nothing of anyone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest

from folja.cases.models import Decision, DecisionLetter
from folja.delivery.models import ClaimStatus, CostlyActivityApplication, ExpenseClaim, Session
from folja.delivery.selectors import Balance, person_balance
from folja.ledger.decisions import granting_decisions
from folja.ledger.expenses import PeriodMoney, balance_money
from folja.ledger.guidelines import version_in_force
from folja.people.models import Person
from folja.portal.models import Feedback
from folja.providers.models import Order, OrderStatus, Provider
from folja.providers.selectors import policy_differences
from folja.rules.stats import percent_of

ACTIVE_PERSON_KEY = "portal_person_id"
# The person is warned when unused hours will lapse within this many days (three weeks).
LAPSE_WARNING_DAYS = 21


def principals(*, user) -> QuerySet[Person]:
    """The persons this login may act for: one for a person, one or more for a representative."""
    return Person.objects.visible_to(user).order_by("last_name", "first_name", "pk").distinct()


def active_person(request: HttpRequest) -> Person:
    """The person the portal shows now: the representative's stored choice, else the first
    principal. No principal at all is a 404 — there is nothing this login may see."""
    persons = principals(user=request.user)
    chosen = request.session.get(ACTIVE_PERSON_KEY)
    person = None
    if chosen is not None:
        person = persons.filter(pk=chosen).first()
    if person is None:
        person = persons.first()
    if person is None:
        raise Http404
    return person


def _scoped(model, user):
    # user None is the system (the CLI run by an operator without --as-user).
    return model.objects.all() if user is None else model.objects.visible_to(user)


@dataclass(frozen=True)
class HoursOverview:
    person: Person
    on: date
    balance: Balance | None
    decision: Decision | None
    sessions: list[Session]
    lapse_warning: bool
    # The period's money as the person reads it: what is left, what waits for a decision.
    money: PeriodMoney | None = None

    @property
    def used_percent(self) -> int:
        b = self.balance
        if not b or b.granted_minutes <= 0:
            return 0
        # Rounded half-up like every percentage (folja.rules.stats), not Python's round().
        return max(0, min(100, int(percent_of(b.used_minutes, b.granted_minutes))))


def current_decision(*, user, person: Person, on: date) -> Decision | None:
    return (
        granting_decisions(_scoped(Decision, user))
        .filter(person=person, valid_from__lte=on, valid_to__gte=on)
        .select_related("legal_basis")
        .order_by("-valid_from", "-id")
        .first()
    )


def latest_decision(*, user, person: Person) -> Decision | None:
    return (
        _scoped(Decision, user)
        .filter(person=person)
        .select_related("legal_basis")
        .order_by("-decided_on", "-id")
        .first()
    )


def latest_letter(*, decision: Decision | None) -> DecisionLetter | None:
    if decision is None:
        return None
    return decision.letters.order_by("-issued_at").only("appeal_deadline", "issued_at").first()


def hours_overview(*, user, person: Person, on: date) -> HoursOverview:
    """Balance (only from the rules engine via `person_balance`) and the sessions of the
    current period. Escorts are shown by first name only."""
    balance = person_balance(person=person, on=on)
    sessions: list[Session] = []
    if balance is not None:
        sessions = list(
            _scoped(Session, user)
            .filter(
                person=person,
                start__date__gte=balance.period_start,
                start__date__lte=balance.period_end,
            )
            .select_related("escort")
            .only("start", "end", "status", "activity", "charged_minutes", "escort__first_name")
            .order_by("start", "id")
        )
    return HoursOverview(
        person=person,
        on=on,
        balance=balance,
        decision=current_decision(user=user, person=person, on=on),
        sessions=sessions,
        lapse_warning=bool(balance and balance.lapses_within(LAPSE_WARNING_DAYS)),
        money=balance_money(person_id=person.pk, balance=balance),
    )


def expense_claims(*, user, person: Person) -> QuerySet[ExpenseClaim]:
    return _scoped(ExpenseClaim, user).filter(person=person).order_by("-date", "-id")


def costly_activities(*, user, person: Person) -> QuerySet[CostlyActivityApplication]:
    return _scoped(CostlyActivityApplication, user).filter(person=person).order_by("-date", "-id")


def linkable_costly_activities(*, user, person: Person) -> QuerySet[CostlyActivityApplication]:
    """The activities a claim can be for: the person's, unless refused."""
    return costly_activities(user=user, person=person).exclude(status=ClaimStatus.REJECTED)


def person_feedback(*, user, person: Person) -> QuerySet[Feedback]:
    return (
        Feedback.objects.visible_to(user)
        .filter(person=person)
        .select_related("provider")
        .order_by("-created_at", "-id")
    )


def current_provider(*, user, person: Person) -> Provider | None:
    order = (
        Order.objects.visible_to(user)
        .filter(person=person, status__in=[OrderStatus.SENT, OrderStatus.ACCEPTED])
        .select_related("provider")
        .order_by("-created_at", "-id")
        .first()
    )
    return order.provider if order else None


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    persons_served: int
    differences: list[str]
    is_current: bool


def lov_providers() -> QuerySet[Provider]:
    return Provider.objects.filter(active=True, lov_approved=True).order_by("name")


def provider_comparison(*, current: Provider | None, on: date) -> list[ProviderRow]:
    """LOV providers side by side. Persons served is an aggregate count (no personal data):
    distinct persons with a sent or accepted order."""
    guideline = version_in_force(on)
    providers = lov_providers().annotate(
        persons_served=Count(
            "orders__person",
            filter=Q(orders__status__in=[OrderStatus.SENT, OrderStatus.ACCEPTED]),
            distinct=True,
        )
    )
    return [
        ProviderRow(
            provider=p,
            persons_served=p.persons_served,
            differences=policy_differences(p, guideline),
            is_current=current is not None and p.pk == current.pk,
        )
        for p in providers
    ]


def staff_feedback(*, user) -> QuerySet[Feedback]:
    """Feedback routed to this staff member: provider staff see feedback about their provider
    (the model's scope does the routing); district staff see their district's."""
    return (
        Feedback.objects.visible_to(user)
        .select_related("person", "provider", "district")
        .order_by(F("replied_at").asc(nulls_first=True), "-created_at", "-id")
    )
