"""Data for the follow-up tests: a small hand-made city whose every measure is worked out by
hand in `SMALL_CITY_ANSWERS` (see the comments), and helpers for bulk synthetic rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from folja.ledger.changed import person_figures_changed
from folja.testing.factories import (
    ApplicationFactory,
    DecisionFactory,
    DistrictFactory,
    ExpenseClaimFactory,
    FeedbackFactory,
    OrderFactory,
    PersonFactory,
    ProviderFactory,
    SessionFactory,
    legal_basis,
)


def _session(order, start: datetime, minutes: int, status: str = "executed", cancelled_at=None):
    from datetime import timedelta

    return SessionFactory(
        order=order,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        cancelled_at=cancelled_at,
    )


def build_small_city() -> dict:
    """Four persons in two districts in 2024 (answers in SMALL_CITY_ANSWERS):

    P1 (woman, 43, Norrby): LSS flex3 10 h/month 1 Jan–31 Mar → 600 min granted each month.
       Jan: two executed sessions of 360 min (720 > 600: used flexibly). Feb: executed 180 min;
       a 120-min session cancelled three days ahead (in time, not charged). Mar: a 60-min
       session cancelled two hours ahead (late, charged 60); one cancelled by the provider.
       Charged 960 of 1800 → 840 min lapse at the end of March. An approved expense of 250 kr
       (and a submitted one of 100 kr that does not count).
    P2 (man, 73, Söderby): SoL monthly 5 h/month 16 Jan–29 Feb → Jan round(300×16/31)=155,
       Feb 300. Jan executed 60 (95 lapse); Feb a 90-min no-show (charged; 210 lapse).
       One complaint in February.
    P3 (girl, 13, Norrby): application 5 Jan 2024, rejected.
    P4 (woman, 43, Norrby): LSS flex3 partly rejected, 4 of 8 h, 1 Apr–30 Jun: 720 granted,
       nothing used, 720 lapse at the end of June.
    """
    north = DistrictFactory(code="NOR", name="Norrby")
    south = DistrictFactory(code="SOD", name="Söderby")
    provider = ProviderFactory(name="Ledsagning Test AB")
    lss = legal_basis("LSS", date(2024, 1, 1))
    sol = legal_basis("SoL", date(2024, 1, 1))

    p1 = PersonFactory(district=north, sex="female", birth_date=date(1980, 5, 17))
    p2 = PersonFactory(district=south, sex="male", birth_date=date(1950, 3, 3))
    p3 = PersonFactory(district=north, sex="female", birth_date=date(2010, 8, 1))
    p4 = PersonFactory(district=north, sex="female", birth_date=date(1980, 9, 9))

    ApplicationFactory(person=p1, received_on=date(2023, 12, 10))
    ApplicationFactory(person=p3, received_on=date(2024, 1, 5))

    d1 = DecisionFactory(
        person=p1,
        decided_on=date(2024, 1, 2),
        legal_basis=lss,
        hours_per_month=Decimal("10"),
        model="flex3",
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 3, 31),
    )
    d2 = DecisionFactory(
        person=p2,
        decided_on=date(2024, 1, 10),
        legal_basis=sol,
        hours_per_month=Decimal("5"),
        model="monthly",
        valid_from=date(2024, 1, 16),
        valid_to=date(2024, 2, 29),
    )
    DecisionFactory(
        person=p3,
        decided_on=date(2024, 1, 20),
        legal_basis=lss,
        outcome="rejected",
        hours_per_month=None,
        valid_from=None,
        valid_to=None,
        model="flex3",
    )
    DecisionFactory(
        person=p4,
        decided_on=date(2024, 3, 20),
        legal_basis=lss,
        outcome="partly_rejected",
        requested_hours_per_month=Decimal("8"),
        hours_per_month=Decimal("4"),
        model="flex3",
        valid_from=date(2024, 4, 1),
        valid_to=date(2024, 6, 30),
    )
    o1 = OrderFactory(decision=d1, provider=provider)
    o2 = OrderFactory(decision=d2, provider=provider)
    _session(o1, datetime(2024, 1, 13, 10, 0), 360)
    _session(o1, datetime(2024, 1, 20, 10, 0), 360)
    _session(o1, datetime(2024, 2, 10, 10, 0), 180)
    _session(
        o1,
        datetime(2024, 2, 24, 10, 0),
        120,
        status="cancelled_by_person",
        cancelled_at=datetime(2024, 2, 21, 9, 0),
    )
    _session(
        o1,
        datetime(2024, 3, 9, 12, 0),
        60,
        status="cancelled_by_person",
        cancelled_at=datetime(2024, 3, 9, 10, 0),
    )
    _session(o1, datetime(2024, 3, 16, 12, 0), 60, status="cancelled_by_provider")
    _session(o2, datetime(2024, 1, 20, 14, 0), 60)
    _session(o2, datetime(2024, 2, 3, 14, 0), 90, status="no_show")
    ExpenseClaimFactory(
        person=p1,
        provider=provider,
        date=date(2024, 2, 10),
        amount_sek=Decimal("250.00"),
        status="approved",
    )
    ExpenseClaimFactory(person=p1, date=date(2024, 2, 11), amount_sek=Decimal("100.00"))
    FeedbackFactory(person=p2, kind="complaint", created_at=datetime(2024, 2, 5, 9, 0))
    persons = [p1, p2, p3, p4]
    person_figures_changed(person_ids=[p.pk for p in persons])
    return {"north": north, "south": south, "provider": provider, "persons": persons}


# Worked out by hand from the docstring of build_small_city, for the year 2024.
SMALL_CITY_ANSWERS = {
    "persons": 3,  # P1, P2, P4 (P3 was rejected)
    "applications": 1,  # P3's; P1's was received in 2023
    "decisions": 4,
    "rejected_or_partly": 2,
    "rejection_share": Decimal("0.500"),
    # granted hours of the non-rejected decisions: 4, 5, 10
    "hours_per_decision": {"q1": Decimal("4.50"), "median": Decimal("5.00"), "q3": Decimal("7.50")},
    "granted_minutes": 1800 + 155 + 300 + 720,
    "executed_minutes": 720 + 180 + 60,
    "execution_rate": Decimal("0.3227"),  # 960 / 2975
    "lapsed_minutes": 840 + 95 + 210 + 720,
    "flexible_share": Decimal("0.500"),  # P1 of P1 and P4
    "cancellations": {
        "cancelled_in_time": 1,
        "cancelled_late": 1,
        "no_shows": 1,
        "cancelled_by_provider": 1,
    },
    "expenses_sek": Decimal("250.00"),
    "feedback_count": 1,
    "complaint_count": 1,
}
