"""The Monte Carlo: seeded, one draw per line, the right distributions, and fast."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.appraisal import Case, InvalidCase, Line, RiskSettings, appraise, simulate
from engines.appraisal.risk import Distribution, _normal_cdf, _pert_table, npv_draws

PERT_THEN_TRIANGULAR: tuple[Distribution, ...] = ("pert", "triangular")


def ten_year_case() -> Case:
    zero = (0.0,)
    return Case(
        2026,
        10,
        (
            Line("Set-up", "one_off_cost", (1000.0,) + zero * 9, low=(800.0,) + zero * 9, high=(1500.0,) + zero * 9),
            Line("Running", "running_cost", (50.0,) * 10, low=(40.0,) * 10, high=(80.0,) * 10),
            Line("Staff", "saving", zero + (200.0,) * 9, low=zero + (100.0,) * 9, high=zero + (250.0,) * 9),
            Line("Other", "saving", zero + (100.0,) * 9, low=zero + (50.0,) * 9, high=zero + (150.0,) * 9),
        ),
    )


def test_the_same_seed_gives_the_same_result_and_another_does_not() -> None:
    first = simulate(ten_year_case(), RiskSettings(draws=5000, seed=7))
    again = simulate(ten_year_case(), RiskSettings(draws=5000, seed=7))
    other = simulate(ten_year_case(), RiskSettings(draws=5000, seed=8))
    assert first == again
    assert first.p50 != other.p50
    assert first.seed == 7


def test_a_seed_is_chosen_and_reported_when_none_is_given() -> None:
    result = simulate(ten_year_case(), RiskSettings(draws=1000))
    assert simulate(ten_year_case(), RiskSettings(draws=1000, seed=result.seed)).p50 == result.p50


def test_the_percentiles_are_ordered_and_the_s_curve_rises() -> None:
    result = simulate(ten_year_case(), RiskSettings(draws=20_000, seed=1))
    assert result.p10 < result.p50 < result.p90
    probabilities = [p for p, _ in result.s_curve]
    values = [v for _, v in result.s_curve]
    assert probabilities[0] == 0 and probabilities[-1] == 1 and len(values) == 101
    assert values == sorted(values)
    assert values[10] == pytest.approx(result.p10) and values[90] == pytest.approx(result.p90)
    assert 0 <= result.prob_negative <= 1 and 0 <= result.prob_no_payback <= 1


def test_a_lines_years_move_together() -> None:
    # One line, two years: every trial has both years at the same quantile, so year 1 is a
    # fixed multiple of year 0 in every trial (here twice), never drawn apart.
    line = Line("x", "saving", (10.0, 20.0), low=(0.0, 0.0), high=(20.0, 40.0))
    npv, total, _ = npv_draws(Case(2026, 2, (line,)), RiskSettings(draws=1000, seed=3))
    year0 = total / 3  # total = y0 + y1 = 3 y0
    assert npv == pytest.approx(year0 + 2 * year0 / 1.035)


@pytest.mark.parametrize("distribution, mean", [("triangular", (0 + 30 + 90) / 3), ("pert", (0 + 4 * 30 + 90) / 6)])
def test_the_distributions_have_their_textbook_means(distribution: Distribution, mean: float) -> None:
    line = Line("x", "saving", (30.0,), low=(0.0,), high=(90.0,))
    result = simulate(Case(2026, 1, (line,)), RiskSettings(draws=200_000, seed=2, distribution=distribution))
    assert result.mean == pytest.approx(mean, rel=0.01)


def test_the_pert_quantile_table_inverts_the_beta_distribution() -> None:
    # A mode half way is Beta(3, 3), whose distribution function is 10x³ − 15x⁴ + 6x⁵.
    table = _pert_table(0.5)
    probabilities = np.linspace(0, 1, len(table))
    assert 10 * table**3 - 15 * table**4 + 6 * table**5 == pytest.approx(probabilities, abs=1e-6)


def test_pert_is_narrower_than_triangular() -> None:
    line = Line("x", "saving", (30.0,), low=(0.0,), high=(90.0,))
    one = Case(2026, 1, (line,))
    pert, triangular = (simulate(one, RiskSettings(draws=50_000, seed=2, distribution=d)) for d in PERT_THEN_TRIANGULAR)
    assert pert.p90 - pert.p10 < triangular.p90 - triangular.p10


def test_correlated_savings_widen_the_range() -> None:
    independent = simulate(ten_year_case(), RiskSettings(draws=50_000, seed=5))
    together = simulate(ten_year_case(), RiskSettings(draws=50_000, seed=5, savings_correlation=0.9))
    assert together.p90 - together.p10 > independent.p90 - independent.p10


def test_the_copula_maps_normals_to_uniform_quantiles() -> None:
    x = np.array([-8.0, -1.96, 0.0, 1.0, 1.96, 8.0])
    exact = [0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x]
    assert _normal_cdf(x) == pytest.approx(exact, abs=2e-7)


def test_the_tornado_puts_the_widest_line_first() -> None:
    result = simulate(ten_year_case(), RiskSettings(draws=100, seed=1))
    bars = result.tornado
    assert [bar.name for bar in bars][0] == "Staff"
    base = appraise(ten_year_case()).npv
    assert result.npv == pytest.approx(base)
    staff = bars[0]
    # Staff savings at low: £100 a year less in years 1 to 9.
    assert staff.low_npv - base == pytest.approx(-100 * sum(1 / 1.035**t for t in range(1, 10)))
    assert staff.high_npv - base == pytest.approx(50 * sum(1 / 1.035**t for t in range(1, 10)))


def test_a_sure_loss_never_pays_back() -> None:
    line = Line("x", "one_off_cost", (10.0, 10.0), low=(5.0, 5.0), high=(20.0, 20.0))
    result = simulate(Case(2026, 2, (line,)), RiskSettings(draws=1000, seed=1))
    assert result.prob_negative == 1 and result.prob_no_payback == 1


@pytest.mark.parametrize(
    "risk, field",
    [
        (RiskSettings(draws=0), "risk.draws"),
        (RiskSettings(draws=1_000_001), "risk.draws"),
        (RiskSettings(savings_correlation=1.5), "risk.savings_correlation"),
        (RiskSettings(seed=-1), "risk.seed"),
    ],
)
def test_settings_out_of_range_name_the_field(risk: RiskSettings, field: str) -> None:
    with pytest.raises(InvalidCase) as raised:
        simulate(ten_year_case(), risk)
    assert [p.field for p in raised.value.problems] == [field]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=15),
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=15),
    st.sampled_from(["triangular", "pert"]),
    st.floats(min_value=0, max_value=1),
)
def test_zero_spread_gives_p10_p50_p90_equal_to_the_npv(
    costs: list[float], savings: list[float], distribution: Distribution, correlation: float
) -> None:
    years = min(len(costs), len(savings))
    sure = Case(
        2026,
        years,
        (
            Line("c", "running_cost", tuple(costs[:years])),
            Line("s1", "saving", tuple(savings[:years])),
            Line("s2", "saving", tuple(savings[:years])),
        ),
    )
    npv = appraise(sure).npv
    result = simulate(sure, RiskSettings(draws=500, seed=1, distribution=distribution, savings_correlation=correlation))
    assert result.p10 == result.p50 == result.p90
    assert result.p50 == pytest.approx(npv, rel=1e-12, abs=1e-6)


def test_100000_draws_over_10_years_take_well_under_a_second() -> None:
    case = ten_year_case()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        simulate(case, RiskSettings(draws=100_000, seed=1))
        best = min(best, time.perf_counter() - start)
    assert best < 0.5, f"{best:.3f} s"
