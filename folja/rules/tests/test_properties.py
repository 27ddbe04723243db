"""Property-based tests: invariants that must hold for any input, not just the examples."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from folja.rules.bands import band_at, band_minutes
from folja.rules.deadlines import appeal_deadline, is_swedish_non_working_day
from folja.rules.engine import EXCEEDS_GRANT, OUTSIDE_DECISION, OVERLAP, evaluate
from folja.rules.errors import InvalidPersonnummer
from folja.rules.luhn import luhn_check_digit, make_personnummer
from folja.rules.model import FREE, DecisionGrant, Rate, SessionReport
from folja.rules.payment import RateTable, session_payment
from folja.rules.periods import build_periods, decision_month_minutes, iter_months
from folja.rules.personnummer import parse

from .builders import guideline

ONE_DAY = timedelta(days=1)
TODAY = date(2025, 6, 1)

RATE_TABLE = RateTable(
    Rate(year, regi, Decimal(d), Decimal(e), Decimal(n), Decimal(w), Decimal(s))
    for year in (2023, 2024, 2025, 2026)
    for regi, (d, e, n, w, s) in {
        "municipal": ("423", "450", "487", "487", "555"),
        "private": ("434", "461", "500", "500", "569"),
    }.items()
)

minutes_2024 = st.integers(0, 366 * 24 * 60 - 1).map(
    lambda m: datetime(2024, 1, 1) + timedelta(minutes=m)
)
storhelg_sets = st.frozensets(
    st.integers(0, 400).map(lambda d: date(2024, 1, 1) + timedelta(days=d)), max_size=40
)


# --- bands and payment ---------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(start=minutes_2024, length=st.integers(0, 4 * 24 * 60), storhelg=storhelg_sets)
def test_band_minutes_agree_with_a_minute_by_minute_oracle(start, length, storhelg) -> None:
    oracle: dict[str, int] = {}
    for offset in range(length):
        band = band_at(start + timedelta(minutes=offset), storhelg)
        oracle[band] = oracle.get(band, 0) + 1
    assert band_minutes(start, start + timedelta(minutes=length), storhelg) == oracle


@settings(max_examples=100, deadline=None)
@given(
    start=minutes_2024,
    length=st.integers(1, 3 * 24 * 60),
    cut=st.floats(0, 1),
    storhelg=storhelg_sets,
    regi=st.sampled_from(["municipal", "private"]),
    escorts=st.sampled_from([1, 2]),
)
def test_payment_is_additive_when_a_session_is_split(
    start, length, cut, storhelg, regi, escorts
) -> None:
    split = round(length * cut)

    def pay(at: datetime, minutes: int) -> Decimal:
        return session_payment(
            at, minutes, regi=regi, paid_escorts=escorts, rates=RATE_TABLE, storhelg=storhelg
        ).amount

    whole = pay(start, length)
    parts = pay(start, split) + pay(start + timedelta(minutes=split), length - split)
    assert abs(whole - parts) <= Decimal("0.01")  # at most half an öre of rounding per piece


# --- the engine on random scenarios --------------------------------------------------------------


@st.composite
def decisions_strategy(draw) -> list[DecisionGrant]:
    count = draw(st.integers(1, 3))
    out = []
    for i in range(count):
        start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 330)))
        end = start + timedelta(days=draw(st.integers(0, 200)))
        out.append(
            DecisionGrant(
                id=f"d{i}",
                valid_from=start,
                valid_to=end,
                hours_per_month=Decimal(draw(st.integers(0, 40))) / 2,
                model=draw(st.sampled_from(["monthly", "flex3", "free"])),
                double_staffing=draw(st.booleans()),
            )
        )
    return out


@st.composite
def sessions_strategy(draw) -> list[SessionReport]:
    out = []
    for i in range(draw(st.integers(0, 14))):
        start = draw(minutes_2024)
        end = start + timedelta(minutes=draw(st.integers(1, 720)))
        status = draw(
            st.sampled_from(["executed", "cancelled_by_person", "no_show", "cancelled_by_provider"])
        )
        cancelled_at = None
        if status == "cancelled_by_person":
            cancelled_at = start - timedelta(minutes=draw(st.integers(-60, 72 * 60)))
        out.append(
            SessionReport(
                id=f"s{i:02d}",
                start=start,
                end=end,
                status=status,
                escorts=draw(st.sampled_from([1, 2])),
                regi=draw(st.sampled_from(["municipal", "private"])),
                cancelled_at=cancelled_at,
            )
        )
    return out


scenarios = st.tuples(
    decisions_strategy(),
    sessions_strategy(),
    st.sampled_from(["decision_start", "calendar_quarter"]),
    st.booleans(),
    st.booleans(),
)


def _evaluate(scenario):
    decisions, sessions, anchor, late_charged, no_show_charged = scenario
    g = guideline(
        period_anchor=anchor,
        late_cancellation_charged=late_charged,
        no_show_charged=no_show_charged,
    )
    return evaluate(g, RATE_TABLE, decisions, sessions)


@settings(max_examples=75, deadline=None)
@given(scenarios)
def test_used_plus_remaining_is_granted_and_used_is_what_sessions_charged(scenario) -> None:
    evaluation = _evaluate(scenario)
    for period in evaluation.periods:
        assert period.used_minutes + period.remaining_minutes == period.granted_minutes
        charged = sum(
            s.charged_minutes for s in evaluation.sessions if s.period_start == period.start
        )
        assert period.used_minutes == charged


@settings(max_examples=75, deadline=None)
@given(scenarios)
def test_payable_never_exceeds_charged_and_bands_sum_to_payable(scenario) -> None:
    for s in _evaluate(scenario).sessions:
        assert 0 <= s.payable_minutes <= s.charged_minutes
        assert sum(s.band_minutes.values()) == s.payable_minutes
        assert (EXCEEDS_GRANT in s.flags) == (s.payable_minutes < s.charged_minutes)
        if OUTSIDE_DECISION in s.flags or OVERLAP in s.flags:
            assert s.charged_minutes == 0
        assert (s.payment > 0) == (s.payable_minutes > 0)


@settings(max_examples=75, deadline=None)
@given(scenarios)
def test_payable_minutes_stay_within_the_grant_of_a_capped_period(scenario) -> None:
    decisions = [d for d in scenario[0] if d.model != FREE]
    assume(decisions)
    evaluation = _evaluate((decisions, *scenario[1:]))
    for period in evaluation.periods:
        payable = sum(
            s.payable_minutes for s in evaluation.sessions if s.period_start == period.start
        )
        assert payable <= max(period.granted_minutes, 0)


@settings(max_examples=75, deadline=None)
@given(scenarios)
def test_no_two_charged_sessions_overlap(scenario) -> None:
    by_id = {s.id: s for s in scenario[1]}
    charged = sorted(
        (by_id[r.id] for r in _evaluate(scenario).sessions if r.charged_minutes > 0),
        key=lambda s: s.start,
    )
    for earlier, later in pairwise(charged):
        assert earlier.end <= later.start


@settings(max_examples=100, deadline=None)
@given(decisions_strategy(), st.sampled_from(["decision_start", "calendar_quarter"]))
def test_periods_are_whole_months_never_overlap_and_cover_every_decision_day_of_one_model(
    decisions, anchor
) -> None:
    # Of mixed models the rulings may leave a month in no period (an earlier period that a
    # later chain's period cuts short is not continued after it); one model never does.
    periods = build_periods(decisions, anchor)
    for p in periods:
        assert p.start.day == 1
        assert (p.end + ONE_DAY).day == 1
    for earlier, later in pairwise(periods):
        assert earlier.end < later.start
    one_model = len({d.model for d in decisions}) <= 1
    for d in decisions:
        for first in iter_months(d.valid_from, d.valid_to):
            covering = sum(p.start <= first <= p.end for p in periods)
            assert covering == 1 if one_model else covering <= 1


@settings(max_examples=75, deadline=None)
@given(decisions_strategy(), st.sampled_from(["decision_start", "calendar_quarter"]))
def test_periods_grant_exactly_what_the_decisions_grant(decisions, anchor) -> None:
    evaluation = evaluate(guideline(period_anchor=anchor), RATE_TABLE, decisions, [])
    total = sum(sum(decision_month_minutes(d).values()) for d in decisions)
    assert sum(p.granted_minutes for p in evaluation.periods) == total


# --- personnummer --------------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    birth=st.dates(date(1890, 1, 1), TODAY),
    serial=st.integers(1, 999),
    coordination=st.booleans(),
    form=st.sampled_from(["10", "10sep", "12", "12sep"]),
)
def test_personnummer_round_trips(birth, serial, coordination, form) -> None:
    day = birth.day + (60 if coordination else 0)
    yymmdd = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}"
    nine = f"{yymmdd}{serial:03d}"
    tail = f"{serial:03d}{luhn_check_digit(nine)}"
    age = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
    if form.startswith("12"):
        text = f"{birth.year // 100}{yymmdd}{'-' if form == '12sep' else ''}{tail}"
    elif form == "10sep" or age >= 100:
        text = f"{yymmdd}{'+' if age >= 100 else '-'}{tail}"
    else:
        text = f"{yymmdd}{tail}"

    number = parse(text, today=TODAY)
    assert number.birth_date == birth
    assert number.normalized == f"{birth.year}{yymmdd[2:]}-{tail}"
    assert number.kind == ("samordningsnummer" if coordination else "personnummer")
    assert number.sex == ("male" if serial % 10 % 2 else "female")
    assert parse(number.normalized, today=TODAY) == number

    assert parse(make_personnummer(birth, serial, coordination=coordination), today=TODAY) == number

    wrong = text[:-1] + str((int(text[-1]) + 1) % 10)
    with pytest.raises(InvalidPersonnummer):
        parse(wrong, today=TODAY)


# --- appeal deadline -----------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.dates(date(1995, 1, 1), date(2060, 12, 31)))
def test_appeal_deadline_is_the_first_working_day_from_three_weeks_on(notified) -> None:
    deadline = appeal_deadline(notified)
    assert deadline - notified >= timedelta(days=21)
    assert not is_swedish_non_working_day(deadline)
    day = notified + timedelta(days=21)
    while day < deadline:
        assert is_swedish_non_working_day(day)
        day += ONE_DAY
