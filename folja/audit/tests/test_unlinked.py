"""While the demo seed replays history, audit records name their user by username only."""

from __future__ import annotations

import pytest

from folja.accounts.models import Role
from folja.audit.services import audit_record, users_unlinked
from folja.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_record_written_inside_users_unlinked_keeps_the_username_but_no_link_to_the_user():
    user = make_user(Role.ANALYST)
    with users_unlinked():
        seeded = audit_record(user=user, action="test", obj=user)
    linked = audit_record(user=user, action="test", obj=user)
    assert (seeded.user_id, seeded.username, seeded.details) == (
        None,
        user.username,
        {"seeded": True},
    )
    assert (linked.user_id, linked.username, linked.details) == (user.pk, user.username, {})
