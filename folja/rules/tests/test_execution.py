"""When a decision is not carried out (SoL 16 kap. 6 f §): three months from the decision
without an executed session, or three months from the last one."""

from __future__ import annotations

from datetime import date

from folja.rules.execution import INTERRUPTED, NOT_STARTED, months_after, not_carried_out


def _run(executed, today, *, decided_on=date(2024, 1, 10), valid_from=date(2024, 1, 15)):
    return not_carried_out(
        decided_on=decided_on,
        valid_from=valid_from,
        valid_to=date(2024, 12, 31),
        executed=executed,
        today=today,
    )


def test_three_months_run_to_the_same_day_or_the_last_of_a_short_month():
    assert months_after(date(2024, 1, 15), 3) == date(2024, 4, 15)
    assert months_after(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_a_decision_without_an_executed_session_is_flagged_on_the_day_three_months_are_up():
    assert _run([], date(2024, 4, 14)) == []
    [found] = _run([], date(2024, 4, 15))
    assert (found.kind, found.since, found.reportable_on) == (
        NOT_STARTED,
        date(2024, 1, 15),
        date(2024, 4, 15),
    )
    assert found.carried_out_on is None


def test_a_decision_carried_out_within_three_months_is_not_flagged():
    assert _run([date(2024, 4, 14)], date(2024, 6, 1)) == []


def test_a_decision_carried_out_late_stays_in_the_register_with_the_day_it_began():
    [found] = _run([date(2024, 5, 2)], date(2024, 6, 1))
    assert found.kind == NOT_STARTED and found.carried_out_on == date(2024, 5, 2)


def test_execution_that_stopped_for_three_months_is_an_interruption_from_the_last_session():
    executed = [date(2024, 2, 1), date(2024, 3, 5)]
    assert _run(executed, date(2024, 6, 4)) == []
    [found] = _run(executed, date(2024, 6, 5))
    assert (found.kind, found.since, found.reportable_on) == (
        INTERRUPTED,
        date(2024, 3, 5),
        date(2024, 6, 5),
    )


def test_a_break_shorter_than_three_months_is_no_interruption():
    executed = [date(2024, 2, 1), date(2024, 4, 30), date(2024, 7, 29)]
    assert _run(executed, date(2024, 8, 1)) == []


def test_a_decision_that_ended_before_three_months_were_up_is_not_reportable():
    assert (
        not_carried_out(
            decided_on=date(2024, 1, 10),
            valid_from=date(2024, 1, 10),
            valid_to=date(2024, 3, 31),
            executed=[],
            today=date(2024, 6, 1),
        )
        == []
    )
