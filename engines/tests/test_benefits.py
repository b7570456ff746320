"""The benefits RAG engine: worked examples of the written thresholds, and properties."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.benefits import (
    AMBER,
    GREEN,
    RED,
    Period,
    PeriodError,
    Point,
    Thresholds,
    measure_rag,
    parse_period,
    period_rag,
    worst,
)

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "planned, actual, higher_is_better, expected",
    [
        # Customer satisfaction (higher is better), plan 80%.
        (80, 80, True, GREEN),  # on plan
        (80, 85, True, GREEN),  # better than plan
        (80, 72, True, AMBER),  # 8 short: exactly 10% of 80, still amber
        (80, 71.9, True, RED),  # just over 10% short
        # Staff sickness, days per person (lower is better), plan 8 days.
        (8, 7, False, GREEN),
        (8, 8.8, False, AMBER),  # 0.8 over: exactly 10%
        (8, 9, False, RED),  # 12.5% over
        # Savings in pounds: plan £200,000, achieved £185,000 (7.5% short).
        (200_000, 185_000, True, AMBER),
        (200_000, 170_000, True, RED),  # 15% short
        # A plan of nothing: any shortfall is red, meeting it green.
        (0, 0, True, GREEN),
        (0, -1, True, RED),
    ],
)
def test_worked_examples(planned: float, actual: float, higher_is_better: bool, expected: str) -> None:
    assert period_rag(planned, actual, higher_is_better=higher_is_better, ended=True) == expected


def test_no_actual_is_red_once_the_period_has_ended_and_uncoloured_before() -> None:
    assert period_rag(100, None, higher_is_better=True, ended=True) == RED
    assert period_rag(100, None, higher_is_better=True, ended=False) is None


def test_a_wider_tolerance_is_honoured_and_described() -> None:
    assert period_rag(100, 85, higher_is_better=True, ended=True, thresholds=Thresholds(20)) == AMBER
    assert "up to 20%" in Thresholds(20).describe()[1][1]


def test_periods() -> None:
    assert parse_period("2026/27") == Period("2026/27", 2026, None)
    assert parse_period(" 2026-27  q1 ").label == "2026/27 Q1"
    assert parse_period("2026/27 Q1").ends_on == dt.date(2026, 6, 30)
    assert parse_period("2026/27 Q3").ends_on == dt.date(2026, 12, 31)
    assert parse_period("2026/27 Q4").ends_on == dt.date(2027, 3, 31)
    assert parse_period("2025/26").has_ended(TODAY)
    assert not parse_period("2026/27").has_ended(TODAY)
    for bad in ("2026/28", "2026", "Q1 2026/27", "2026/27 Q5", ""):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_a_measure_takes_the_colour_of_its_latest_coloured_period() -> None:
    points = [
        Point(
            parse_period("2024/25"),
            80,
            70,
        ),  # red
        Point(parse_period("2025/26"), 82, 80),  # amber
        Point(parse_period("2026/27"), 84, None),  # not yet due
    ]
    result = measure_rag(points, higher_is_better=True, today=TODAY)
    assert [r.rag for r in result.points] == [RED, AMBER, None]
    assert result.rag == AMBER
    # A year that has ended without an actual is red, and then the measure is.
    result = measure_rag([*points[:2], Point(parse_period("2025/26 Q4"), 82, None)], higher_is_better=True, today=TODAY)
    assert result.rag == RED


def test_a_plan_is_as_bad_as_its_worst_measure() -> None:
    assert worst([GREEN, None, AMBER]) == AMBER
    assert worst([GREEN, RED, AMBER]) == RED
    assert worst([None, None]) is None


numbers = st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=1000)


@given(numbers, numbers, st.booleans())
def test_doing_better_never_makes_the_colour_worse(planned: Fraction, actual: Fraction, higher_is_better: bool) -> None:
    better = actual + 1 if higher_is_better else actual - 1
    before = period_rag(planned, actual, higher_is_better=higher_is_better, ended=True)
    after = period_rag(planned, better, higher_is_better=higher_is_better, ended=True)
    assert before is not None and after is not None
    order = {GREEN: 0, AMBER: 1, RED: 2}
    assert order[after] <= order[before]


@given(numbers, st.booleans())
def test_on_plan_is_green_whatever_the_direction(planned: Fraction, higher_is_better: bool) -> None:
    assert period_rag(planned, planned, higher_is_better=higher_is_better, ended=True) == GREEN


@given(st.fractions(min_value=1, max_value=10**9, max_denominator=100), st.fractions(0, 1, max_denominator=1000))
def test_amber_is_exactly_within_the_tolerance(planned: Fraction, fraction_short: Fraction) -> None:
    actual = planned * (1 - fraction_short)
    rag = period_rag(planned, actual, higher_is_better=True, ended=True)
    if fraction_short == 0:
        assert rag == GREEN
    elif fraction_short <= Fraction(1, 10):
        assert rag == AMBER
    else:
        assert rag == RED
