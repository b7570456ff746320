"""The readiness engine: worked examples, the published thresholds, disagreement flags and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines import readiness as r

Q = [
    r.Question("lead-1", "leadership", 1, 5),
    r.Question("lead-2", "leadership", 1, 5),
    r.Question("trust-1", "trust", 1, 5),
]


def test_the_worked_example_in_the_docstring() -> None:
    results = r.score(Q[:2], {"A": {"lead-1": 5, "lead-2": 4}, "B": {"lead-1": 2, "lead-2": 2}})
    leadership = results.factor("leadership")
    assert leadership.by_partner == {"A": 87.5, "B": 25.0}
    assert leadership.score == pytest.approx(56.25)
    assert leadership.rag == "amber"
    flagged = {(d.factor, d.question): d for d in results.disagreements}
    assert flagged[("leadership", None)].gap == pytest.approx(62.5)
    assert flagged[("leadership", None)].values == {"A": 87.5, "B": 25.0}
    # On each question too, with the partners' own answers: 5 against 2 (75 points), 4 against 2 (50).
    assert flagged[("leadership", "lead-1")].values == {"A": 5.0, "B": 2.0}
    assert flagged[("leadership", "lead-2")].gap == pytest.approx(50.0)


def test_overall_is_the_mean_of_the_factors_and_each_partner_counts_once() -> None:
    # A answers both leadership questions, B only one: B still weighs as much as A on the factor.
    results = r.score(Q, {"A": {"lead-1": 5, "lead-2": 5, "trust-1": 1}, "B": {"lead-1": 3, "trust-1": 3}})
    assert results.factor("leadership").score == pytest.approx((100 + 50) / 2)
    assert results.factor("trust").score == pytest.approx((0 + 50) / 2)
    assert results.overall == pytest.approx((75 + 25) / 2)
    assert results.overall_rag == "amber"
    assert results.by_partner_overall == {"A": pytest.approx(50.0), "B": pytest.approx(50.0)}


def test_a_factor_nobody_answered_has_no_score_and_does_not_count_overall() -> None:
    results = r.score(Q, {"A": {"trust-1": 5}})
    assert results.factor("leadership").score is None and results.factor("leadership").rag is None
    assert results.overall == 100.0


@pytest.mark.parametrize(
    "score, expected",
    [
        (0, "red"),
        (39.99, "red"),
        (40, "amber"),
        (40 - 1e-12, "amber"),
        (69.99, "amber"),
        (70, "green"),
        (100, "green"),
        (None, None),
    ],
)
def test_the_published_thresholds(score: float | None, expected: str | None) -> None:
    assert r.rag(score) == expected


@pytest.mark.parametrize("b, flagged", [(6, True), (7, False), (2, True)])
def test_a_disagreement_is_forty_points_of_the_range_or_more(b: int, flagged: bool) -> None:
    """On a 0–10 scale each step is 10 points: 10 against 6 is exactly 40 apart (flagged), against 7 is 30."""
    q = [r.Question("x", "timing", 0, 10)]
    results = r.score(q, {"A": {"x": 10}, "B": {"x": b}})
    assert bool(results.disagreements) is flagged


def test_answers_to_unknown_questions_are_ignored_and_off_scale_ones_are_refused() -> None:
    assert r.score(Q, {"A": {"nope": 3}}).overall is None
    found = r.problems(Q, {"lead-1": 6, "lead-2": 2.5, "nope": 1, "trust-1": 1})
    assert [(q, code) for q, code, _ in found] == [
        ("lead-1", "off_scale"),
        ("lead-2", "off_scale"),
        ("nope", "unknown_question"),
    ]


@pytest.mark.parametrize(
    "status, stage",
    [("idea", "initiate"), ("exploring", "initiate"), ("business_case", "set_up"), ("agreed", "set_up"),
     ("implementing", "implement"), ("live", "operate"), ("under_review", "operate"), ("expanded", "operate"),
     ("ended", "lessons"), ("disaggregated", "lessons")],
)  # fmt: skip
def test_stages_follow_the_status_as_decided(status: str, stage: str) -> None:
    assert r.stage(status) == stage


def test_calibration_waits_for_ten_ended_arrangements() -> None:
    running = [({"leadership": 80.0}, False)] * 30
    ended = [({"leadership": 30.0}, True)] * 9
    assert r.calibrate(running + ended, ["leadership"]) is None
    calibrated = r.calibrate(running + ended + [({"leadership": 30.0}, True)], ["leadership"])
    assert calibrated is not None
    [found] = calibrated
    assert (found.ended_n, found.running_n) == (10, 30)
    assert found.difference == pytest.approx(50.0)


@pytest.mark.parametrize("score, expected", [(None, None), (10, (20.0, 15.0)), (39.9, (20.0, 15.0)), (40, (10.0, 10.0)),
                                             (60, (5.0, 5.0)), (70, None), (95, None)])  # fmt: skip
def test_the_optimism_mapping(score: float | None, expected: tuple[float, float] | None) -> None:
    assert r.optimism_allowance(score) == expected


answers_1_to_5 = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D"]),
    st.fixed_dictionaries({}, optional={q.id: st.integers(1, 5) for q in Q}),
    max_size=4,
)


@given(answers_1_to_5)
def test_every_score_lies_between_0_and_100(answers: dict[str, dict[str, int]]) -> None:
    results = r.score(Q, answers)
    for f in results.factors:
        assert f.score is None or 0 <= f.score <= 100
        assert all(0 <= v <= 100 for v in f.by_partner.values())
    assert results.overall is None or 0 <= results.overall <= 100


@given(answers_1_to_5)
def test_the_order_of_the_partners_does_not_matter(answers: dict[str, dict[str, int]]) -> None:
    forwards = r.score(Q, answers)
    backwards = r.score(Q, dict(reversed(list(answers.items()))))
    assert (
        forwards.overall == pytest.approx(backwards.overall)
        if forwards.overall is not None
        else backwards.overall is None
    )
    assert [(d.factor, d.question) for d in forwards.disagreements] == [
        (d.factor, d.question) for d in backwards.disagreements
    ]


@given(st.fixed_dictionaries({q.id: st.integers(1, 5) for q in Q}), st.integers(2, 5))
def test_partners_who_answer_alike_never_disagree(given_answers: dict[str, int], partners: int) -> None:
    results = r.score(Q, {f"P{i}": given_answers for i in range(partners)})
    assert results.disagreements == []


@given(answers_1_to_5, st.integers(-20, 20))
def test_moving_the_scale_moves_nothing(answers: dict[str, dict[str, int]], shift: int) -> None:
    moved_q = [r.Question(q.id, q.factor, q.min + shift, q.max + shift) for q in Q]
    moved = {p: {k: v + shift for k, v in given.items()} for p, given in answers.items()}
    a, b = r.score(Q, answers), r.score(moved_q, moved)
    for before, after in zip(a.factors, b.factors, strict=True):
        assert (before.score is None) == (after.score is None)
        assert before.score is None or after.score == pytest.approx(before.score)
    assert [(d.factor, d.question) for d in a.disagreements] == [(d.factor, d.question) for d in b.disagreements]


@given(st.floats(0, 100), st.floats(0, 100))
def test_a_lower_score_never_gets_a_smaller_allowance(low: float, high: float) -> None:
    low, high = min(low, high), max(low, high)
    at_low, at_high = r.optimism_allowance(low) or (0.0, 0.0), r.optimism_allowance(high) or (0.0, 0.0)
    assert at_low[0] >= at_high[0] and at_low[1] >= at_high[1]
