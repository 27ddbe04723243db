from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_fit_cache():
    """The fitted population is cached; rolled-back test data can reuse ids on SQLite, so each
    test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
