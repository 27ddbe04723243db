"""Reads for the provider side: orders, escorts, matching and published practice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from folja.cases.models import Decision, Outcome
from folja.core.templatetags.figures import format_number
from folja.guidelines.models import AllocationModel, GuidelineVersion
from folja.providers.models import (
    ApiToken,
    Capacity,
    Escort,
    ImplementationPlan,
    Order,
    OrderNotice,
    OrderStatus,
    Provider,
)


def policy_differences(provider: Provider, guideline: GuidelineVersion | None) -> list[str]:
    """Where the provider's published practice differs from the city's guideline, in Swedish
    sentences a person can read. Empty when they agree (or no guideline is given).

    The seeds' complaint was "each provider its own rules": the guideline is the one rule for
    charging time, so a difference here tells the person the provider's wording is not what
    decides how their hours are counted.
    """
    if guideline is None:
        return []
    out: list[str] = []
    if provider.cancellation_cutoff_hours != guideline.late_cancellation_cutoff_hours:
        out.append(
            _(
                "Utföraren anger att avbokning ska ske senast %(provider)s timmar före, men "
                "stadens riktlinje räknar en avbokning som sen först %(city)s timmar före."
            )
            % {
                "provider": provider.cancellation_cutoff_hours,
                "city": guideline.late_cancellation_cutoff_hours,
            }
        )
    if provider.charges_late_cancellation != guideline.late_cancellation_charged:
        out.append(
            _("Utföraren räknar av tid vid sen avbokning, men det gör inte stadens riktlinje.")
            if provider.charges_late_cancellation
            else _("Stadens riktlinje räknar av tid vid sen avbokning, men utföraren gör det inte.")
        )
    if provider.charges_no_show != guideline.no_show_charged:
        out.append(
            _("Utföraren räknar av tid vid uteblivet besök, men det gör inte stadens riktlinje.")
            if provider.charges_no_show
            else _(
                "Stadens riktlinje räknar av tid vid uteblivet besök, men utföraren gör det inte."
            )
        )
    return out


# --- the decision an order stands on --------------------------------------------------------

# What orders show of their decision (inbox, order page, API), and the link to its replacement.
DECISION_SHOWN_FIELDS = (
    "id",
    "outcome",
    "hours_per_month",
    "valid_from",
    "valid_to",
    "model",
    "double_staffing",
    "superseded_by_id",
)


def decisions_in_force(orders: Iterable[Order]) -> dict[int, Decision]:
    """Order id → the decision in force for that order: its own decision, or, when that was
    replaced (a reconsideration or appeal outcome sets `superseded_by`), the decision that
    replaced it, followed to the end of the chain. The one answer to "which decision does this
    order stand on" for every page, list and API response that shows one.

    The decisions are always read afresh, never taken from a decision loaded with the order:
    one replaced since then would still look in force. A chain costs one query per step for
    the whole list, not per order."""
    orders = list(orders)
    known: dict[int, Decision] = {}
    current = {order.pk: order.decision_id for order in orders}
    visited = {order.pk: {order.decision_id} for order in orders}
    pending = set(current)  # orders whose chain may go on
    while pending:
        missing = {current[order_id] for order_id in pending} - known.keys()
        if missing:
            for decision in Decision.objects.filter(pk__in=missing).only(*DECISION_SHOWN_FIELDS):
                known[decision.pk] = decision
        going_on = set()
        for order_id in pending:
            successor = known[current[order_id]].superseded_by_id
            # A cycle cannot be made through the services; stop rather than loop if one is.
            if successor is not None and successor not in visited[order_id]:
                visited[order_id].add(successor)
                current[order_id] = successor
                going_on.add(order_id)
        pending = going_on
    return {order_id: known[decision_id] for order_id, decision_id in current.items()}


def decision_in_force(order: Order) -> Decision:
    """The decision in force for one order (see `decisions_in_force`)."""
    return decisions_in_force([order])[order.pk]


def with_decisions_in_force(orders: Iterable[Order]) -> list[Order]:
    """The orders, each carrying `decision_in_force` for a template or serializer to show."""
    orders = list(orders)
    in_force = decisions_in_force(orders)
    for order in orders:
        order.decision_in_force = in_force[order.pk]
    return orders


def orders_for(*, user, status: str | None = None) -> QuerySet[Order]:
    qs = Order.objects.visible_to(user).select_related("person", "decision", "provider")
    if status:
        qs = qs.filter(status=status)
    return qs


def new_orders(*, user) -> QuerySet[Order]:
    """Sent and not yet accepted, oldest first: they are waiting for an answer."""
    return orders_for(user=user, status=OrderStatus.SENT).order_by("created_at", "id")


# What the provider lists (inbox, sessions) show and log of a person: a large provider sorts
# hundreds of assignments by name, and carrying whole person and decision rows through that
# sort made it the slowest query of the portal.
LISTED_PERSON_FIELDS = (
    "person__first_name",
    "person__last_name",
    "person__pseudonym",
    "person__district_id",
    "person__protected_identity",
)


def active_orders(*, user, query: str = "") -> QuerySet[Order]:
    """Accepted assignments by the person's name; `query` matches first or last name. The
    decision shown (the one in force) comes from `with_decisions_in_force` on the page's rows
    only."""
    qs = (
        Order.objects.visible_to(user)
        .filter(status=OrderStatus.ACCEPTED)
        .select_related("person")
        .only("id", "status", "decision_id", "person_id", *LISTED_PERSON_FIELDS)
    )
    for word in query.split():
        qs = qs.filter(Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word))
    return qs.order_by("person__last_name", "person__first_name", "id")


# --- notices of changed decisions --------------------------------------------------------------

# The inbox lists at most this many open notices, oldest first; the rest follow as those are
# acknowledged (a notice waits until someone has read it, so none is lost).
OPEN_NOTICES_SHOWN = 100


def open_notices(*, user) -> QuerySet[OrderNotice]:
    """The provider's notices not yet acknowledged, oldest first: they are waiting to be read."""
    return (
        OrderNotice.objects.visible_to(user)
        .filter(acknowledged_at__isnull=True)
        .select_related("order__person")
        .order_by("created_at", "id")
    )


def notices_for(*, user, order: Order) -> QuerySet[OrderNotice]:
    """Every notice of one order, open or acknowledged, newest first."""
    return (
        OrderNotice.objects.visible_to(user)
        .filter(order=order)
        .select_related("acknowledged_by")
        .order_by("-created_at", "-id")
    )


def _hours(value) -> str:
    return "0" if value is None else format_number(value, "-2")


def _validity(valid_from: date | None, valid_to: date | None) -> str:
    if valid_from is None or valid_to is None:
        return "–"
    return f"{valid_from:%Y-%m-%d} – {valid_to:%Y-%m-%d}"


def notice_changes(notice: OrderNotice) -> list[str]:
    """What changed in the decision behind the order, one plain Swedish sentence per change
    ("Beslutet har ändrats: 20 → 24 timmar per månad")."""
    if notice.new_outcome == Outcome.REJECTED:
        return [_("Beslutet har ändrats till avslag: inga timmar är längre beviljade.")]
    out: list[str] = []
    if notice.old_hours_per_month != notice.new_hours_per_month:
        out.append(
            _("Beslutet har ändrats: %(old)s → %(new)s timmar per månad")
            % {
                "old": _hours(notice.old_hours_per_month),
                "new": _hours(notice.new_hours_per_month),
            }
        )
    if (notice.old_valid_from, notice.old_valid_to) != (
        notice.new_valid_from,
        notice.new_valid_to,
    ):
        out.append(
            _("Beslutet har ändrats: gäller %(old)s → %(new)s")
            % {
                "old": _validity(notice.old_valid_from, notice.old_valid_to),
                "new": _validity(notice.new_valid_from, notice.new_valid_to),
            }
        )
    if notice.old_model != notice.new_model:
        out.append(
            _("Beslutet har ändrats: tilldelningsmodell %(old)s → %(new)s")
            % {
                "old": AllocationModel(notice.old_model).label,
                "new": AllocationModel(notice.new_model).label,
            }
        )
    return out


def with_changes(notices: Iterable[OrderNotice]) -> list[OrderNotice]:
    """The notices, each carrying `changes` (see `notice_changes`) for a template to show."""
    notices = list(notices)
    for notice in notices:
        notice.changes = notice_changes(notice)
    return notices


def plans_for(*, order: Order) -> QuerySet[ImplementationPlan]:
    return order.plans.select_related("created_by").order_by("-version")


def latest_plan(*, order: Order) -> ImplementationPlan | None:
    return plans_for(order=order).first()


def escorts_for(*, user, active_only: bool = True) -> QuerySet[Escort]:
    qs = Escort.objects.visible_to(user)
    return qs.filter(active=True) if active_only else qs


def tokens_for(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.visible_to(user).select_related("created_by").order_by("-created_at")


# --- matching ----------------------------------------------------------------------------------

# Weights: a shared language decides whether the person can be understood at all, so it counts
# most; physical strength is a safety need when the order asks for it.
LANGUAGE_WEIGHT = 3
STRENGTH_WEIGHT = 3
GENDER_WEIGHT = 2
INTEREST_WEIGHT = 1
AGE_WEIGHT = 1


@dataclass
class Match:
    escort: Escort
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def _norm(values) -> dict[str, str]:
    return {str(v).strip().lower(): str(v).strip() for v in values or [] if str(v).strip()}


def match_escorts(*, order: Order, escorts) -> list[Match]:
    """Escorts ranked by fit with the order's stated preferences, best first, each with the
    reasons in plain Swedish ("talar arabiska", "delar intresset musik")."""
    wanted_languages = _norm(order.preferred_languages)
    wanted_interests = _norm(order.preferred_interests)
    matches: list[Match] = []
    for escort in escorts:
        m = Match(escort=escort)
        languages = _norm(escort.languages)
        for key, label in wanted_languages.items():
            if key in languages:
                m.score += LANGUAGE_WEIGHT
                m.reasons.append(_("talar %(language)s") % {"language": label.lower()})
            else:
                m.misses.append(_("talar inte %(language)s") % {"language": label.lower()})
        interests = _norm(escort.interests)
        for key, label in wanted_interests.items():
            if key in interests:
                m.score += INTEREST_WEIGHT
                m.reasons.append(_("delar intresset %(interest)s") % {"interest": label.lower()})
        if order.preferred_gender:
            if escort.gender == order.preferred_gender:
                m.score += GENDER_WEIGHT
                m.reasons.append(_("önskat kön"))
            else:
                m.misses.append(_("inte önskat kön"))
        if order.preferred_age_band and escort.age_band == order.preferred_age_band:
            m.score += AGE_WEIGHT
            m.reasons.append(_("i önskad ålder"))
        if order.physical_strength_needed:
            if escort.physical_capacity == Capacity.HIGH:
                m.score += STRENGTH_WEIGHT
                m.reasons.append(_("kan lyfta och ge fysiskt stöd"))
            else:
                m.misses.append(_("kan inte ge fysiskt stöd"))
        matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.escort.first_name, m.escort.last_name, m.escort.pk))
    return matches


# --- sessions ------------------------------------------------------------------------------------


def session_kind(session, guideline=None) -> str:
    """The session's status as the glossary names it, a person's cancellation classified as in
    time or late by the rules engine from `cancelled_at` and the cut-off of the guideline
    version in force on the day the session starts — as the verification does — never by the
    provider. `guideline` is the schedule of dated versions (or one version)."""
    from folja.rules.guidelines import as_schedule
    from folja.rules.model import SessionReport, cancellation_kind

    if session.status == "booked":
        return "booked"
    if guideline is None:
        guideline = current_rules_guideline()
    version = as_schedule(guideline).on(session.start.date())
    report = SessionReport(
        id=str(session.pk),
        start=session.start,
        end=session.end,
        status=session.status,
        escorts=session.escorts,
        cancelled_at=session.cancelled_at,
    )
    return cancellation_kind(report, version)


def current_rules_guideline():
    """The dated guideline versions for classifying sessions on pages and in API listings."""
    from folja.ledger.bridge import page_schedule

    return page_schedule()


def session_rows(sessions) -> list:
    """Sessions as the provider's tables list them: the status as the glossary names it, what
    the session is owed (`due`, the very line of the payment file) and each reason code in
    plain Swedish."""
    from folja.ledger.payable import reason_text, session_due

    schedule = current_rules_guideline()
    rows = list(sessions)
    for s in rows:
        s.kind = session_kind(s, schedule)
        s.due = session_due(s)
        s.reason_texts = [reason_text(code) for code in (s.flags or [])]
    return rows
