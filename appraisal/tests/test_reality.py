"""The reality check and the reference class, on a small seeded register: only signed-off figures count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal import reality
from arrangements.models import Arrangement
from arrangements.tests.factories import LedgerEntryFactory
from engines.appraisal import reality as engine
from services.models import ServiceCategory


def seed(n: int, category: str, model: str, achieved_pct: float, standing: str = "signed_off") -> list[Arrangement]:
    """`n` arrangements with a £1m baseline, expected savings of 10% and achieved of `achieved_pct`%."""
    made = []
    for i in range(n):
        a = Arrangement.objects.create(
            title=f"{category} {model} {standing} {i}", description="x", delivery_model=model, status="live",
            published=True,
        )  # fmt: skip
        a.categories.add(ServiceCategory.objects.get(key=category))
        LedgerEntryFactory(arrangement=a, measure="baseline_cost", period="2020/21", amount=1_000_000,
                           standing="reported")  # fmt: skip
        LedgerEntryFactory(arrangement=a, measure="expected_saving", period="2021/22", amount=100_000)
        amount = int(achieved_pct * 10_000) + i * 1_000
        LedgerEntryFactory(arrangement=a, measure="achieved_saving", period="2021/22", amount=amount, standing=standing)
        made.append(a)
    return made


def test_the_percentile_moves_only_with_signed_off_figures(arrangement):
    seed(5, "legal", "joint_committee", 2.0)  # 2.0% to 2.4% of baseline, signed off
    check, note = reality.reality_check(arrangement, annual_savings=60_000, baseline=2_000_000)  # claims 3%
    assert check.count == 5 and check.percentile == 100 and check.warning
    assert "5 arrangements in legal services" in note.lower()
    # Five more, far higher but only reported: nothing moves.
    seed(5, "legal", "joint_committee", 20.0, standing="reported")
    again, _ = reality.reality_check(arrangement, annual_savings=60_000, baseline=2_000_000)
    assert again == check
    # Five signed off at 20%: now the claim is ordinary.
    seed(5, "legal", "joint_committee", 20.0)
    ordinary, _ = reality.reality_check(arrangement, annual_savings=60_000, baseline=2_000_000)
    assert ordinary.count == 10 and ordinary.percentile == 50 and ordinary.warning is None


def test_too_few_in_the_category_uses_the_delivery_model_then_the_published_points(arrangement):
    seed(4, "legal", arrangement.delivery_model, 2.0)
    check, note = reality.reality_check(arrangement, 60_000, 2_000_000)
    assert "published reference points" in note and check.count == len(reality.reference_points())
    seed(1, "audit", arrangement.delivery_model, 2.0)
    check, note = reality.reality_check(arrangement, 60_000, 2_000_000)
    assert check.count == 5 and "run by lead authority delegation" in note


def test_the_reference_class_is_achieved_over_expected(arrangement):
    assert reality.reference_class(arrangement) is None
    seed(5, "legal", "joint_committee", 5.0)  # 50,000 to 54,000 against 100,000 expected
    found = reality.reference_class(arrangement)
    assert found.count == 5 and found.ratio == pytest.approx(0.52)


def test_the_published_points_are_worked_from_their_figures():
    points = {p.name: p.share_pct for p in reality.reference_points()}
    assert points["Hoople Ltd, Herefordshire (2011)"] == pytest.approx(620_000 / 11_500_000 * 100)
    assert all(p.source for p in reality.reference_points())


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.floats(-1e6, 1e6))
def test_a_percentile_is_between_0_and_100_and_rises_with_the_value(references, value):
    rank = engine.percentile(value, references)
    assert rank is not None and 0 <= rank <= 100
    assert engine.percentile(value + 1, references) >= rank


def test_above_the_90th_percentile_warns():
    refs = [float(i) for i in range(1, 21)]
    assert engine.check(17, 100, refs, "x").warning is None  # 82.5th
    assert engine.check(19, 100, refs, "x").warning is not None  # 92.5th
    assert engine.check(25, 100, refs, "x").warning is not None
    assert engine.check(5, None, refs, "x").claimed_pct is None


def test_a_case_cuts_its_savings_by_the_reference_class_with_the_reason(arrangement):
    from appraisal import inputs
    from appraisal.tests.factories import case_data

    data = case_data()
    data["optimism_bias"].update(savings_from_register=True, savings_pct=15, savings_reason="Our finance team's view")
    few = inputs.evaluate(data, arrangement).bias.adjustments
    cut = next(a for a in few if a.target == "savings")
    assert cut.amount == 15 and "Our finance team's view" in cut.reason
    seed(5, "legal", "joint_committee", 5.0)  # achieved 52% of expected, at the median
    results = inputs.evaluate(data, arrangement)
    cut = next(a for a in results.bias.adjustments if a.target == "savings")
    assert cut.amount == pytest.approx(48) and cut.source == "the register"
    assert "5 arrangements achieved 52%" in cut.reason
    uncut = inputs.evaluate({**data, "optimism_bias": {**data["optimism_bias"], "savings_from_register": False,
                                                        "savings_pct": 0}}, arrangement)  # fmt: skip
    assert results.appraisal.pv_savings == pytest.approx(uncut.appraisal.pv_savings * 0.52)


def test_the_cash_flow_band_closes_on_the_line_without_spread(arrangement):
    from appraisal import inputs
    from appraisal.tests.factories import case_data

    data = case_data()
    for line in data["lines"]:
        line["low"] = line["high"] = None
    results = inputs.evaluate(data, arrangement)
    for flow, (low, high) in zip(results.appraisal.flows, results.cash_band, strict=True):
        assert low == pytest.approx(flow.cumulative_present_value) == pytest.approx(high)
