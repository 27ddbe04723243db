"""Named users and data for casework tests: a district with its caseworker and unit manager,
and another district's caseworker who must see none of it."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from folja.accounts.models import Role
from folja.testing.factories import DistrictFactory, PersonFactory, make_user, reference_data

TODAY = datetime(2024, 6, 14, 10, 0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data once per run: rolled-back tests keep it; transactional (browser) tests
    # flush it, so `ref` reloads it when it is gone.
    with django_db_blocker.unblock():
        reference_data()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # Every named user gets the password "demo"; PBKDF2's deliberate slowness buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    # The dashboard caches its figures per district and day; tests start from nothing.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ref(db) -> None:
    from folja.guidelines.models import LegalBasis

    if not LegalBasis.objects.exists():
        reference_data()


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def district(db):
    return DistrictFactory(name="Farsta")


@pytest.fixture
def other_district(db):
    return DistrictFactory(name="Bromma")


@pytest.fixture
def caseworker(district):
    return make_user(
        Role.CASEWORKER,
        district=district,
        username="handlaggare",
        first_name="Hanna",
        last_name="Handläggare",
        email="hanna@example.se",
        phone="08-508 000 00",
    )


@pytest.fixture
def manager(district):
    return make_user(Role.UNIT_MANAGER, district=district, username="enhetschef")


@pytest.fixture
def other_caseworker(other_district):
    return make_user(Role.CASEWORKER, district=other_district, username="annan")


@pytest.fixture
def person(district):
    return PersonFactory(district=district, first_name="Astrid", last_name="Lund")
