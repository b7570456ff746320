"""Discounting, NPV, payback, BCR and switching values: hand-worked cases, numpy-financial, properties."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.appraisal import (
    HEALTH,
    STANDARD,
    Case,
    DiscountSchedule,
    InvalidCase,
    Line,
    appraise,
    delay,
    payback,
    vfm_band,
)
from engines.appraisal.discounting import Band
from engines.appraisal.examples import LGA_2012, StudyCase


def case(
    costs: Sequence[float], savings: Sequence[float], schedule: DiscountSchedule = STANDARD, start_year: int = 2026
) -> Case:
    years = len(costs)
    return Case(
        start_year,
        years,
        (
            Line("Costs", "one_off_cost", tuple(map(float, costs))),
            Line("Savings", "saving", tuple(map(float, savings))),
        ),
        schedule,
    )


# --- Discount schedules ----------------------------------------------------------------


def test_year_0_is_not_discounted_and_the_standard_rate_is_3_5_percent() -> None:
    factors = STANDARD.factors(4)
    assert factors[0] == 1.0
    assert factors == pytest.approx([1, 1 / 1.035, 1 / 1.035**2, 1 / 1.035**3], rel=1e-15)


@pytest.mark.parametrize(
    "schedule, year, step",
    [
        (STANDARD, 30, 1.035),  # year 30 is still in the first band
        (STANDARD, 31, 1.030),  # and year 31 is the first discounted at 3.0%
        (STANDARD, 75, 1.030),
        (STANDARD, 76, 1.025),
        (STANDARD, 126, 1.020),
        (STANDARD, 201, 1.015),
        (STANDARD, 301, 1.010),
        (HEALTH, 30, 1.015),
        (HEALTH, 31, 1.0129),
        (HEALTH, 76, 1.0107),
        (HEALTH, 126, 1.0086),
        (HEALTH, 201, 1.0064),
        (HEALTH, 301, 1.0043),
    ],
)
def test_the_factor_compounds_year_by_year_across_the_bands(schedule: DiscountSchedule, year: int, step: float) -> None:
    factors = schedule.factors(year + 1)
    assert factors[year - 1] / factors[year] == pytest.approx(step, rel=1e-12)


def test_the_factor_at_year_31_is_thirty_years_at_3_5_then_one_at_3_0() -> None:
    assert STANDARD.factors(32)[31] == pytest.approx(1 / (1.035**30 * 1.03), rel=1e-12)
    assert STANDARD.factors(32)[31] != pytest.approx(1 / 1.03**31, rel=1e-3)


def test_a_schedule_says_what_it_is() -> None:
    assert STANDARD.describe() == {
        "name": "standard",
        "version": "2026.1",
        "dated": "2026-12-01",
        "source": STANDARD.source,
    }
    assert "Green Book" in STANDARD.source


@pytest.mark.parametrize(
    "bands",
    [
        (Band(1, None, 0.035),),  # a gap at year 0
        (Band(0, 30, 0.035), Band(32, None, 0.03)),  # a gap at year 31
        (Band(0, 30, 0.035),),  # no rate after year 30
        (Band(0, None, 3.5),),  # a percentage where a fraction belongs
    ],
)
def test_a_schedule_with_a_hole_in_it_is_refused(bands: tuple[Band, ...]) -> None:
    with pytest.raises(ValueError):
        DiscountSchedule("broken", "1", STANDARD.dated, "test", bands)


# --- A case worked by hand -------------------------------------------------------------

# £1,000 set-up in year 0, then £400 a year saved in years 1 to 3, at 3.5%.
PV_SAVINGS = 400 / 1.035 + 400 / 1.035**2 + 400 / 1.035**3
NPV = PV_SAVINGS - 1000


def test_a_case_worked_by_hand() -> None:
    result = appraise(case([1000, 0, 0, 0], [0, 400, 400, 400]))
    assert result.pv_costs == 1000
    assert result.pv_savings == pytest.approx(PV_SAVINGS, rel=1e-12)
    assert result.npv == pytest.approx(NPV, rel=1e-12)  # £120.65
    assert result.bcr == pytest.approx(PV_SAVINGS / 1000)
    assert result.vfm_band == "Low"
    # Cumulative net at the end of years 0 to 3: -1000, -600, -200, +200, so half way
    # through year 3, which runs from 3.0 to 4.0 years after the start.
    assert result.payback_years == pytest.approx(3.5)
    # Cumulative PV before year 3 is 1000 - 400/1.035 - 400/1.035²; year 3 adds 400/1.035³.
    left = 1000 - 400 / 1.035 - 400 / 1.035**2
    assert result.discounted_payback_years == pytest.approx(3 + left / (400 / 1.035**3))
    assert [f.financial_year for f in result.flows] == ["2026/27", "2027/28", "2028/29", "2029/30"]
    assert [f.net for f in result.flows] == [-1000, 400, 400, 400]
    assert result.flows[-1].cumulative_present_value == pytest.approx(NPV)
    assert result.schedule is STANDARD


def test_switching_values_worked_by_hand() -> None:
    values = appraise(case([1000, 0, 0, 0], [0, 400, 400, 400])).switching_values
    assert values.savings_pct == pytest.approx(100 * NPV / PV_SAVINGS)  # 10.8%
    assert values.costs_pct == pytest.approx(100 * NPV / 1000)  # 12.1%
    # A delay of one whole year loses year 3's saving and discounts the rest a year more.
    npv_one_year_late = 400 / 1.035**2 + 400 / 1.035**3 - 1000
    assert values.delay_years == pytest.approx(NPV / (NPV - npv_one_year_late))  # 0.31 years


def test_the_decided_payback_convention() -> None:
    # Costs recovered exactly at the end of year 1 (the second year): 2.0.
    assert payback(np.array([-100.0, 100.0])) == 2.0
    assert payback(np.array([-100.0, 50.0, 50.0])) == 3.0
    # Year 0's savings count against year 0's costs, spread through the year.
    assert payback(np.array([-50.0, 100.0])) == 1.5
    assert payback(np.array([50.0, 100.0])) == 0.0
    assert payback(np.array([-100.0, 99.0])) is None
    # Under water again after a later cost: paid back only once it stays recovered.
    assert payback(np.array([-100.0, 150.0, -100.0, 100.0])) == 3.5
    assert payback(np.array([-100.0, 150.0, -100.0, 10.0])) is None
    # Float sums of 0.1s do not fall a hair short of recovering.
    assert payback(np.array([-0.3, 0.1, 0.1, 0.1])) == 4.0


@pytest.mark.parametrize(
    "bcr, label",
    [(0.99, "Poor"), (1.0, "Low"), (1.49, "Low"), (1.5, "Medium"), (1.99, "Medium"), (2.0, "High"),
     (3.99, "High"), (4.0, "Very high"), (12, "Very high"), (None, None)],
)  # fmt: skip
def test_value_for_money_labels(bcr: float | None, label: str | None) -> None:
    assert vfm_band(bcr) == label


def test_no_costs_means_no_ratio_and_no_cost_switching_value() -> None:
    result = appraise(case([0, 0], [0, 100]))
    assert result.bcr is None and result.vfm_band is None
    assert result.switching_values.costs_pct is None
    assert result.switching_values.savings_pct == 100
    assert result.payback_years == 0.0


def test_a_case_below_zero_has_negative_percentages_and_no_delay() -> None:
    values = appraise(case([1000, 0], [0, 500])).switching_values
    assert values.savings_pct is not None and values.savings_pct < 0
    assert values.costs_pct is not None and values.costs_pct < 0
    assert values.delay_years is None


def test_delay_moves_each_years_amount_as_a_block() -> None:
    amounts = np.array([100.0, 200.0, 300.0])
    assert delay(amounts, 0).tolist() == [100, 200, 300]
    assert delay(amounts, 1).tolist() == [0, 100, 200]
    assert delay(amounts, 0.25).tolist() == [75, 175, 275]
    assert delay(amounts, 1.5).tolist() == [0, 50, 150]
    assert delay(amounts, 3).tolist() == [0, 0, 0]


# --- Problems name the field -----------------------------------------------------------


def test_problems_name_the_field() -> None:
    bad = Case(
        2026,
        3,
        (
            Line("Short", "saving", (1.0, 2.0)),
            Line("Upside down", "saving", (5.0, 5.0, 5.0), low=(6.0, 5.0, 5.0)),
            Line("Negative", "running_cost", (1.0, -2.0, 1.0)),
            Line("High below", "running_cost", (1.0, 1.0, 1.0), high=(1.0, 0.5, 1.0)),
        ),
    )
    with pytest.raises(InvalidCase) as raised:
        appraise(bad)
    found = {(p.field, p.code) for p in raised.value.problems}
    assert found == {
        ("lines[0].amounts", "wrong_length"),
        ("lines[1].low", "out_of_order"),
        ("lines[2].amounts", "negative"),
        ("lines[3].high", "out_of_order"),
    }


@pytest.mark.parametrize("years", [0, 61])
def test_years_run_from_1_to_60(years: int) -> None:
    with pytest.raises(InvalidCase) as raised:
        appraise(Case(2026, years, (Line("x", "saving", (1.0,) * years),)))
    assert [p.field for p in raised.value.problems] == ["years"]


# --- The LGA's 2012 study --------------------------------------------------------------


@pytest.mark.parametrize("study", [s for s in LGA_2012 if s.set_up_cost is not None], ids=lambda s: s.name)
def test_the_lga_2012_cases_pay_back_within_two_years_as_the_study_found(study: StudyCase) -> None:
    result = appraise(study.case())
    assert result.payback_years is not None and result.payback_years < 2
    assert result.discounted_payback_years is not None and result.discounted_payback_years < 2


def test_the_lga_2012_paybacks_by_hand() -> None:
    paybacks = {s.name.split(" ")[0]: appraise(s.case()).payback_years for s in LGA_2012}
    assert paybacks["Devon"] == pytest.approx(1 + (966_000 - 685_500) / 685_500)  # 1.41
    assert paybacks["Hoople"] == pytest.approx(1 + 180_000 / 620_000)  # 1.29
    assert paybacks["LGSS"] == pytest.approx(1 + (3_320_000 - 1_895_000) / 1_895_000)  # 1.75
    assert paybacks["Procurement"] == 0.0  # £148k set-up against £2.57m saved in the same year
    assert paybacks["Vale"] == 0.0  # no set-up cost given


# --- numpy-financial as the oracle -----------------------------------------------------

amount = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def cash_flows(draw: st.DrawFn, min_years: int = 1, max_years: int = 40) -> tuple[list[float], list[float]]:
    years = draw(st.integers(min_years, max_years))
    costs = draw(st.lists(amount, min_size=years, max_size=years))
    savings = draw(st.lists(amount, min_size=years, max_size=years))
    return costs, savings


@given(cash_flows(), st.floats(min_value=0, max_value=0.2))
def test_npv_at_a_flat_rate_matches_numpy_financial(flows: tuple[list[float], list[float]], rate: float) -> None:
    costs, savings = flows
    result = appraise(case(costs, savings, DiscountSchedule.flat(rate)))
    expected = npf.npv(rate, np.array(savings) - np.array(costs))
    assert result.npv == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_npv_at_the_standard_rate_matches_numpy_financial_within_30_years() -> None:
    costs, savings = [5000.0] + [100.0] * 30, [0.0] + [700.0] * 30
    assert appraise(case(costs, savings)).npv == pytest.approx(npf.npv(0.035, np.subtract(savings, costs)))


# --- Properties ------------------------------------------------------------------------


@given(
    st.floats(min_value=0, max_value=1e7),
    st.lists(amount, min_size=1, max_size=40),
    st.floats(min_value=0, max_value=0.3),
    st.floats(min_value=0, max_value=0.3),
)
def test_a_higher_rate_never_raises_the_npv_of_a_case_whose_costs_come_first(
    cost: float, savings: list[float], r1: float, r2: float
) -> None:
    # "First" is year 0: a cost in a later year is discounted too, and a higher rate shrinks
    # it, so (-100 in year 2, +1 in year 3) gains NPV as the rate rises.
    low, high = sorted((r1, r2))
    costs = [cost] + [0.0] * (len(savings) - 1)
    at_low = appraise(case(costs, savings, DiscountSchedule.flat(low))).npv
    at_high = appraise(case(costs, savings, DiscountSchedule.flat(high))).npv
    assert at_high <= at_low + 1e-6


@given(st.floats(min_value=1, max_value=1e7), st.lists(amount, min_size=1, max_size=60))
def test_the_health_rate_never_gives_less_than_the_standard_rate(cost: float, savings: list[float]) -> None:
    costs = [cost] + [0.0] * (len(savings) - 1)
    health = appraise(case(costs, savings, HEALTH)).npv
    assert health >= appraise(case(costs, savings, STANDARD)).npv - 1e-6


@settings(max_examples=200)
@given(cash_flows(max_years=60))
def test_applying_each_switching_value_brings_npv_to_zero_within_a_pound(
    flows: tuple[list[float], list[float]],
) -> None:
    costs, savings = flows
    base = case(costs, savings)
    values = appraise(base).switching_values
    savings_line, costs_line = base.lines[1], base.lines[0]
    if values.savings_pct is not None:
        fallen = Case(2026, base.years, (costs_line, savings_line.scaled(1 - values.savings_pct / 100)))
        assert appraise(fallen).npv == pytest.approx(0, abs=1)
    if values.costs_pct is not None:
        risen = Case(2026, base.years, (costs_line.scaled(1 + values.costs_pct / 100), savings_line))
        assert appraise(risen).npv == pytest.approx(0, abs=1)
    if values.delay_years is not None:
        late = Case(2026, base.years, (costs_line, savings_line.delayed(values.delay_years)))
        assert appraise(late).npv == pytest.approx(0, abs=1)
    else:
        assert appraise(base).npv < 0


@given(cash_flows())
def test_payback_is_none_exactly_when_the_cumulative_net_ends_below_zero(
    flows: tuple[list[float], list[float]],
) -> None:
    costs, savings = flows
    result = appraise(case(costs, savings))
    net = np.array(savings) - np.array(costs)
    if result.payback_years is None:
        assert net.sum() < 0
    else:
        assert 0 <= result.payback_years <= len(costs)
        assert net.sum() >= -1e-6
