"""The split between partners: shares that sum to the total, and the Shapley value's axioms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engines.appraisal import (
    Case,
    Coalition,
    InvalidCase,
    Line,
    Partner,
    SplitSettings,
    apportion,
    appraise,
    shapley_exact,
    split_case,
)
from engines.appraisal.split import EXACT_LIMIT, METHODS, CostGame, FloatArray, in_core


def simple_case(cost: float = 1000.0, saving: float = 300.0, years: int = 5) -> Case:
    return Case(
        2026,
        years,
        (
            Line("Set-up", "one_off_cost", (cost,) + (0.0,) * (years - 1)),
            Line("Savings", "saving", (saving,) * years),
        ),
    )


THREE = [Partner("A", population=50, standalone_cost=600), Partner("B", population=25, standalone_cost=300),
         Partner("C", population=25, standalone_cost=300)]  # fmt: skip


def test_an_equal_split_of_a_pound_that_will_not_divide() -> None:
    result = split_case(simple_case(cost=100, saving=0, years=1), [Partner("A"), Partner("B"), Partner("C")])
    assert [p.costs for p in result.partners] == [34, 33, 33]
    assert [p.net for p in result.partners] == [-34, -33, -33]


def test_a_population_split() -> None:
    result = split_case(simple_case(), THREE, SplitSettings("population"))
    assert [p.share for p in result.partners] == [0.5, 0.25, 0.25]
    assert [p.costs for p in result.partners] == [500, 250, 250]
    assert [p.savings for p in result.partners] == [750, 375, 375]  # £1,500 saved over 5 years
    npv = appraise(simple_case()).npv
    assert sum(p.npv for p in result.partners) == round(npv)
    assert all(p.payback_years == pytest.approx(10 / 3) for p in result.partners)


def test_a_custom_split_and_its_problems() -> None:
    result = split_case(simple_case(), THREE, SplitSettings("custom", shares={"A": 60, "B": 30, "C": 10}))
    assert [p.costs for p in result.partners] == [600, 300, 100]
    for shares, code in [({"A": 60, "B": 30, "C": 5}, "not_100"), ({"A": 60, "B": 40}, "partners"),
                         ({"A": 60, "B": 30, "C": 5, "Z": 5}, "partners")]:  # fmt: skip
        with pytest.raises(InvalidCase) as raised:
            split_case(simple_case(), THREE, SplitSettings("custom", shares=shares))
        assert [(p.field, p.code) for p in raised.value.problems] == [("split.shares", code)]


def test_a_baseline_split_needs_every_baseline() -> None:
    with pytest.raises(InvalidCase) as raised:
        split_case(simple_case(), [Partner("A", baseline=10), Partner("B")], SplitSettings("baseline"))
    assert [p.field for p in raised.value.problems] == ["partners[1].baseline"]


def test_the_shapley_split_of_an_airport_game_by_hand() -> None:
    # Stand-alone £600, £300, £300; together £1,000 (the case's set-up cost). θ = (1200 − 1000)
    # / (1200 − 600) = 1/3. Each pays 2/3 of its stand-alone cost for the work, plus a share
    # of the capacity it uses: the first £300 × θ = £100 by all three, the next £100 by A.
    result = split_case(simple_case(), THREE, SplitSettings("shapley"))
    assert result.shared_fraction == pytest.approx(1 / 3)
    assert [p.costs for p in result.partners] == [534, 233, 233]
    assert sum(p.costs for p in result.partners) == 1000
    assert result.in_core is True and result.exact is True
    assert [p.gain_over_alone for p in result.partners] == [67, 67, 67]
    assert not any(p.worse_off_than_alone for p in result.partners)
    assert result.coalitions_estimated == 3


def test_an_entered_coalition_cost_changes_the_shapley_split() -> None:
    entered = SplitSettings("shapley", coalition_costs=(Coalition(("B", "C"), 350.0),))
    result = split_case(simple_case(), THREE, entered)
    modelled = split_case(simple_case(), THREE, SplitSettings("shapley"))
    assert result.partners[0].costs > modelled.partners[0].costs  # B and C together are cheap without A
    assert result.coalitions_estimated == 2


def test_a_partner_paying_more_than_alone_is_flagged_and_the_split_is_not_in_the_core() -> None:
    result = split_case(simple_case(), THREE, SplitSettings("custom", shares={"A": 10, "B": 10, "C": 80}))
    assert [p.worse_off_than_alone for p in result.partners] == [False, False, True]
    assert result.in_core is False
    assert [p.much_less_than_proportional for p in result.partners] == [False, False, True]


def test_without_stand_alone_costs_worse_off_means_a_negative_npv() -> None:
    losing = simple_case(cost=5000)
    result = split_case(losing, [Partner("A"), Partner("B")])
    assert all(p.worse_off_than_alone for p in result.partners)
    assert result.in_core is None


@pytest.mark.parametrize(
    "partners, split_settings, field",
    [
        ([Partner("A"), Partner("B")], SplitSettings("shapley"), "partners[0].standalone_cost"),
        ([Partner("A", standalone_cost=1), Partner("A", standalone_cost=1)], SplitSettings(), "partners[1].code"),
        (THREE, SplitSettings("shapley", coalition_costs=(Coalition(("A", "Z"), 1.0),)),
         "split.coalition_costs[0].members"),
        (THREE, SplitSettings("shapley", coalition_costs=(Coalition(("A", "B", "C"), 5.0),)),
         "split.coalition_costs[0].cost"),
        (THREE, SplitSettings("shapley", shared_fraction=1.5), "split.shared_fraction"),
        ([], SplitSettings(), "partners"),
    ],
)  # fmt: skip
def test_split_problems_name_the_field(partners: list[Partner], split_settings: SplitSettings, field: str) -> None:
    with pytest.raises(InvalidCase) as raised:
        split_case(simple_case(), partners, split_settings)
    assert field in [p.field for p in raised.value.problems]


def test_a_singleton_coalition_stands_in_for_a_stand_alone_cost() -> None:
    entered = SplitSettings("shapley", coalition_costs=(Coalition(("A",), 600.0),))
    partners = [Partner("A"), THREE[1], THREE[2]]
    assert [p.costs for p in split_case(simple_case(), partners, entered).partners] == [534, 233, 233]


def test_sampled_shapley_is_close_to_exact_and_seeded() -> None:
    standalone = np.array([100.0, 200.0, 300.0, 400.0, 150.0, 250.0, 50.0, 500.0])
    game = CostGame(standalone, grand=1200.0, shared_fraction=0.4, entered={0b11: 250.0})
    exact = shapley_exact(game.all_costs())
    sampled = game.sampled_shapley(20_000, seed=1)
    assert sampled.sum() == pytest.approx(1200)  # each order's marginals sum to c(all)
    assert sampled == pytest.approx(exact, abs=5)
    assert np.array_equal(sampled, game.sampled_shapley(20_000, seed=1))


def test_more_than_twelve_partners_are_sampled() -> None:
    partners = [Partner(f"P{i}", standalone_cost=100.0 + 10 * i) for i in range(EXACT_LIMIT + 1)]
    result = split_case(simple_case(cost=1500), partners, SplitSettings("shapley", permutations=2000, seed=4))
    assert result.exact is False and result.permutations == 2000
    assert sum(p.costs for p in result.partners) == 1500
    assert result.in_core is None  # only the known coalitions were checked, and they hold
    assert any("known coalitions" in note for note in result.notes)


def test_a_count_based_scale_model_would_charge_a_small_partner_less_than_nothing() -> None:
    # Why the airport model: with c(S) = (Σ s) |S|^(-e), a £1 partner joining a £100 one
    # "saves" 2^-e of £101, more than it costs, and Shapley credits it with that.
    standalone, e = np.array([100.0, 50.0, 1.0]), 0.1
    count_based = np.zeros(8)
    for mask in range(1, 8):
        members = [i for i in range(3) if mask >> i & 1]
        count_based[mask] = standalone[members].sum() * len(members) ** -e
    assert shapley_exact(count_based)[2] < 0  # -£2.58
    # The airport model calibrated to the same total charges it a little under its £1.
    theta = (standalone.sum() - count_based[7]) / (standalone.sum() - standalone.max())
    airport = CostGame(standalone, grand=float(count_based[7]), shared_fraction=theta, entered={})
    assert 0 < shapley_exact(airport.all_costs())[2] < 1


# --- Properties ------------------------------------------------------------------------

pounds = st.floats(min_value=0, max_value=1e7, allow_nan=False)


@given(st.integers(-(10**9), 10**9), st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=20))
def test_apportioned_pounds_always_sum_to_the_amount(amount: int, weights: list[float]) -> None:
    assume(sum(weights) > 0)
    shares = apportion(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    assert all(abs(s - amount * w / total) < 1 + 1e-6 for s, w in zip(shares, weights, strict=True))


@st.composite
def partners_and_method(draw: st.DrawFn) -> tuple[list[Partner], SplitSettings]:
    n = draw(st.integers(1, 8))
    method = draw(st.sampled_from(METHODS))
    partners = [
        Partner(f"P{i}", population=draw(st.floats(1, 1e6)), baseline=draw(st.floats(1, 1e8)),
                usage=draw(st.floats(1, 1e4)), standalone_cost=draw(st.floats(1, 1e7)))
        for i in range(n)
    ]  # fmt: skip
    shares = None
    if method == "custom":
        raw = [draw(st.integers(1, 100)) for _ in range(n)]
        parts = apportion(100, raw)
        shares = {p.code: float(s) for p, s in zip(partners, parts, strict=True)}
    return partners, SplitSettings(method, shares=shares)


@settings(max_examples=150, deadline=None)
@given(partners_and_method(), st.lists(pounds, min_size=1, max_size=10), st.lists(pounds, min_size=1, max_size=10))
def test_a_split_always_sums_to_the_total(
    chosen: tuple[list[Partner], SplitSettings], costs: list[float], savings: list[float]
) -> None:
    partners, how = chosen
    years = min(len(costs), len(savings))
    costs = [costs[0] + 1] + costs[1:years]  # a Shapley split needs something to share
    case = Case(2026, years, (Line("c", "running_cost", tuple(costs)), Line("s", "saving", tuple(savings[:years]))))
    result = split_case(case, partners, how)
    appraisal = appraise(case)
    assert sum(p.costs for p in result.partners) == round(sum(costs))
    assert sum(p.savings for p in result.partners) == round(sum(savings[:years]))
    assert sum(p.net for p in result.partners) == round(sum(savings[:years])) - round(sum(costs))
    assert sum(p.npv for p in result.partners) == round(appraisal.npv)
    assert all(p.net == p.savings - p.costs for p in result.partners)


@st.composite
def games(draw: st.DrawFn, max_players: int = 7) -> FloatArray:
    n = draw(st.integers(1, max_players))
    costs = np.array([0.0] + [draw(st.floats(0, 1e6)) for _ in range((1 << n) - 1)])
    return costs


@given(games())
def test_shapley_is_efficient(costs: FloatArray) -> None:
    assert shapley_exact(costs).sum() == pytest.approx(costs[-1], rel=1e-9, abs=1e-6)


def _swap(mask: int, i: int, j: int) -> int:
    bi, bj = mask >> i & 1, mask >> j & 1
    return mask & ~((1 << i) | (1 << j)) | (bi << j) | (bj << i)


@given(games(), st.data())
def test_shapley_treats_symmetric_partners_alike(costs: FloatArray, data: st.DataObject) -> None:
    n = int(math.log2(len(costs)))
    assume(n >= 2)
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    # Make i and j interchangeable: a coalition costs the same with them swapped.
    symmetric = np.array([min(costs[m], costs[_swap(m, i, j)]) for m in range(len(costs))])
    values = shapley_exact(symmetric)
    assert values[i] == pytest.approx(values[j], rel=1e-9, abs=1e-6)


@given(games(max_players=6), st.floats(0, 1e6))
def test_a_dummy_partner_pays_exactly_its_own_cost(costs: FloatArray, own: float) -> None:
    # A partner that adds exactly `own` to every coalition it joins.
    n = int(math.log2(len(costs)))
    extended = np.concatenate((costs, costs + own))
    values = shapley_exact(extended)
    assert values[n] == pytest.approx(own, rel=1e-9, abs=1e-6)


@settings(deadline=None)
@given(st.lists(st.floats(1, 1e6), min_size=1, max_size=8), st.floats(0, 1))
def test_the_airport_model_charges_between_its_variable_and_stand_alone_cost_and_is_in_the_core(
    standalone: list[float], theta: float
) -> None:
    s = np.array(standalone)
    grand = float((1 - theta) * s.sum() + theta * s.max())
    game = CostGame(s, grand=grand, shared_fraction=theta, entered={})
    costs = game.all_costs()
    values = shapley_exact(costs)
    assert np.all(values <= s + 1e-6) and np.all(values >= (1 - theta) * s - 1e-6)
    assert in_core(values, costs, tolerance=1e-6 * grand + 1e-6)
