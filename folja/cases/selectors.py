"""Reads for casework: the caseload, a person's file, decision support and the work list.

Every query for personal data starts from `visible_to(user)`. The one exception is decision
support, which reads city-wide decisions as anonymous figures (hours, outcome, age band) only:
comparing with other districts is the point of it, and no person is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from folja.cases.models import (
    Appeal,
    Application,
    Decision,
    DecisionLetter,
    Outcome,
    Task,
)
from folja.delivery.models import (
    ClaimStatus,
    CostlyActivityApplication,
    ExpenseClaim,
    ReviewStatus,
    Session,
)
from folja.delivery.selectors import person_overview
from folja.guidelines.models import LegalBasis
from folja.ledger.decisions import GRANTING_FIELDS, granting_decisions, grants_time
from folja.ledger.guidelines import version_in_force as guideline_in_force
from folja.people.models import Person, Representative
from folja.providers.models import ImplementationPlan, Order
from folja.rules.personnummer import parse as parse_personnummer
from folja.rules.stats import age_band, percentile, share

COMPARISON_MONTHS = 24
FLAGGED_SHOWN = 20  # flagged sessions listed on the person page, oldest first
RECENT_SHOWN = 6  # decisions, applications and orders listed on the person page, latest first


def _count(shown: list, qs) -> int:
    """How many rows `qs` has in all, without a second query when `shown` holds them all."""
    return len(shown) if len(shown) < RECENT_SHOWN else qs.count()


NEED_SCORE_SPAN = Decimal("1")
# Below this many comparable decisions a percentile says little; no warning is raised then.
MIN_COMPARABLES = 5
CASELOAD_PAGE_SIZE = 50


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


# ---------------------------------------------------------------- caseload


def looks_like_personnummer(query: str) -> bool:
    return any(ch.isdigit() for ch in query)


def caseload_persons(*, user, query: str = "", today: date | None = None) -> QuerySet[Person]:
    """The user's own district's persons, optionally searched by name or personnummer.

    Raises `InvalidPersonnummer` when the query contains digits but is no valid number, so the
    form can say so rather than show an empty list.
    """
    qs = Person.objects.visible_to(user).filter(culled_at__isnull=True)
    query = (query or "").strip()
    if query:
        if looks_like_personnummer(query):
            number = parse_personnummer(query, today=today)
            qs = qs.filter(personnummer=number.normalized)
        else:
            for term in query.split()[:5]:
                qs = qs.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
    open_tasks = (
        Task.objects.filter(person=OuterRef("pk"), closed_at__isnull=True)
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(open_tasks=Coalesce(Subquery(open_tasks), 0)).order_by(
        "last_name", "first_name", "pk"
    )


def current_decisions(persons: list[Person], *, on: date) -> dict[int, Decision]:
    """The decision in force on `on` for each of `persons` (one query)."""
    rows = (
        granting_decisions(
            Decision.objects.filter(
                person__in=[p.pk for p in persons], valid_from__lte=on, valid_to__gte=on
            )
        )
        .only("id", "person_id", "hours_per_month", "valid_from", "valid_to")
        .order_by("person_id", "-valid_from")
    )
    result: dict[int, Decision] = {}
    for d in rows:
        result.setdefault(d.person_id, d)
    return result


# ---------------------------------------------------------------- a person's file


def can_see_contact(*, user, person: Person) -> bool:
    """Protected identity: address and contact only for staff named on the person."""
    if not person.has_protected_identity:
        return True
    return person.named_staff.filter(pk=user.pk).exists()


def balance_and_periods(*, person: Person, on: date, last: int = 6) -> tuple[object | None, list]:
    """The current period's balance and the last periods' execution, from one evaluation by
    the rules engine."""
    balance, periods = person_overview(person=person, on=on)
    return balance, [p for p in periods if p.start <= on][-last:]


@dataclass
class PersonFile:
    person: Person
    show_contact: bool
    applications: list[Application]
    decisions: list[Decision]
    letters_by_decision: dict[int, list[DecisionLetter]]
    balance: object | None
    periods: list
    sessions: list[Session]
    flagged_sessions: list[Session]
    flagged_count: int
    decisions_count: int
    orders_count: int
    orders: list[Order]
    tasks: list[Task]
    appeals: list[Appeal]
    current_decision: Decision | None = None
    warnings: list[str] = field(default_factory=list)
    pending_claims: list[ExpenseClaim] = field(default_factory=list)
    pending_costly: list[CostlyActivityApplication] = field(default_factory=list)
    representatives: list[Representative] = field(default_factory=list)


def _representatives(*, user, person: Person, today: date) -> list[Representative]:
    """The person's legal representatives, those whose mandate is in force today first."""
    reps = list(
        Representative.objects.visible_to(user).filter(person=person).order_by("name", "pk")
    )
    for r in reps:
        r.in_force = r.mandate_in_force(today)
    return sorted(reps, key=lambda r: not r.in_force)


def person_file(*, user, person: Person, today: date) -> PersonFile:
    """What the person page shows, and no more: it is the most visited page of casework, so
    each query fetches only the related rows the page displays. Lists that grow with the
    length of a history (decisions, applications, orders) show their latest RECENT_SHOWN
    with a count, so ten years cost what one year does."""
    decisions_qs = Decision.objects.visible_to(user).filter(person=person)
    decisions = list(decisions_qs.select_related("legal_basis")[:RECENT_SHOWN])
    decisions_count = _count(decisions, decisions_qs)
    letters: dict[int, list[DecisionLetter]] = {}
    for letter in (
        DecisionLetter.objects.filter(decision__in=[d.pk for d in decisions])
        .only("id", "decision_id", "issued_at", "appeal_deadline", "sha256")
        .order_by("-issued_at", "-id")
    ):
        letters.setdefault(letter.decision_id, []).append(letter)
    for d in decisions:
        d.issued_letters = letters.get(d.pk, [])
    applications = list(
        Application.objects.visible_to(user)
        .filter(person=person)
        .order_by("-received_on", "-id")[:RECENT_SHOWN]
    )
    plans = ImplementationPlan.objects.only(
        "id", "order_id", "version", "goals", "activities", "when"
    ).order_by("-version")
    orders_qs = Order.objects.visible_to(user).filter(person=person)
    orders = list(
        orders_qs.select_related("provider").prefetch_related(
            Prefetch("plans", queryset=plans, to_attr="plan_versions")
        )[:RECENT_SHOWN]
    )
    orders_count = _count(orders, orders_qs)
    sessions = list(
        Session.objects.visible_to(user)
        .filter(person=person)
        .select_related("provider")
        .order_by("-start", "-id")[:20]
    )
    # The oldest flagged sessions first, a page's worth: a backlog of years must not make the
    # page grow with it. The count says how many wait in all; each review takes one off.
    flagged_qs = Session.objects.visible_to(user).filter(
        person=person, review_status=ReviewStatus.PENDING
    )
    flagged = list(flagged_qs.select_related("provider").order_by("start", "id")[:FLAGGED_SHOWN])
    flagged_count = len(flagged) if len(flagged) < FLAGGED_SHOWN else flagged_qs.count()
    tasks = list(Task.objects.visible_to(user).filter(person=person, closed_at__isnull=True))
    appeals = list(Appeal.objects.visible_to(user).filter(person=person))
    pending_claims, pending_costly = money_requests(user=user, person=person)
    balance, periods = balance_and_periods(person=person, on=today)
    current = next(
        (d for d in decisions if grants_time(d) and d.valid_from <= today <= d.valid_to),
        None,
    )
    if current is None and decisions_count > len(decisions):
        current = (
            granting_decisions(decisions_qs)
            .filter(valid_from__lte=today, valid_to__gte=today)
            .select_related("legal_basis")
            .order_by("-valid_from", "-id")
            .first()
        )
    return PersonFile(
        person=person,
        show_contact=can_see_contact(user=user, person=person),
        applications=applications,
        decisions=decisions,
        letters_by_decision=letters,
        balance=balance,
        periods=periods,
        sessions=sessions,
        flagged_sessions=flagged,
        flagged_count=flagged_count,
        decisions_count=decisions_count,
        orders=orders,
        orders_count=orders_count,
        tasks=tasks,
        appeals=appeals,
        current_decision=current,
        pending_claims=pending_claims,
        pending_costly=pending_costly,
        representatives=_representatives(user=user, person=person, today=today),
    )


# ---------------------------------------------------------------- decision support


@dataclass(frozen=True)
class SupportStats:
    decisions: int
    with_hours: int
    median: Decimal | None
    p10: Decimal | None
    p90: Decimal | None
    rejection_share: Decimal | None


@dataclass(frozen=True)
class DecisionSupport:
    act: str
    need_score: Decimal | None
    age_band: str
    since: date
    until: date
    city: SupportStats
    district: SupportStats

    def is_outside(self, hours: Decimal | None) -> bool:
        """Whether `hours` lies outside the city-wide 10th–90th percentile."""
        if hours is None or self.city.with_hours < MIN_COMPARABLES:
            return False
        return hours < self.city.p10 or hours > self.city.p90


def _stats(rows: list[tuple[Decimal | None, str]]) -> SupportStats:
    """`rows` are (hours granted, outcome): hours None for a decision that grants no time."""
    hours = [h for h, _ in rows if h is not None]
    rejected = sum(1 for _, outcome in rows if outcome != Outcome.GRANTED)
    return SupportStats(
        decisions=len(rows),
        with_hours=len(hours),
        median=percentile(hours, 50, places=1),
        p10=percentile(hours, 10, places=1),
        p90=percentile(hours, 90, places=1),
        rejection_share=share(rejected, len(rows)),
    )


def decision_support(
    *,
    act: str,
    need_score: Decimal | None,
    birth_date: date,
    on: date,
    district_id: int,
) -> DecisionSupport:
    """How comparable decisions were decided over the last 24 months, city-wide and in the
    district: same act, need score within ±1, same age band (at each decision's date)."""
    since = months_before(on, COMPARISON_MONTHS)
    qs = Decision.objects.filter(legal_basis__act=act, decided_on__gte=since, decided_on__lte=on)
    if need_score is not None:
        qs = qs.filter(
            application__assessment__need_score__gte=need_score - NEED_SCORE_SPAN,
            application__assessment__need_score__lte=need_score + NEED_SCORE_SPAN,
        )
    band = age_band(birth_date, on)
    city: list[tuple[Decimal | None, str]] = []
    district: list[tuple[Decimal | None, str]] = []
    for d in qs.values(*GRANTING_FIELDS, "person__birth_date", "decided_on", "district_id"):
        if age_band(d["person__birth_date"], d["decided_on"]) != band:
            continue
        row = (d["hours_per_month"] if grants_time(d) else None, d["outcome"])
        city.append(row)
        if d["district_id"] == district_id:
            district.append(row)
    return DecisionSupport(
        act=act,
        need_score=need_score,
        age_band=band,
        since=since,
        until=on,
        city=_stats(city),
        district=_stats(district),
    )


def support_for_application(*, application: Application, on: date, act: str) -> DecisionSupport:
    assessment = getattr(application, "assessment", None)
    return decision_support(
        act=act,
        need_score=assessment.need_score if assessment else None,
        birth_date=application.person.birth_date,
        on=on,
        district_id=application.district_id,
    )


def decision_of_application(application: Application) -> Decision | None:
    """The application's decision in force: the one not superseded by a reconsideration.
    An application is decided once (constraint one_decision_in_force_per_application)."""
    return Decision.objects.filter(application=application, superseded_by__isnull=True).first()


def legal_bases_on(on: date) -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def money_requests(
    *, user, person: Person
) -> tuple[list[ExpenseClaim], list[CostlyActivityApplication]]:
    """Expense claims and costly-activity applications of `person` that wait for a decision."""
    claims = list(
        ExpenseClaim.objects.visible_to(user)
        .filter(person=person, status__in=(ClaimStatus.SUBMITTED, ClaimStatus.PENDING))
        .select_related("provider")
        .order_by("date", "id")
    )
    costly = list(
        CostlyActivityApplication.objects.visible_to(user)
        .filter(person=person, status=ClaimStatus.SUBMITTED)
        .order_by("date", "id")
    )
    return claims, costly


def costly_ceiling_left(*, application: CostlyActivityApplication) -> Decimal | None:
    """What is left of the guideline's yearly ceiling for costly activities in the activity's
    calendar year, not counting this application. None when no guideline is known."""
    guideline = guideline_in_force(application.date)
    if guideline is None:
        return None
    approved = (
        CostlyActivityApplication.objects.filter(
            person_id=application.person_id,
            status=ClaimStatus.APPROVED,
            date__year=application.date.year,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount_sek"))["total"]
    ) or Decimal("0")
    return max(Decimal("0"), guideline.costly_activity_yearly_ceiling - approved)


# ---------------------------------------------------------------- work list


def worklist_tasks(*, user, mine_only: bool = False, kind: str = "") -> QuerySet[Task]:
    qs = (
        Task.objects.visible_to(user)
        .filter(closed_at__isnull=True)
        .select_related("person", "assigned_to")
    )
    if mine_only:
        qs = qs.filter(assigned_to=user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_on", "id")
