"""The demo accounts as `folja demo-logins` lists them."""

from __future__ import annotations

from folja.accounts.models import User
from folja.core.seed.demo import DEMO_USERNAMES


def demo_logins() -> list[dict[str, str]]:
    users = {
        u.username: u
        for u in User.objects.filter(is_demo=True, username__in=DEMO_USERNAMES).select_related(
            "district", "provider"
        )
    }
    rows = []
    for username in DEMO_USERNAMES:  # a fixed, readable order: the order of DEMO_ACCOUNTS
        user = users.get(username)
        if user is None:
            continue
        row = {"role": user.role, "username": user.username}
        if user.district_id:
            row["district"] = user.district.name
        if user.provider_id:
            row["provider"] = user.provider.name
        rows.append(row)
    return rows
