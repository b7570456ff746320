"""The cumulative cash-flow band: the same trials as the risk analysis, year by year."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.appraisal import Case, Line, RiskSettings, appraise, simulate
from engines.appraisal.risk import Distribution, cumulative_band


def _case(cost: float, saving: float, spread: float) -> Case:
    return Case(
        2026,
        4,
        (
            Line("Set-up", "one_off_cost", (cost, 0, 0, 0), low=(cost * (1 - spread), 0, 0, 0),
                 high=(cost * (1 + spread), 0, 0, 0)),
            Line("Savings", "saving", (0, saving, saving, saving), low=(0,) + (saving * (1 - spread),) * 3,
                 high=(0,) + (saving * (1 + spread),) * 3),
        ),
    )  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(st.floats(1, 1e6), st.floats(1, 1e6), st.floats(0, 0.9), st.sampled_from(["triangular", "pert"]))
def test_the_last_year_of_the_band_is_the_risk_analysis_p10_and_p90(
    cost: float, saving: float, spread: float, distribution: Distribution
) -> None:
    case = _case(cost, saving, spread)
    how = RiskSettings(2000, 3, distribution)
    low, high = cumulative_band(case, how)
    risk = simulate(case, how)
    assert low[-1] == pytest.approx(risk.p10, rel=1e-9, abs=1e-6)
    assert high[-1] == pytest.approx(risk.p90, rel=1e-9, abs=1e-6)
    assert all(a <= b + 1e-6 for a, b in zip(low, high, strict=True))


def test_no_spread_closes_the_band_on_the_cumulative_flow() -> None:
    case = _case(1000, 400, 0)
    low, high = cumulative_band(case, RiskSettings(500, 1))
    expected = [f.cumulative_present_value for f in appraise(case).flows]
    assert list(low) == pytest.approx(expected) and list(high) == pytest.approx(expected)
