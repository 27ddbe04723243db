"""The NumPy core against cases with known answers. No database."""

from __future__ import annotations

import numpy as np
import pytest

from folja.simulation.engine import CostParams, Population, simulate, summarise, to_json
from folja.simulation.engine.params import METRICS, MODELS
from folja.simulation.engine.sensitivity import flex_gain, tornado
from folja.simulation.engine.synthetic import synthetic_population


def population(
    grant: list[float],
    desired_share: float = 1.0,
    *,
    sd: float = 0.0,
    onset: float = 0.0,
    late: float = 0.0,
    season: np.ndarray | None = None,
) -> Population:
    g = np.array(grant, dtype=float)
    n = len(g)
    return Population(
        grant_hours=g,
        log_mean=np.log(g * desired_share) - 0.5 * sd**2,
        log_sd=np.full(n, sd),
        illness_onset=np.full(n, onset),
        illness_days=np.full(n, 10.0),
        late_cancel_rate=np.full(n, late),
        rate_per_hour=np.full(n, 450.0),
        expense_per_hour=np.full(n, 10.0),
        season=np.ones(12) if season is None else season,
    )


def test_a_person_who_never_cancels_and_wants_exactly_the_grant_loses_nothing_under_any_model():
    result = simulate(population([10.0, 25.0]), replicates=30, months=12, seed=3)
    for model in MODELS:
        values = result.values[model]
        assert np.all(np.abs(values["lapsed_hours"]) < 1e-3), model
        assert np.all(np.abs(values["unmet_hours"]) < 1e-3), model
        assert np.allclose(values["executed_hours"], 35.0 * 12, rtol=1e-5), model


def test_with_demand_always_below_the_grant_free_and_flex3_cost_the_same():
    season = np.array([0.9, 1.1] * 6)
    pop = population([8.0, 20.0, 40.0], 0.3, sd=0.1, onset=0.2, late=0.05, season=season)
    result = simulate(pop, models=("flex3", "free"), replicates=50, months=12, seed=11)
    for metric in ("total_cost", "provider_payment", "expense_paid", "admin_cost"):
        assert np.array_equal(result.values["flex3"][metric], result.values["free"][metric])
    assert result.values["free"]["review_tasks"].sum() == 0


def test_demand_above_the_grant_is_unmet_under_monthly_but_met_under_free():
    result = simulate(population([10.0], 1.5), replicates=5, months=3, seed=1)
    assert np.allclose(result.values["monthly"]["unmet_hours"], 15.0, atol=1e-3)
    assert np.allclose(result.values["free"]["executed_hours"], 45.0, atol=1e-3)
    assert (
        result.values["free"]["total_cost"].mean() > result.values["monthly"]["total_cost"].mean()
    )


def test_flex3_lets_a_low_month_be_made_up_within_the_period():
    # Jan half, Feb one and a half of the grant: monthly loses 5 h in Jan and refuses 5 h in Feb.
    season = np.array([0.5, 1.5, 1.0] + [1.0] * 9)
    result = simulate(population([10.0], season=season), replicates=2, months=3, seed=1)
    assert np.allclose(result.values["monthly"]["lapsed_hours"], 5.0, atol=1e-3)
    assert np.allclose(result.values["flex3"]["lapsed_hours"], 0.0, atol=1e-3)


def test_a_fixed_seed_reproduces_the_results_exactly_and_another_seed_does_not():
    pop = synthetic_population(300, seed=2)
    a = simulate(pop, replicates=60, months=12, seed=42)
    b = simulate(pop, replicates=60, months=12, seed=42)
    c = simulate(pop, replicates=60, months=12, seed=43)
    for model in MODELS:
        for metric in METRICS:
            assert np.array_equal(a.values[model][metric], b.values[model][metric])
    assert not np.array_equal(a.values["free"]["total_cost"], c.values["free"]["total_cost"])
    assert to_json(a) == to_json(b)


def test_on_a_demo_like_population_flex3_executes_more_of_the_grant_than_monthly():
    pop = synthetic_population(800, seed=5)
    result = simulate(pop, replicates=40, months=12, seed=1)
    share = {m: result.values[m]["execution_share"] for m in MODELS}
    # Paired by replicate (common random numbers): true in every replicate, not only on average.
    assert np.all(share["flex3"] > share["monthly"])
    assert np.all(share["free"] >= share["flex3"])
    summary = summarise(result)
    assert 0.5 < summary["monthly"]["execution_share"].mean < 0.8


def test_illness_and_seasonality_each_add_to_the_flex3_gain():
    gain = flex_gain(synthetic_population(600, seed=5), CostParams(), replicates=20)
    assert gain.full > 0
    assert gain.from_illness > 0
    assert gain.from_season > 0


def test_the_tornado_ranks_parameters_by_swing():
    bars = tornado(synthetic_population(200, seed=1), CostParams(), replicates=10).bars
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 0


def test_bad_input_is_refused_with_a_named_field():
    with pytest.raises(ValueError, match="models"):
        simulate(population([10.0]), models=("weekly",), replicates=1)
    with pytest.raises(ValueError, match="season"):
        Population(**{**population([1.0]).__dict__, "season": np.ones(5)})
