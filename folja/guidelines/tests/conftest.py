"""Guideline tests: the clock frozen on 1 March 2027, the city's reference data (versions from
2012 and 2018, rates 2016–2027), and an administrator logged in to the Django admin."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from folja.accounts.models import Role
from folja.testing.factories import DecisionFactory, make_user, reference_data

TODAY = datetime(2027, 3, 1, 10, 0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ref(db) -> None:
    reference_data()


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR, username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def decision(ref):
    """A person with a decision in force through 2027: anyone's change from 2027 touches them."""
    return DecisionFactory(
        valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31), decided_on=date(2025, 12, 10)
    )
