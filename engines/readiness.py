"""Scoring a readiness assessment: pure computation, no Django.

Every answer is put on one footing first: its place in its question's scale as a percentage
of the scale's range, `(value − min) / (max − min) × 100`, so 1 on a 1–5 scale is 0% and 5
is 100%. Then:

- a partner's score on a factor is the mean of its answers' percentages on that factor's
  questions; a partner that answered none of them has no score there;
- a factor's score is the mean of the partners' scores on it (each partner counts once,
  however many questions it answered), and the overall score the mean of the factor scores;
- red, amber or green: green at 70% or above, amber from 40% to below 70%, red below 40%;
- a disagreement is two partners 40 percentage points of the range or more apart, on a factor
  (their factor scores) or on one question (their answers).

Worked example (two partners, one factor with two 1–5 questions): A answers 5 and 4, so
(100 + 75) / 2 = 87.5%; B answers 2 and 2, so 25%. The factor scores (87.5 + 25) / 2 =
56.25%, amber, and A and B disagree on it by 62.5 points; on each question too (75 and 50).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

GREEN_AT = 70.0
AMBER_AT = 40.0
DISAGREEMENT_AT = 40.0
# Floating-point slack on the boundaries, so that 40.0000000001 and 39.9999999999 both count as 40.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Question:
    id: str
    factor: str
    min: int
    max: int

    def percent(self, value: float) -> float:
        """The answer's place in the scale's range, 0–100."""
        return (value - self.min) / (self.max - self.min) * 100.0


@dataclass(frozen=True)
class Disagreement:
    factor: str
    question: str | None  # None: on the factor as a whole
    values: dict[str, float]  # partner -> score (a factor) or answer (a question)
    gap: float  # percentage points of the range between the furthest apart


@dataclass(frozen=True)
class FactorResult:
    factor: str
    score: float | None
    rag: str | None
    by_partner: dict[str, float]


@dataclass
class Results:
    factors: list[FactorResult]
    overall: float | None
    overall_rag: str | None
    by_partner_overall: dict[str, float]
    disagreements: list[Disagreement] = field(default_factory=list)

    def factor(self, key: str) -> FactorResult:
        return next(f for f in self.factors if f.factor == key)


def rag(score: float | None) -> str | None:
    """Red, amber or green from the published thresholds; None with no score."""
    if score is None:
        return None
    if score >= GREEN_AT - _EPSILON:
        return "green"
    if score >= AMBER_AT - _EPSILON:
        return "amber"
    return "red"


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _apart(values: Mapping[str, float]) -> float:
    return max(values.values()) - min(values.values()) if len(values) > 1 else 0.0


def score(
    questions: Sequence[Question],
    answers: Mapping[str, Mapping[str, float]],
    factors: Sequence[str] | None = None,
) -> Results:
    """Score `answers` ({partner: {question id: value}}) against `questions`.

    `factors` orders the result (default: the order the questions first name them). Answers to
    questions not in `questions` are ignored; a value outside its scale is the caller's problem
    to refuse (`problems`), and is clipped here so a score stays within 0–100.
    """
    by_id = {q.id: q for q in questions}
    order = list(factors) if factors is not None else list(dict.fromkeys(q.factor for q in questions))
    percents: dict[str, dict[str, dict[str, float]]] = {}  # factor -> partner -> question -> %
    for partner, given in answers.items():
        for question_id, value in given.items():
            question = by_id.get(question_id)
            if question is None:
                continue
            percent = min(100.0, max(0.0, question.percent(value)))
            percents.setdefault(question.factor, {}).setdefault(partner, {})[question_id] = percent

    results: list[FactorResult] = []
    disagreements: list[Disagreement] = []
    partner_factor_scores: dict[str, list[float]] = {}
    for key in order:
        partners = percents.get(key, {})
        by_partner = {p: m for p, qs in sorted(partners.items()) if (m := _mean(list(qs.values()))) is not None}
        factor_score = _mean(list(by_partner.values()))
        results.append(FactorResult(key, factor_score, rag(factor_score), by_partner))
        for partner, value in by_partner.items():
            partner_factor_scores.setdefault(partner, []).append(value)
        if _apart(by_partner) >= DISAGREEMENT_AT - _EPSILON:
            disagreements.append(Disagreement(key, None, dict(by_partner), _apart(by_partner)))
        question_ids = sorted({q for qs in partners.values() for q in qs}, key=lambda q: list(by_id).index(q))
        for question_id in question_ids:
            given_percent = {p: qs[question_id] for p, qs in sorted(partners.items()) if question_id in qs}
            if _apart(given_percent) >= DISAGREEMENT_AT - _EPSILON:
                raw = {p: float(answers[p][question_id]) for p in given_percent}
                disagreements.append(Disagreement(key, question_id, raw, _apart(given_percent)))

    overall = _mean([r.score for r in results if r.score is not None])
    partner_overall = {p: m for p, values in sorted(partner_factor_scores.items()) if (m := _mean(values)) is not None}
    return Results(results, overall, rag(overall), partner_overall, disagreements)


def problems(questions: Sequence[Question], given: Mapping[str, float]) -> list[tuple[str, str, str]]:
    """(question id, code, message) for each answer that is to no known question or off its scale."""
    by_id = {q.id: q for q in questions}
    found: list[tuple[str, str, str]] = []
    for question_id, value in given.items():
        question = by_id.get(question_id)
        if question is None:
            found.append((question_id, "unknown_question", f"There is no question “{question_id}” at this stage"))
        elif not (question.min <= value <= question.max) or value != int(value):
            found.append(
                (
                    question_id,
                    "off_scale",
                    f"Answer with a whole number from {question.min} to {question.max}",
                )
            )
    return found


@dataclass(frozen=True)
class FactorCalibration:
    factor: str
    ended_mean: float | None
    ended_n: int
    running_mean: float | None
    running_n: int

    @property
    def difference(self) -> float | None:
        if self.ended_mean is None or self.running_mean is None:
            return None
        return self.running_mean - self.ended_mean


MINIMUM_ENDED = 10


def calibrate(
    assessed: Sequence[tuple[Mapping[str, float], bool]], factors: Sequence[str]
) -> list[FactorCalibration] | None:
    """For each factor, the mean score of arrangements that ended or were disaggregated against
    those still running, with how many each rests on. `assessed` is one (factor scores, ended?)
    per arrangement. None until at least `MINIMUM_ENDED` ended arrangements have assessments:
    fewer cannot tell factors apart."""
    ended = [scores for scores, is_ended in assessed if is_ended]
    if len(ended) < MINIMUM_ENDED:
        return None
    running = [scores for scores, is_ended in assessed if not is_ended]
    out = []
    for key in factors:
        e = [s[key] for s in ended if key in s]
        r = [s[key] for s in running if key in s]
        out.append(FactorCalibration(key, _mean(e), len(e), _mean(r), len(r)))
    return out


STAGES = {
    "idea": "initiate",
    "exploring": "initiate",
    "business_case": "set_up",
    "agreed": "set_up",
    "implementing": "implement",
    "live": "operate",
    "under_review": "operate",
    "expanded": "operate",
    "ended": "lessons",
    "disaggregated": "lessons",
}
STAGE_LABELS = {
    "initiate": "Initiate",
    "set_up": "Set up",
    "implement": "Implement",
    "operate": "Operate",
    "lessons": "Lessons learned",
}


def stage(status: str) -> str:
    """The assessment's stage from an arrangement's status (the issue's decision)."""
    return STAGES[status]


# A low readiness score suggests a larger optimism bias allowance in the business case.
# Documented mapping (overall readiness -> extra % cut to savings, extra % uplift to costs):
OPTIMISM_STEPS: tuple[tuple[float, float, float], ...] = (
    # (score below, savings cut %, cost uplift %)
    (40.0, 20.0, 15.0),
    (55.0, 10.0, 10.0),
    (70.0, 5.0, 5.0),
)


def optimism_allowance(overall: float | None) -> tuple[float, float] | None:
    """(extra savings cut %, extra cost uplift %) for an overall readiness score; None when
    the score is green (70% or above) or unknown: no extra allowance is suggested."""
    if overall is None:
        return None
    for below, savings_cut, cost_uplift in OPTIMISM_STEPS:
        if overall < below - _EPSILON:
            return savings_cut, cost_uplift
    return None
