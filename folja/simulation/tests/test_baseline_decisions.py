"""The simulation baseline reads the decisions that grant time: a decision replaced on
reconsideration is neither the person's current grant nor part of their granted history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from folja.simulation.selectors import current_decisions, person_month_outcomes, population_history
from folja.testing.factories import DecisionFactory, DistrictFactory, PersonFactory, reference_data

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def reconsidered():
    """10 h a month from 2024, replaced on reconsideration by 16 h for the same validity."""
    reference_data()
    person = PersonFactory(district=DistrictFactory(name="Skärholmen", code="SKH"))
    old = DecisionFactory(
        person=person,
        decided_on=date(2023, 12, 1),
        hours_per_month=Decimal("10"),
        valid_from=date(2024, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    new = DecisionFactory(
        person=person,
        decided_on=date(2024, 3, 1),
        hours_per_month=Decimal("16"),
        valid_from=date(2024, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    return person, old, new


def test_the_current_decision_is_the_replacement_not_the_replaced_one(reconsidered):
    _, _, new = reconsidered
    assert list(current_decisions(on=date(2024, 6, 1))) == [new]


def test_the_granted_history_counts_only_the_replacement(reconsidered):
    person, _, _ = reconsidered
    ctx = population_history(on=date(2025, 1, 15), months=12)
    assert ctx.person_ids == [person.pk]
    assert ctx.history.grant_hours_now[0] == 16
    assert np.all(ctx.history.granted[0] == 16 * 60)  # not 10 h + 16 h a month


def test_the_pilot_outcomes_count_only_the_replacement(reconsidered):
    person, _, _ = reconsidered
    out = person_month_outcomes(
        person_ids=[person.pk], start=date(2024, 1, 1), end=date(2025, 1, 1)
    )
    assert out[person.pk]["granted"] == pytest.approx(16.0)


def test_a_figure_a_fit_could_not_give_is_written_as_a_dash_not_a_crash():
    from folja.simulation.texts import num, pct

    assert num(float("nan")) == "–"
    assert pct(float("nan")) == "–"
    assert num(2.5) == "3"
