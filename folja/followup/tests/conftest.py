"""Fixtures of the follow-up tests."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from folja.accounts.models import Role
from folja.questions.services import question_answer
from folja.questions.tests.test_practice import _decisions, _ruling
from folja.testing.factories import DistrictFactory, make_user
from folja.testing.factories_questions import make_activity, make_question


@pytest.fixture
def handbook_city():
    """Two districts, a not-covered grey-zone activity Aström granted six times in 2024 T1
    (departing from the ruling), and five questions from Aström: three answered in T1 after
    2, 10 and 4 days, one asked in T1 and answered in T2, one still open."""
    a, b = DistrictFactory(name="Aström"), DistrictFactory(name="Bergby")
    caseworker = make_user(Role.CASEWORKER, district=a)
    analyst = make_user(Role.ANALYST)
    abroad = make_activity(name="Resa utomlands")
    _ruling(abroad, "not_covered")
    _decisions(a, abroad, granted=6, rejected=0)  # decided in February 2024 (T1)
    spans = [
        (datetime(2024, 1, 8, 9), datetime(2024, 1, 10, 9)),  # 2 days
        (datetime(2024, 2, 1, 9), datetime(2024, 2, 11, 9)),  # 10 days
        (datetime(2024, 3, 4, 9), datetime(2024, 3, 8, 9)),  # 4 days
        (datetime(2024, 4, 22, 9), datetime(2024, 5, 6, 9)),  # answered in T2: open at T1's end
        (datetime(2024, 4, 29, 9), None),  # still open
    ]
    for asked, answered in spans:
        with time_machine.travel(asked, tick=False):
            question = make_question(asked_by=caseworker, activity=abroad)
        if answered:
            with time_machine.travel(answered, tick=False):
                question_answer(user=analyst, question=question, answer="Svar.", publish=True)
    return {"a": a, "b": b, "analyst": analyst, "abroad": abroad}
