"""What a `folja` command changes is recorded as whoever ran it: the operating-system user, or
the Följa user named with `--as`, never "system"."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from folja.accounts.models import Role
from folja.audit.models import AuditEvent
from folja.audit.services import audit_record
from folja.providers.models import ApiToken
from folja.testing.factories import ProviderFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _os_user():
    with mock.patch("folja.audit.services.getpass.getuser", return_value="driftansvarig"):
        yield


def _token_create(*args: str) -> AuditEvent:
    provider = ProviderFactory()
    call_command(
        "token",
        *args,
        "create",
        f"--provider={provider.pk}",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return AuditEvent.objects.get(action="api_token.create")


def test_a_command_records_the_operating_system_user_not_system():
    event = _token_create()
    assert event.username == "cli:driftansvarig"
    assert event.user is None
    assert event.details["cli_os_user"] == "driftansvarig"


def test_a_command_run_as_a_folja_user_records_that_user_and_who_ran_it():
    admin = make_user(Role.ADMINISTRATOR)
    event = _token_create("--as", admin.username)
    assert event.user == admin and event.username == admin.username
    assert event.details["cli_os_user"] == "driftansvarig"


def test_a_command_run_as_an_unknown_user_is_refused_before_it_writes():
    with pytest.raises(CommandError, match="as, unknown_user"):
        _token_create("--as", "finns-inte")
    assert not ApiToken.objects.exists() and not AuditEvent.objects.exists()


def test_a_revocation_and_a_rollup_rebuild_are_recorded_as_the_operating_system_user():
    _token_create()
    call_command("token", "revoke", f"--id={ApiToken.objects.get().pk}", stdout=io.StringIO())
    call_command("rollup", "rebuild", stdout=io.StringIO())
    events = AuditEvent.objects.filter(action__in=["api_token.revoke", "followup.rollup_rebuild"])
    assert events.count() == 2
    assert {e.username for e in events} == {"cli:driftansvarig"}


def test_a_write_outside_any_command_is_still_the_system():
    # The background worker and the like: no one ran a command.
    event = audit_record(user=None, action="test.write", obj=ProviderFactory())
    assert event.username == "system" and "cli_os_user" not in event.details
