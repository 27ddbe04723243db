"""On the demo city from `folja seed` (the seed generator's illness and seasonality), flex3
executes a higher share of the grant than monthly, and the memo explains it from the fit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation

from folja.simulation.investigation import run_investigation
from folja.simulation.texts import flex_explanation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_on_the_demo_city_flex3_executes_more_of_the_grant_than_monthly():
    call_command("seed", scale="demo", today="2026-06-15", quiet=True)
    inv = run_investigation(on=date(2026, 6, 15), replicates=100, sensitivity_replicates=20)
    share = {m: inv.result.values[m]["execution_share"] for m in inv.result.models}
    assert (share["flex3"] > share["monthly"]).all()
    assert inv.gain is not None and inv.gain.full > 0
    with translation.override("sv"):
        text = " ".join(flex_explanation(inv))
    assert "sjukdomsperioder per år" in text and "Säsongsvariationen" in text
    assert "Sjukdomen" in text
