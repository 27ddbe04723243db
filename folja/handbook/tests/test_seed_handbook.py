"""The demo seed fills the activity handbook: the report's grey zones and ordinary activities,
every ruling marked as illustrative wording, and the demo person's application names some."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from folja.accounts.models import User
from folja.core.tests.test_seed_helpers import TODAY
from folja.handbook.models import Activity, ApplicationActivity, Ruling, RulingKind

pytestmark = pytest.mark.django_db


def test_the_demo_seed_holds_the_grey_zones_and_ordinary_activities_as_example_text():
    call_command("seed", scale="demo", today=TODAY, quiet=True, seed_value=3)
    codes = set(Activity.objects.values_list("code", flat=True))
    grey = {"resa-utomlands", "langre-resa", "sitta-med", "elittraning", "lakarbesok"}
    assert grey | {"kultur", "idrott", "foreningsmote", "inkop", "besok-vanner"} <= codes
    assert set(Activity.objects.filter(grey_zone=True).values_list("code", flat=True)) == grey
    assert not Ruling.objects.filter(illustrative=False).exists()
    assert set(Ruling.objects.values_list("kind", flat=True)) == set(RulingKind.values)
    person = User.objects.get(username="brukare").person
    mine = ApplicationActivity.objects.filter(application__person=person)
    assert {"resa-utomlands", "lakarbesok"} <= set(mine.values_list("activity__code", flat=True))
    # Free-text activities of other seeded applications were picked from the catalogue too.
    assert ApplicationActivity.objects.exclude(application__person=person).exists()
