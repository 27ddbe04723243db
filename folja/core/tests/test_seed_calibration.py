"""The synthetic history reproduces the seed documents' execution rates (FACTS.md)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from folja.cases.models import Decision
from folja.delivery.models import Session
from folja.followup.selectors import Slice, measures_by
from folja.ledger.bridge import decision_grants
from folja.rules.periods import granted_minutes_by_month


@pytest.mark.django_db
def test_about_two_thirds_of_granted_hours_are_executed_under_monthly_and_more_under_flex3():
    # A history spanning the 2018 change of guideline: monthly before, flex3 after.
    call_command("seed", scale="demo", today="2019-12-31", years=3, seed_value=11, quiet=True)
    first, last = date(2017, 1, 1), date(2019, 11, 30)
    granted: Counter[str] = Counter()
    executed: Counter[str] = Counter()
    for decision in Decision._base_manager.exclude(outcome="rejected"):
        for month, minutes in granted_minutes_by_month(decision_grants([decision])).items():
            if first <= month <= last:
                granted[decision.model] += minutes
    sessions = Session._base_manager.filter(
        status="executed", start__date__gte=first, start__date__lte=last
    ).select_related("order__decision")
    for s in sessions:
        executed[s.order.decision.model] += s.charged_minutes
    monthly = executed["monthly"] / granted["monthly"]
    flex3 = executed["flex3"] / granted["flex3"]
    # FACTS.md: 64 % executed before 2018; slightly more with three-month periods.
    assert 0.55 <= monthly <= 0.72
    assert monthly < flex3 <= 0.85


@pytest.mark.django_db
def test_about_half_of_the_flex3_persons_use_it_flexibly_and_monthly_executes_near_64_percent():
    # Read through the follow-up's own measures (the roll-up the seed builds), as the
    # dashboard shows them: flexible use is folja.rules.followup.used_flexibly.
    call_command("seed", scale="demo", today="2019-12-31", years=3, seed_value=11, quiet=True)
    before = measures_by(Slice.year(2017)).get(None)
    after = measures_by(Slice.year(2019)).get(None)
    # FACTS.md: 64 % executed under `monthly` before the 2018 model.
    assert before.flex3_persons == 0
    assert Decimal("0.58") <= before.execution_rate <= Decimal("0.70")
    # About half of the persons with a flex3 decision use it flexibly (seed 002).
    assert after.flex3_persons >= 30
    assert Decimal("0.40") <= after.flexible_share <= Decimal("0.62")
