from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.testing.factories import DistrictFactory, make_user, reference_data
from folja.testing.factories_simulation import population_with_history


@pytest.fixture(autouse=True)
def _fresh_fit_cache():
    """The fitted population is cached; rolled-back test data can reuse ids on SQLite, so each
    test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district():
    """A district with twelve persons and their history (the engine's and the pilot's tests)."""
    reference_data()
    d = DistrictFactory(name="Skärholmen", code="SKH")
    population_with_history(district=d, persons=12)
    return d


@pytest.fixture
def analyst():
    return make_user(Role.ANALYST, username="analytiker")
