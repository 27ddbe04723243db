from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.testing.factories import DistrictFactory, ProviderFactory, make_user


@pytest.fixture
def city():
    a, b = DistrictFactory(name="Stadsdel A"), DistrictFactory(name="Stadsdel B")
    p, q = ProviderFactory(name="Utförare P"), ProviderFactory(name="Utförare Q")
    return {
        "a": a,
        "b": b,
        "cw_a": make_user(Role.CASEWORKER, district=a),
        "cw_b": make_user(Role.CASEWORKER, district=b),
        "prov_p": make_user(Role.PROVIDER_STAFF, provider=p),
        "prov_q": make_user(Role.PROVIDER_STAFF, provider=q),
        "analyst": make_user(Role.ANALYST),
    }
