"""`folja stats --json` and `folja demo-logins`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from folja.accounts.models import Role
from folja.cases.models import Decision
from folja.core.tests.test_seed_helpers import TODAY
from folja.delivery.models import Session
from folja.people.models import District, Person
from folja.providers.models import Escort, Order, Provider


@pytest.fixture
def seeded(db):
    # Seeded inside the test's transaction, so nothing leaks into other test files.
    call_command("seed", scale="demo", seed_value=4, today=TODAY, quiet=True)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Runs first (file order), before the module's seeded fixture exists.
@pytest.mark.django_db
def test_stats_on_an_empty_database_are_zeros():
    assert set(json.loads(run("stats", "--json")).values()) == {0}


@pytest.mark.django_db
def test_stats_json_counts_every_kind_of_row(seeded):
    stats = json.loads(run("stats", "--json"))
    assert stats == {
        "districts": District.objects.count(),
        "persons": Person._base_manager.count(),
        "decisions": Decision._base_manager.count(),
        "orders": Order._base_manager.count(),
        "sessions": Session._base_manager.count(),
        "providers": Provider.objects.count(),
        "escorts": Escort._base_manager.count(),
    }
    assert stats["districts"] == 3
    assert 55 <= stats["persons"] <= 65
    assert stats["sessions"] > 1000


@pytest.mark.django_db
def test_demo_logins_lists_every_role_with_its_district_or_provider(seeded):
    logins = json.loads(run("demo_logins"))
    assert {row["role"] for row in logins} == set(Role.values)
    by_name = {row["username"]: row for row in logins}
    assert by_name["handlaggare"]["district"] == "Enskede-Årsta-Vantör"
    assert by_name["handlaggare2"]["district"] != "Enskede-Årsta-Vantör"
    assert by_name["utforare"]["provider"] == by_name["utforare-admin"]["provider"]
    assert by_name["utforare2"]["provider"] != by_name["utforare"]["provider"]


@pytest.mark.django_db
def test_demo_logins_table_is_readable(seeded):
    table = run("demo_logins", "--table")
    assert "handlaggare" in table and "Enskede-Årsta-Vantör" in table
    assert "{" not in table
