"""Optimism bias: the guidance's upper bounds, mitigation, and a reason for every adjustment."""

from __future__ import annotations

import pytest

from engines.appraisal import (
    UPPER_BOUNDS,
    Case,
    InvalidCase,
    Line,
    OptimismBias,
    ReferenceClass,
    apply,
    appraise,
    from_guidance,
    savings_cut,
)
from engines.appraisal.optimism import Adjustment


def three_lines() -> Case:
    return Case(
        2026,
        3,
        (
            Line("ICT", "one_off_cost", (1000.0, 0.0, 0.0), low=(900.0, 0.0, 0.0), high=(1500.0, 0.0, 0.0)),
            Line("Contract", "running_cost", (100.0, 100.0, 100.0)),
            Line("Staff", "saving", (0.0, 800.0, 800.0)),
        ),
    )


@pytest.mark.parametrize(
    "key, capital, duration",
    [("standard_buildings", 24, 4), ("non_standard_buildings", 51, 39), ("standard_civil_engineering", 44, 20),
     ("non_standard_civil_engineering", 66, 25), ("equipment_development", 200, 54)],
)  # fmt: skip
def test_the_guidance_upper_bounds(key: str, capital: float, duration: float) -> None:
    bound = UPPER_BOUNDS[key]
    assert (bound.capital_cost_pct, bound.duration_pct, bound.operating_cost_pct) == (capital, duration, None)


def test_outsourcing_bounds_the_operating_cost() -> None:
    assert UPPER_BOUNDS["outsourcing"].operating_cost_pct == 41
    bias = from_guidance("outsourcing")
    assert [(a.target, a.amount) for a in bias.adjustments] == [("running_costs", 41)]
    adjusted = apply(three_lines(), bias)
    assert adjusted.lines[1].amounts == pytest.approx((141.0, 141.0, 141.0))
    assert adjusted.lines[0] == three_lines().lines[0]


def test_mitigation_reduces_the_bound_and_is_recorded_with_its_reason() -> None:
    bias = from_guidance("equipment_development", mitigation=0.25, implementation_years=2,
                         mitigation_reason="fixed-price contract")  # fmt: skip
    capital, delay = bias.adjustments
    assert (capital.target, capital.amount) == ("one_off_costs", 150)
    assert delay.target == "savings_delay" and delay.amount == pytest.approx(2 * 0.54 * 0.75)
    assert "upper bound of 200%" in capital.reason and "25% mitigation (fixed-price contract)" in capital.reason
    assert "Green Book" in capital.source
    adjusted = apply(three_lines(), bias)
    assert adjusted.lines[0].amounts[0] == 2500  # £1,000 + 150%
    assert adjusted.lines[0].highs[0] == 3750  # the risk range moves with it
    # Savings 0.81 years later: 81% of year 1's £800 slips into year 2, year 2's past the end.
    assert adjusted.lines[2].amounts == pytest.approx((0.0, 800 * 0.19, 800 * 0.19 + 800 * 0.81))


def test_the_simple_form_the_api_takes() -> None:
    bias = OptimismBias.simple(costs_pct=10, savings_pct=20, delay_years=1, reason="Board's view")
    assert {a.target for a in bias.adjustments} == {"one_off_costs", "running_costs", "savings", "savings_delay"}
    assert all(a.reason == "Board's view" for a in bias.adjustments)
    adjusted = apply(three_lines(), bias)
    assert adjusted.lines[0].amounts[0] == pytest.approx(1100)
    assert adjusted.lines[1].amounts == pytest.approx((110.0,) * 3)
    assert adjusted.lines[2].amounts == pytest.approx((0.0, 0.0, 640.0))
    assert appraise(adjusted).npv < appraise(three_lines()).npv
    assert OptimismBias.simple().adjustments == ()


def test_a_reference_class_cuts_savings_only_when_it_rests_on_five_or_more() -> None:
    five = ReferenceClass(ratio=0.6, count=5, description="Shared revenues and benefits services")
    cut = savings_cut(five, fallback_pct=15, fallback_reason="Generic bound")
    assert cut.amount == pytest.approx(40) and "5 arrangements achieved 60%" in cut.reason
    few = savings_cut(ReferenceClass(0.9, 4, "x"), fallback_pct=15, fallback_reason="Generic bound")
    assert few.amount == 15 and "only 4 comparable" in few.reason
    assert savings_cut(None, 15, "Generic bound").amount == 15
    better = savings_cut(ReferenceClass(1.2, 9, "x"), 15, "Generic bound")
    assert better.amount == 0  # doing better than expected is no reason to raise the savings


@pytest.mark.parametrize(
    "adjustment, field",
    [(Adjustment("savings", 120, "x"), "optimism_bias.adjustments[0].amount"),
     (Adjustment("one_off_costs", -5, "x"), "optimism_bias.adjustments[0].amount"),
     (Adjustment("savings_delay", -1, "x"), "optimism_bias.adjustments[0].amount")],
)  # fmt: skip
def test_adjustments_out_of_range_are_refused(adjustment: Adjustment, field: str) -> None:
    with pytest.raises(InvalidCase) as raised:
        apply(three_lines(), OptimismBias((adjustment,)))
    assert [p.field for p in raised.value.problems] == [field]


def test_an_unknown_project_type_names_the_field() -> None:
    with pytest.raises(InvalidCase) as raised:
        from_guidance("castles")
    assert raised.value.problems[0].field == "optimism_bias.project_type"
