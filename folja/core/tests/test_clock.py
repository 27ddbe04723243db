"""Local wall-clock times: the spring hour that never happens is recognised."""

from __future__ import annotations

from datetime import datetime

import pytest

from folja.core.clock import does_not_exist


@pytest.mark.parametrize(
    ("moment", "missing"),
    [
        (datetime(2025, 3, 30, 1, 59), False),
        (datetime(2025, 3, 30, 2, 0), True),
        (datetime(2025, 3, 30, 2, 59), True),
        (datetime(2025, 3, 30, 3, 0), False),
        # The autumn hour happens twice: ambiguous, but it exists.
        (datetime(2025, 10, 26, 2, 30), False),
        (datetime(2025, 6, 1, 2, 30), False),
        (datetime(2024, 3, 31, 2, 15), True),
    ],
)
def test_only_the_hour_skipped_in_spring_does_not_exist(moment, missing):
    assert does_not_exist(moment) is missing


def test_another_zone_has_its_own_skipped_hour(settings):
    settings.TIME_ZONE = "America/New_York"
    assert does_not_exist(datetime(2025, 3, 9, 2, 30))
    assert not does_not_exist(datetime(2025, 3, 30, 2, 30))


def test_inside_a_replay_now_and_today_read_the_replayed_moment_and_after_it_the_real_clock():
    from folja.core import clock

    moment = datetime(2021, 5, 4, 10, 30)
    with clock.replayed_at(moment):
        assert clock.now() == moment
        assert clock.today() == moment.date()
    assert clock.now() != moment
