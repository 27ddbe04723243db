"""A small world for the recalculation job: the city's reference data, the clock frozen on
1 March 2027, and a person whose February 2027 cancellation a new guideline version from
1 February 2027 turns from in time into late."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from folja.followup.services import rollup_refresh
from folja.ledger.bridge import verify_sessions_bulk
from folja.testing.factories import (
    DecisionFactory,
    OrderFactory,
    SessionFactory,
    reference_data,
)

TODAY = datetime(2027, 3, 1, 10, 0)
CHANGE_DAY = date(2027, 2, 1)


def verified(person_id: int) -> None:
    """The person's figures as every write leaves them: sessions verified, roll-up current."""
    verify_sessions_bulk([person_id])
    rollup_refresh(person_ids=[person_id])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ref(db) -> None:
    reference_data()


@pytest.fixture
def cancellation(ref, frozen):
    """A session on 10 February 2027, cancelled 30 hours before it starts: in time under the
    reference data's 24-hour cut-off, late under 48 hours."""
    decision = DecisionFactory(
        valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31), decided_on=date(2025, 12, 10)
    )
    order = OrderFactory(decision=decision)
    session = SessionFactory(
        order=order,
        start=datetime(2027, 2, 10, 18, 0),
        end=datetime(2027, 2, 10, 21, 30),
        status="cancelled_by_person",
        cancelled_at=datetime(2027, 2, 9, 12, 0),
        reported_at=datetime(2027, 2, 9, 12, 0),
    )
    verified(session.person_id)
    session.refresh_from_db()
    assert session.charged_minutes == 0
    return session


@pytest.fixture
def bystander(ref, frozen):
    """A person whose figures all lie before the change: never part of its recalculation."""
    decision = DecisionFactory(
        valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31), decided_on=date(2024, 12, 10)
    )
    session = SessionFactory(
        order=OrderFactory(decision=decision),
        start=datetime(2025, 5, 10, 18, 0),
        end=datetime(2025, 5, 10, 20, 0),
        reported_at=datetime(2025, 5, 10, 21, 0),
    )
    verified(session.person_id)
    return session.person
