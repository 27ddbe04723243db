"""Proof of consistency (issue 12, point 8): random sequences of real writes to a small city,
and after every step every reader shows what `folja calc` says on `folja scenario`.

The static world (districts, providers, escorts, persons, logins, reference data) comes from
the factories; everything that can change a figure goes through the application's services,
so each step exercises the one "figures changed" path (folja.ledger.changed). After each step
`every_reader_shows_what_calc_says` holds the stored results, the person page, Mina sidor, the
provider's tables, the API, the payment runs, the roll-up, the dashboards and open data against
the engine (checks in consistency.py).

Each example runs in a savepoint rolled back at its end, with the clock frozen by time-machine
on a Monday at 10:00 and moved on by whole days as a rule of its own. One person's file was
last touched in 2018, so culling is possible from the start.

Quick by default (`make test`, well under a minute and a half); `FOLJA_STATEFUL_PROFILE=long`
runs many more and longer sequences for a manual run (about half an hour).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from folja.accounts.models import Role, User
from folja.cases.models import Decision, Outcome
from folja.cases.selectors import costly_ceiling_left, legal_bases_on
from folja.cases.services import (
    appeal_reconsider,
    appeal_register,
    application_create,
    decision_create,
    order_create,
    order_send,
    session_review,
)
from folja.cases.services_money import costly_activity_decide, expense_claim_decide
from folja.core import clock
from folja.delivery.models import (
    ClaimStatus,
    CostlyActivityApplication,
    ExpenseClaim,
    ReviewStatus,
    Session,
    SessionStatus,
)
from folja.delivery.services.claims import expense_claim_create
from folja.delivery.services.imports import sessions_import
from folja.delivery.services.sessions import (
    session_book,
    session_cancel,
    session_report,
    session_report_executed,
)
from folja.ledger.bridge import clear_reference_copies
from folja.ledger.payable import session_due
from folja.ledger.tests.consistency import (
    check_dashboards,
    check_mina_sidor,
    check_open_data,
    check_payment_runs,
    check_person_page,
    check_provider_views,
    check_rollup,
    check_stored_sessions,
    district_months,
    engine_figures,
    expected_payable,
    payment_keys,
)
from folja.payments.models import LineKind, PaymentLine, PaymentRun, RunStatus
from folja.payments.services import payment_run_build, payment_run_close
from folja.people.models import District, Person
from folja.people.selectors import culling_candidates
from folja.people.services import person_cull
from folja.portal.services import costly_activity_apply
from folja.providers.models import Escort, Order, OrderStatus, Provider
from folja.providers.services import order_accept
from folja.rules.periods import add_months
from folja.testing.factories import (
    DistrictFactory,
    EscortFactory,
    PersonFactory,
    ProviderFactory,
    make_user,
)
from folja.testing.factories_providers import fast_reference_data
from folja.testing.receipts import png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Monday 14 October 2024, 10:00: a month passes in a few steps, so sequences run on into
# Christmas (storhelg) and a new year, past reporting deadlines and period ends. The clock only
# moves by whole days, so "now" is always 10:00 and no session time falls in a skipped hour.
T0 = datetime(2024, 10, 14, 10, 0)
# The file that is due for culling: a monthly decision of 2017–2018, untouched since.
OLD_DAY = datetime(2017, 10, 2, 10, 0)

PROFILES = {
    "quick": {"max_examples": 5, "stateful_step_count": 20},
    "long": {"max_examples": 50, "stateful_step_count": 25},
}
PROFILE = PROFILES[os.environ.get("FOLJA_STATEFUL_PROFILE", "quick")]

HANDOVER = {
    "goals": "Delta i kulturlivet.",
    "activities": "Teater, promenader.",
    "communication_needs": "Inga särskilda.",
    "contact_rules": "Ring dagen före.",
}
# Start hours and lengths keep every session clear of 02:00–03:00 (summer time) and of
# midnight splits the tests do not mean: 21:00 + 4 h ends at 01:00.
START_HOURS = (8, 10, 13, 18, 21)
LENGTHS = (30, 60, 90, 120, 210, 240)
# Small grants too, so that a few sessions use up a period and flag their excess.
GRANTS = (Decimal("1"), Decimal("2.5"), Decimal("4"), Decimal("10"), Decimal("12.5"), Decimal("24"))
AMOUNTS = (Decimal("80.00"), Decimal("250.00"), Decimal("640.50"), Decimal("1200.00"))
# Notice given by a person's cancellation, in hours: on both sides of the 24-hour cut-off.
NOTICE = (1, 12, 23, 24, 25, 48)

# Three persons per district: born so that the follow-up's age band changes while the
# sequences run (21 on 20 November 2024, 65 on 3 December 2024), both sexes.
PERSONS = (
    (0, "female", date(1980, 5, 17)),
    (0, "male", date(2003, 11, 20)),
    (0, "female", date(1959, 12, 3)),
    (1, "male", date(1975, 2, 8)),
    (1, "female", date(1990, 7, 30)),
    (1, "male", date(1948, 3, 12)),
)


@dataclass
class World:
    """What the factories build once: the rest of the city is written by the services."""

    districts: list[District]
    caseworkers: dict[int, User]
    admin: User
    providers: list[Provider]
    staff: dict[int, User]
    escorts: dict[int, Escort]
    persons: list[Person]
    old: Person
    logins: dict[int, User] = field(default_factory=dict)

    @property
    def everyone(self) -> list[Person]:
        return [*self.persons, self.old]


def build_world() -> World:
    fast_reference_data()
    districts = [DistrictFactory(name="Norra"), DistrictFactory(name="Södra")]
    providers = [
        ProviderFactory(name="Ledsagning Norr AB", regi="private", lov_approved=True),
        ProviderFactory(name="Följeslagarna AB", regi="private", lov_approved=True),
        ProviderFactory(name="Stadens ledsagning", regi="municipal", lov_approved=True),
    ]
    persons = [
        PersonFactory(district=districts[d], sex=sex, birth_date=born) for d, sex, born in PERSONS
    ]
    # Born on the 10th: not kept for research, so the file can be culled.
    old = PersonFactory(district=districts[0], sex="female", birth_date=date(1953, 10, 10))
    return World(
        districts=districts,
        caseworkers={d.pk: make_user(Role.CASEWORKER, district=d) for d in districts},
        admin=make_user(Role.ADMINISTRATOR),
        providers=providers,
        staff={p.pk: make_user(Role.PROVIDER_STAFF, provider=p) for p in providers},
        escorts={p.pk: EscortFactory(provider=p) for p in providers},
        persons=persons,
        old=old,
        logins={p.pk: make_user(Role.PERSON, person=p) for p in [*persons, old]},
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _started(start: datetime) -> datetime:
    """`start`, or the same time a day earlier when it has not begun yet."""
    return start if start <= clock.now() else start - timedelta(days=1)


class LedgerMachine(RuleBasedStateMachine):
    """A small city under random writes. `world` is set on the class by the test."""

    world: World
    # How many examples reached each kind of state, over the whole test.
    coverage: Counter

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._travel = time_machine.travel(OLD_DAY, tick=False)
        self._clock = self._travel.start()
        clear_reference_copies()
        self.ids = count(1)
        # Per provider and month, what its payment run was last built from.
        self.paid: dict = {}
        self.open_data_cells = 0
        self.reached: set[str] = set()

    def teardown(self) -> None:
        self.coverage.update(self.reached)
        try:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        finally:
            self._travel.stop()
            clear_reference_copies()

    # --- helpers ------------------------------------------------------------------------------

    def _caseworker(self, person: Person) -> User:
        return self.world.caseworkers[person.district_id]

    def _decide(
        self,
        person: Person,
        *,
        hours: Decimal,
        valid_from: date,
        months: int,
        outcome: str = Outcome.GRANTED,
        act: str = "LSS",
        double_staffing: bool = False,
    ) -> Decision:
        today = clock.today()
        user = self._caseworker(person)
        application = application_create(
            person=person,
            user=user,
            received_on=today,
            kind="open",
            requested_act=act,
            requested_hours_per_month=hours,
        )
        return decision_create(
            application=application,
            user=user,
            decided_on=today,
            outcome=outcome,
            legal_basis=legal_bases_on(today).filter(act=act).order_by("-valid_from").first(),
            hours_per_month=hours,
            double_staffing=double_staffing,
            valid_from=valid_from,
            valid_to=add_months(valid_from.replace(day=1), months) - timedelta(days=1),
            reasons="Behov av ledsagning till fritidsaktiviteter.",
            rejected_parts=(
                []
                if outcome == Outcome.GRANTED
                else [{"part": "Timmar utöver behovet", "reason": "Behovet är tillgodosett."}]
            ),
            deviation_reason="Bedömt utifrån utredningen.",
        )

    def _order(self, decision: Decision, provider: Provider, *, accept: bool) -> Order:
        order = order_create(
            decision=decision, provider=provider, user=self._caseworker(decision.person), **HANDOVER
        )
        order = order_send(order=order, user=self._caseworker(decision.person))
        if accept:
            order = order_accept(user=self.world.staff[provider.pk], order=order)
        return order

    def _person(self, index: int) -> Person:
        return Person.objects.get(pk=self.world.persons[index].pk)

    # --- the city before the first rule -------------------------------------------------------

    @initialize(
        grants=st.lists(
            st.tuples(st.sampled_from(GRANTS), st.integers(0, 2), st.booleans()),
            min_size=len(PERSONS),
            max_size=len(PERSONS),
        )
    )
    def start_city(self, grants) -> None:
        world = self.world
        # 2017–2018: the old file, a monthly SoL decision with two sessions, under the 2012
        # guidelines; written then, with the clock standing then.
        old = self._decide(
            world.old, hours=Decimal("8"), valid_from=date(2017, 11, 1), months=5, act="SoL"
        )
        provider = world.providers[0]
        self._order(old, provider, accept=True)
        self._clock.move_to(datetime(2017, 11, 20, 10, 0))
        session_report(
            user=world.staff[provider.pk],
            provider=provider,
            person=world.old,
            start=datetime(2017, 11, 14, 18, 0),
            end=datetime(2017, 11, 14, 21, 0),
            status=SessionStatus.EXECUTED,
        )
        self._clock.move_to(datetime(2018, 2, 10, 10, 0))
        session_report(
            user=world.staff[provider.pk],
            provider=provider,
            person=world.old,
            start=datetime(2018, 2, 9, 13, 0),
            end=datetime(2018, 2, 9, 15, 0),
            status=SessionStatus.CANCELLED_BY_PERSON,
            cancelled_at=datetime(2018, 2, 9, 9, 0),
        )
        # Today: every person but the last has a flex3 decision, an accepted order with one of
        # the three providers, a session last week and one booked tomorrow. Five persons with
        # a grant are enough for open data to show the city's hours (it hides counts under 5).
        self._clock.move_to(T0)
        last_month = add_months(T0.date().replace(day=1), -1)
        for i, (hours, provider_index, from_last_month) in enumerate(grants):
            if i == len(PERSONS) - 1:
                continue
            person = self._person(i)
            decision = self._decide(
                person,
                hours=hours,
                valid_from=last_month if from_last_month else T0.date(),
                months=6,
            )
            order = self._order(decision, world.providers[provider_index], accept=True)
            staff = world.staff[order.provider_id]
            last_week = _at(T0.date() - timedelta(days=6), 13)
            session_report(
                user=staff,
                provider=order.provider,
                person=person,
                order=order,
                start=last_week,
                end=last_week + timedelta(hours=2),
                status=SessionStatus.EXECUTED,
                # Under an id a later file may re-send (with another date, say).
                external_id=f"imp-{next(self.ids)}",
            )
            tomorrow = _at(T0.date() + timedelta(days=1), 18)
            session_book(user=staff, order=order, start=tomorrow, end=tomorrow + timedelta(hours=3))

    # --- decisions ----------------------------------------------------------------------------

    @rule(
        index=st.integers(0, len(PERSONS) - 1),
        hours=st.sampled_from(GRANTS),
        starts=st.sampled_from(["last_month", "today", "in_two_weeks", "after_the_last"]),
        months=st.sampled_from([1, 3, 6, 12]),
        outcome=st.sampled_from(
            [Outcome.GRANTED, Outcome.GRANTED, Outcome.PARTLY_REJECTED, Outcome.REJECTED]
        ),
        act=st.sampled_from(["LSS", "SoL"]),
        double_staffing=st.booleans(),
    )
    def decide_a_new_application(
        self, index, hours, starts, months, outcome, act, double_staffing
    ) -> None:
        person = self._person(index)
        today = clock.today()
        last = (
            Decision.objects.filter(person=person, valid_to__isnull=False)
            .order_by("-valid_to")
            .values_list("valid_to", flat=True)
            .first()
        )
        valid_from = {
            "last_month": add_months(today.replace(day=1), -1),
            "today": today,
            "in_two_weeks": today + timedelta(days=14),
            "after_the_last": (last + timedelta(days=1)) if last else today,
        }[starts]
        self._decide(
            person,
            hours=hours,
            valid_from=valid_from,
            months=months,
            outcome=outcome,
            act=act,
            double_staffing=double_staffing,
        )

    def _decisions_in_force(self):
        return Decision.objects.filter(
            person__in=self.world.persons,
            superseded_by__isnull=True,
            outcome__in=[Outcome.GRANTED, Outcome.PARTLY_REJECTED],
            valid_from__isnull=False,
        ).order_by("pk")

    @precondition(lambda self: self._decisions_in_force().exists())
    @rule(
        data=st.data(),
        hours=st.sampled_from(GRANTS),
        outcome=st.sampled_from([Outcome.GRANTED, Outcome.GRANTED, Outcome.REJECTED]),
    )
    def reconsider_a_decision(self, data, hours, outcome) -> None:
        decision = data.draw(st.sampled_from(list(self._decisions_in_force())), label="decision")
        user = self._caseworker(decision.person)
        appeal = appeal_register(decision=decision, user=user, received_on=clock.today())
        appeal_reconsider(
            appeal=appeal,
            user=user,
            reconsidered_on=clock.today(),
            change=True,
            note="Ändrat vid omprövning.",
            outcome=outcome,
            hours_per_month=hours,
        )

    # --- orders -------------------------------------------------------------------------------

    @precondition(lambda self: self._decisions_in_force().exists())
    @rule(data=st.data(), provider_index=st.integers(0, 2), accept=st.booleans())
    def change_the_order(self, data, provider_index, accept) -> None:
        """A new order (to the same or another provider) for a decision in force: sending it
        ends the person's earlier orders; the provider may accept it now or later."""
        decision = data.draw(st.sampled_from(list(self._decisions_in_force())), label="decision")
        self._order(decision, self.world.providers[provider_index], accept=accept)

    def _sent_orders(self):
        return Order.objects.filter(status=OrderStatus.SENT).order_by("pk")

    @precondition(lambda self: self._sent_orders().exists())
    @rule(data=st.data())
    def accept_an_order(self, data) -> None:
        order = data.draw(st.sampled_from(list(self._sent_orders())), label="order")
        order_accept(user=self.world.staff[order.provider_id], order=order)

    # --- sessions -----------------------------------------------------------------------------

    def _accepted_orders(self):
        return Order.objects.filter(
            person__in=self.world.persons, status=OrderStatus.ACCEPTED
        ).order_by("pk")

    @precondition(lambda self: self._accepted_orders().exists())
    @rule(
        data=st.data(),
        days=st.integers(-6, 20),
        hour=st.sampled_from(START_HOURS),
        minutes=st.sampled_from(LENGTHS),
        escorts=st.sampled_from([1, 1, 2]),
    )
    def book_a_session(self, data, days, hour, minutes, escorts) -> None:
        order = data.draw(st.sampled_from(list(self._accepted_orders())), label="order")
        start = _at(clock.today() + timedelta(days=days), hour)
        session_book(
            user=self.world.staff[order.provider_id],
            order=order,
            start=start,
            end=start + timedelta(minutes=minutes),
            escort=self.world.escorts[order.provider_id],
            escorts=escorts,
        )

    def _booked(self, *, started: bool = False):
        qs = Session.objects.filter(status=SessionStatus.BOOKED)
        if started:
            qs = qs.filter(start__lte=clock.now())
        return qs.order_by("pk")

    @precondition(lambda self: self._booked(started=True).exists())
    @rule(data=st.data(), late_by=st.sampled_from([0, 0, 15, -15]), no_show=st.booleans())
    def report_a_booked_session_as_it_went(self, data, late_by, no_show) -> None:
        """Executed, with the times it actually ran, or a no-show."""
        session = data.draw(st.sampled_from(list(self._booked(started=True))), label="session")
        staff = self.world.staff[session.provider_id]
        if no_show:
            session_cancel(user=staff, session=session, cause="no_show", cancelled_at=clock.now())
            return
        start = min(session.start + timedelta(minutes=late_by), clock.now())
        session_report_executed(user=staff, session=session, start=start, end=session.end)

    @precondition(lambda self: self._booked().exists())
    @rule(data=st.data(), notice=st.sampled_from(NOTICE), by_provider=st.booleans())
    def cancel_a_booked_session(self, data, notice, by_provider) -> None:
        """By the person, with some hours' notice (in time or late: the engine decides), or by
        the provider."""
        session = data.draw(st.sampled_from(list(self._booked())), label="session")
        staff = self.world.staff[session.provider_id]
        if by_provider:
            session_cancel(user=staff, session=session, cause="provider", cancelled_at=clock.now())
            return
        cancelled_at = min(session.start - timedelta(hours=notice), clock.now())
        session_cancel(user=staff, session=session, cause="person", cancelled_at=cancelled_at)

    @rule(
        index=st.integers(0, len(PERSONS) - 1),
        provider_index=st.integers(0, 2),
        days=st.integers(0, 45),
        hour=st.sampled_from(START_HOURS),
        minutes=st.sampled_from(LENGTHS),
        status=st.sampled_from(
            [
                SessionStatus.EXECUTED,
                SessionStatus.EXECUTED,
                SessionStatus.NO_SHOW,
                SessionStatus.CANCELLED_BY_PERSON,
                SessionStatus.CANCELLED_BY_PROVIDER,
            ]
        ),
        notice=st.sampled_from(NOTICE),
        escorts=st.sampled_from([1, 1, 2]),
    )
    def report_a_session_afterwards(
        self, index, provider_index, days, hour, minutes, status, notice, escorts
    ) -> None:
        """A report without a booking, days after the fact (maybe after the reporting deadline,
        maybe by a provider without an order, maybe outside every decision)."""
        person = self._person(index)
        provider = self.world.providers[provider_index]
        start = _started(_at(clock.today() - timedelta(days=days), hour))
        session_report(
            user=self.world.staff[provider.pk],
            provider=provider,
            person=person,
            start=start,
            end=start + timedelta(minutes=minutes),
            status=status,
            escorts=escorts,
            cancelled_at=(
                start - timedelta(hours=notice)
                if status == SessionStatus.CANCELLED_BY_PERSON
                else None
            ),
        )

    def _reported(self):
        return Session.objects.filter(
            person__in=self.world.persons, status=SessionStatus.EXECUTED
        ).order_by("pk")

    @precondition(lambda self: self._reported().exists())
    @rule(data=st.data(), shift=st.sampled_from([30, 60, -30]), same_provider=st.booleans())
    def report_an_overlapping_session(self, data, shift, same_provider) -> None:
        """A second report that overlaps one already reported for the same person."""
        other = data.draw(st.sampled_from(list(self._reported())), label="session")
        provider = (
            other.provider
            if same_provider
            else next(p for p in self.world.providers if p.pk != other.provider_id)
        )
        start = _started(other.start + timedelta(minutes=shift))
        session_report(
            user=self.world.staff[provider.pk],
            provider=provider,
            person=other.person,
            start=start,
            end=start + timedelta(minutes=90),
            status=SessionStatus.EXECUTED,
        )

    @precondition(lambda self: self._reported().exists())
    @rule(data=st.data())
    def report_a_session_twice(self, data) -> None:
        """The same visit reported again under another external id: a duplicate."""
        other = data.draw(st.sampled_from(list(self._reported())), label="session")
        session_report(
            user=self.world.staff[other.provider_id],
            provider=other.provider,
            person=other.person,
            start=other.start,
            end=other.end,
            status=SessionStatus.EXECUTED,
            escorts=other.escorts,
            external_id=f"again-{next(self.ids)}",
        )

    @rule(
        data=st.data(),
        provider_index=st.integers(0, 2),
        rows=st.lists(
            st.tuples(
                st.integers(0, 30),
                st.sampled_from(START_HOURS),
                st.sampled_from(LENGTHS),
                st.sampled_from(
                    [
                        SessionStatus.EXECUTED,
                        SessionStatus.EXECUTED,
                        SessionStatus.NO_SHOW,
                        SessionStatus.CANCELLED_BY_PERSON,
                    ]
                ),
                st.booleans(),
            ),
            min_size=1,
            max_size=3,
        ),
    )
    def import_a_small_file(self, data, provider_index, rows) -> None:
        """A bulk import of a few rows for the persons the provider has orders for; a row may
        re-send an external id the provider used before (an update, or nothing new)."""
        provider = self.world.providers[provider_index]
        persons = list(
            Person.objects.filter(
                pk__in=Order.objects.filter(provider=provider, person__in=self.world.persons)
                .exclude(status=OrderStatus.DRAFT)
                .values("person_id")
            ).order_by("pk")
        )
        if not persons:
            return
        earlier = sorted(
            Session.objects.filter(provider=provider, external_id__startswith="imp-")
            .values_list("external_id", flat=True)
            .distinct()
        )
        used: set[str] = set()
        file = []
        for days, hour, minutes, status, resend in rows:
            person = data.draw(st.sampled_from(persons), label="person")
            start = _started(_at(clock.today() - timedelta(days=days), hour))
            external_id = f"imp-{next(self.ids)}"
            if resend and earlier:
                external_id = data.draw(st.sampled_from(earlier), label="resent id")
                # An external id names one person's session: re-sent for that person only.
                person = Session.objects.get(provider=provider, external_id=external_id).person
            if external_id in used:
                continue
            used.add(external_id)
            file.append(
                {
                    "external_id": external_id,
                    "personnummer": person.personnummer,
                    "start": f"{start:%Y-%m-%dT%H:%M}",
                    "end": f"{start + timedelta(minutes=minutes):%Y-%m-%dT%H:%M}",
                    "status": status,
                    "cancelled_at": (
                        f"{start - timedelta(hours=25):%Y-%m-%dT%H:%M}"
                        if status == SessionStatus.CANCELLED_BY_PERSON
                        else ""
                    ),
                    "escorts": 1,
                }
            )
        sessions_import(user=self.world.staff[provider.pk], provider=provider, rows=file)

    def _resendable(self):
        return Session.objects.filter(
            person__in=self.world.persons, external_id__startswith="imp-"
        ).order_by("pk")

    @precondition(lambda self: self._resendable().exists())
    @rule(data=st.data(), to=st.sampled_from(["month_before", "month_after", "week_before"]))
    def resend_a_row_with_another_date(self, data, to) -> None:
        """The provider corrects a report it sent before (same external id): it took place in
        the month before or after (maybe one already paid), or a week earlier."""
        session = data.draw(st.sampled_from(list(self._resendable())), label="session")
        first = session.start.date().replace(day=1)
        day = {
            "month_before": first - timedelta(days=1),
            "month_after": add_months(first, 1),
            "week_before": session.start.date() - timedelta(days=7),
        }[to]
        start = _started(datetime.combine(day, session.start.time()))
        if start > clock.now():  # next month has not come yet
            start = session.start - timedelta(days=7)
        if (
            PaymentRun.objects.filter(
                provider_id=session.provider_id,
                month=first,
                status=RunStatus.CLOSED,
            ).exists()
            and start.date().replace(day=1) != first
        ):
            self.reached.add("a paid session moved to another month")
        sessions_import(
            user=self.world.staff[session.provider_id],
            provider=session.provider,
            rows=[
                {
                    "external_id": session.external_id,
                    "personnummer": session.person.personnummer,
                    "start": f"{start:%Y-%m-%dT%H:%M}",
                    "end": f"{start + (session.end - session.start):%Y-%m-%dT%H:%M}",
                    "status": SessionStatus.EXECUTED,
                    "escorts": session.escorts,
                }
            ],
        )

    def _pending_review(self):
        return Session.objects.filter(review_status=ReviewStatus.PENDING).order_by("pk")

    @precondition(lambda self: self._pending_review().exists())
    @rule(data=st.data(), approve=st.booleans())
    def review_an_excess(self, data, approve) -> None:
        session = data.draw(st.sampled_from(list(self._pending_review())), label="session")
        session_review(
            session=session,
            user=self._caseworker(session.person),
            approve=approve,
            reason="Bedömt mot genomförandeplanen.",
        )

    # --- money --------------------------------------------------------------------------------

    @rule(
        data=st.data(),
        index=st.integers(0, len(PERSONS) - 1),
        amount=st.sampled_from(AMOUNTS),
        days=st.sampled_from([0, 10, 40]),
        by_person=st.booleans(),
        for_activity=st.booleans(),
    )
    def claim_an_expense(self, data, index, amount, days, by_person, for_activity) -> None:
        person = self._person(index)
        activities = list(
            CostlyActivityApplication.objects.filter(person=person)
            .exclude(status=ClaimStatus.REJECTED)
            .order_by("pk")
        )
        activity = (
            data.draw(st.sampled_from(activities), label="activity")
            if for_activity and activities
            else None
        )
        provider = None
        if not by_person:
            provider = data.draw(st.sampled_from(self.world.providers), label="provider")
        expense_claim_create(
            user=self.world.logins[person.pk] if by_person else self.world.staff[provider.pk],
            provider=provider,
            person=person,
            date=activity.date if activity else clock.today() - timedelta(days=days),
            amount_sek=amount,
            description="Entré för ledsagaren",
            receipt=png_upload(),
            costly_activity=activity,
        )

    def _undecided_claims(self):
        return ExpenseClaim.objects.filter(
            status__in=[ClaimStatus.SUBMITTED, ClaimStatus.PENDING]
        ).order_by("pk")

    @precondition(lambda self: self._undecided_claims().exists())
    @rule(data=st.data(), approve=st.booleans())
    def decide_an_expense_claim(self, data, approve) -> None:
        claim = data.draw(st.sampled_from(list(self._undecided_claims())), label="claim")
        expense_claim_decide(
            claim=claim,
            user=self._caseworker(claim.person),
            approve=approve,
            note="" if approve else "Kvittot gäller inte ledsagarens kostnad.",
        )

    @rule(index=st.integers(0, len(PERSONS) - 1), days=st.integers(0, 30))
    def apply_for_a_costly_activity(self, index, days) -> None:
        person = self._person(index)
        costly_activity_apply(
            user=self.world.logins[person.pk],
            person=person,
            activity="Konsert i Göteborg",
            date=clock.today() + timedelta(days=days),
            estimated_cost_sek=Decimal("1800.00"),
        )

    def _undecided_activities(self):
        return CostlyActivityApplication.objects.filter(status=ClaimStatus.SUBMITTED).order_by("pk")

    @precondition(lambda self: self._undecided_activities().exists())
    @rule(data=st.data(), approve=st.booleans(), amount=st.sampled_from(AMOUNTS))
    def decide_a_costly_activity(self, data, approve, amount) -> None:
        application = data.draw(
            st.sampled_from(list(self._undecided_activities())), label="application"
        )
        left = costly_ceiling_left(application=application)
        if left is not None and amount > left:
            approve = False  # the yearly ceiling is spent: the caseworker can only refuse
        costly_activity_decide(
            application=application,
            user=self._caseworker(application.person),
            approve=approve,
            approved_amount_sek=amount if approve else None,
            note="" if approve else "Ryms inte inom årets tak.",
        )

    # --- payment ------------------------------------------------------------------------------

    def _closable_runs(self):
        # Every open run is current: the invariant rebuilt each one a write touched.
        first = clock.today().replace(day=1)
        return PaymentRun.objects.filter(status=RunStatus.OPEN, month__lt=first).order_by("pk")

    @precondition(lambda self: self._closable_runs().exists())
    @rule()
    def close_last_months_payment_runs(self) -> None:
        """The month is paid: from now on a change to it is an adjustment in a later run."""
        for run in self._closable_runs():
            payment_run_close(user=self.world.admin, run=run)

    @rule(close=st.booleans())
    def a_month_passes(self, close) -> None:
        """A month goes by (periods end, last month's reports become late), and the month
        before is paid and closed, or not yet."""
        self._clock.shift(timedelta(days=31))
        if close:
            self.close_last_months_payment_runs()

    # --- culling and the clock ----------------------------------------------------------------

    def _due_for_culling(self) -> list[int]:
        return sorted(c.person_id for c in culling_candidates(today=clock.today()))

    @precondition(lambda self: bool(self._due_for_culling()))
    @rule(data=st.data())
    def cull_a_file_that_is_due(self, data) -> None:
        person_id = data.draw(st.sampled_from(self._due_for_culling()), label="person")
        person_cull(person=Person.objects.get(pk=person_id), approved_by=self.world.admin)

    @rule(days=st.sampled_from([1, 3, 7]))
    def time_passes(self, days) -> None:
        """Days go by: booked sessions can be reported, cancellations come later."""
        self._clock.shift(timedelta(days=days))

    # --- the invariant ------------------------------------------------------------------------

    @invariant()
    def every_reader_shows_what_calc_says(self) -> None:
        world = self.world
        today = clock.today()
        persons = list(Person.objects.filter(pk__in=[p.pk for p in world.everyone]).order_by("pk"))
        sessions = list(
            Session.objects.filter(person__in=persons)
            .select_related("person")
            .order_by("start", "id")
        )
        by_person: dict[int, list[Session]] = defaultdict(list)
        for s in sessions:
            by_person[s.person_id].append(s)
        figures = []
        expected: dict[int, Decimal] = {}
        for person in persons:
            f = engine_figures(person, today)
            check_stored_sessions(f, by_person[person.pk])
            check_person_page(f, caseworker=world.caseworkers[person.district_id], on=today)
            check_mina_sidor(f, user=world.logins[person.pk], on=today)
            for s in by_person[person.pk]:
                expected[s.pk] = expected_payable(s, f.sessions.get(s.pk))
            figures.append(f)

        check_provider_views(staff_by_provider=world.staff, expected=expected)
        keys = payment_keys(sessions)
        touched = {k for k in keys.keys() | self.paid.keys() if keys.get(k) != self.paid.get(k)}
        check_payment_runs(
            user=world.admin,
            providers={p.pk: p for p in world.providers},
            months=touched,
            expected=expected,
            today=today,
        )
        self.paid = keys

        check_rollup(figures)
        totals = district_months(figures)
        check_dashboards(districts=world.districts, totals=totals, on=today)
        self.open_data_cells += check_open_data(districts=world.districts, totals=totals)
        # What the sequence reached (printed at the end of the test).
        for s in sessions:
            self.reached.add(f"session {s.status}")
            self.reached.update(f"flag {flag}" for flag in s.flags)
        self.reached.update(
            f"claim {status}"
            for status in ExpenseClaim.objects.values_list("status", flat=True).distinct()
        )
        if any(p.culled_at for p in persons):
            self.reached.add("a file culled")
        if self.open_data_cells:
            self.reached.add("open data compared")
        if touched:
            self.reached.add("payment runs built")
        if PaymentRun.objects.filter(status=RunStatus.CLOSED).exists():
            self.reached.add("payment run closed")
        if PaymentLine.objects.filter(kind=LineKind.ADJUSTMENT).exists():
            self.reached.add("payment adjustment")
        if Decision.objects.filter(superseded_by__isnull=False).exists():
            self.reached.add("decision reconsidered")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_page_file_and_report_shows_what_calc_says_after_any_sequence_of_writes():
    with time_machine.travel(T0, tick=False):
        world = build_world()
    LedgerMachine.world = world
    LedgerMachine.coverage = Counter()
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            **PROFILE,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    print("examples reaching each state:", dict(sorted(LedgerMachine.coverage.items())))


# --- sequences the state machine can write, pinned -------------------------------------------
#
# A provider re-sends a report with another date (same external id): the session moves between
# months, and one of them is already paid and closed. What the payment file books for the
# session over all runs must still be what the provider reads as payable, once.


def _resend(world, start: str) -> Session:
    provider, person = world["provider"], world["person"]
    sessions_import(
        user=world["staff"],
        provider=provider,
        rows=[
            {
                "external_id": "x1",
                "personnummer": person.personnummer,
                "start": start,
                "end": start[:11] + "12:00",
                "status": SessionStatus.EXECUTED,
            }
        ],
    )
    return Session.objects.get(provider=provider, external_id="x1")


def _booked_for(session: Session) -> Decimal:
    lines = PaymentLine.objects.filter(session=session, excluded=False)
    return sum((line.amount_sek for line in lines), Decimal("0.00"))


@pytest.fixture
def one_order():
    fast_reference_data()
    with time_machine.travel(datetime(2024, 10, 20, 10, 0), tick=False) as traveller:
        provider = ProviderFactory(regi="private")
        person = PersonFactory()
        caseworker = make_user(Role.CASEWORKER, district=person.district)
        application = application_create(
            person=person,
            user=caseworker,
            received_on=date(2024, 8, 20),
            kind="open",
            requested_act="LSS",
            requested_hours_per_month=Decimal("20"),
        )
        decision = decision_create(
            application=application,
            user=caseworker,
            decided_on=date(2024, 8, 20),
            outcome=Outcome.GRANTED,
            legal_basis=legal_bases_on(date(2024, 8, 20)).filter(act="LSS").first(),
            hours_per_month=Decimal("20"),
            double_staffing=False,
            valid_from=date(2024, 9, 1),
            valid_to=date(2025, 6, 30),
            reasons="Behov av ledsagning.",
            rejected_parts=[],
            deviation_reason="Bedömt utifrån utredningen.",
        )
        staff = make_user(Role.PROVIDER_STAFF, provider=provider)
        order = order_send(
            order=order_create(decision=decision, provider=provider, user=caseworker, **HANDOVER),
            user=caseworker,
        )
        order_accept(user=staff, order=order)
        yield {
            "clock": traveller,
            "provider": provider,
            "person": person,
            "staff": staff,
            "admin": make_user(Role.ADMINISTRATOR),
        }


def test_a_paid_session_resent_with_a_date_in_a_later_month_is_paid_once(one_order):
    w = one_order
    session = _resend(w, "2024-10-10T10:00")  # a Thursday: 868 kr
    october = payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 10, 1))
    assert october.total_sek == Decimal("868.00")
    w["clock"].move_to(datetime(2024, 11, 3, 10, 0))
    payment_run_close(user=w["admin"], run=october)

    session = _resend(w, "2024-11-02T10:00")  # a Saturday: 1,000 kr
    november = payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 11, 1))

    # Before: November paid the session's 1,000 kr again beside October's 868 kr (1,868 kr).
    assert session_due(session).amount == Decimal("1000.00")
    assert _booked_for(session) == Decimal("1000.00")
    assert november.total_sek == Decimal("132.00")  # 1,000 kr less the 868 kr paid in October


def test_a_session_resent_into_a_closed_month_is_paid_once_whichever_run_is_built_first(
    one_order,
):
    w = one_order
    october = payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 10, 1))
    w["clock"].move_to(datetime(2024, 11, 3, 10, 0))
    payment_run_close(user=w["admin"], run=october)
    session = _resend(w, "2024-11-02T10:00")
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 11, 1))

    w["clock"].move_to(datetime(2024, 12, 2, 10, 0))
    # It took place in October after all, says the provider, past October's reporting
    # deadline: the session is held back (late_report) and owed nothing.
    session = _resend(w, "2024-10-10T10:00")
    # December's run, with its adjustments for October, is built before November's is
    # refreshed: November's line of the session is about to go and is not a payment to adjust.
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 12, 1))
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 11, 1))

    # Before: December took November's 1,000 kr line for a payment and booked -1,000 kr.
    assert session_due(session).reasons == ["late_report"]
    assert session_due(session).amount == Decimal("0.00")
    assert _booked_for(session) == Decimal("0.00")


def test_a_run_refreshed_after_a_later_run_adjusted_its_session_is_not_blocked(one_order):
    w = one_order
    october = payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 10, 1))
    w["clock"].move_to(datetime(2024, 11, 3, 10, 0))
    payment_run_close(user=w["admin"], run=october)
    _resend(w, "2024-11-02T10:00")
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 11, 1))

    w["clock"].move_to(datetime(2024, 11, 4, 10, 0))
    session = _resend(w, "2024-10-10T10:00")  # October after all, within its deadline
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 12, 1))  # early
    # Before: December's adjustment pointed at November's line, so refreshing November failed
    # (ProtectedError: the line it deletes is referenced).
    payment_run_build(user=w["admin"], provider=w["provider"], month=date(2024, 11, 1))

    assert session_due(session).amount == Decimal("868.00")
    assert _booked_for(session) == Decimal("868.00")
    (adjustment,) = PaymentLine.objects.filter(session=session, kind=LineKind.ADJUSTMENT)
    assert (adjustment.run.month, adjustment.adjusts) == (date(2024, 12, 1), None)
