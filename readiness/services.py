"""Reads for readiness: the current round, its scores (through `engines.readiness`), the trend
across rounds, the action plan, the checklists and calibration against the register's outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from arrangements.models import Arrangement, Status
from engines import readiness as engine
from evidence.models import Checklist, Factor, Source
from readiness import questions
from readiness.models import Answer, Round

ENDED = (Status.ENDED, Status.DISAGGREGATED)


def current_round(arrangement) -> Round | None:
    return arrangement.readiness_rounds.order_by("-number").first()


def action_plan(arrangement) -> list:
    """The arrangement's actions, open ones first, soonest due first (the model's order)."""
    return list(arrangement.readiness_actions.select_related("owner"))


def stage_of(arrangement) -> str:
    return engine.stage(arrangement.status)


def answers_by_partner(round_: Round) -> dict[str, dict[str, Answer]]:
    """{organisation code: {question id: answer}}."""
    found: dict[str, dict[str, Answer]] = {}
    for answer in round_.answers.select_related("organisation"):
        found.setdefault(answer.organisation.code, {})[answer.question] = answer
    return found


def score_round(round_: Round) -> engine.Results:
    given = {code: {q: a.value for q, a in qs.items()} for code, qs in answers_by_partner(round_).items()}
    asked = questions.for_stage(round_.stage, "full")
    return engine.score([q.for_engine() for q in asked], given, factors=questions.factor_keys())


@dataclass
class RoundTrend:
    round: Round
    results: engine.Results


def trend(arrangement) -> list[RoundTrend]:
    return [RoundTrend(r, score_round(r)) for r in arrangement.readiness_rounds.order_by("number")]


def factor_labels() -> dict[str, str]:
    return dict(Factor.objects.values_list("key", "label"))


def checklists(results: engine.Results | None) -> list[dict]:
    """Each checklist item with where the partnership stands on it: the weakest RAG of its factors."""
    order = {"red": 0, "amber": 1, "green": 2}
    out = []
    for checklist in Checklist.objects.select_related("source").prefetch_related("items__factors"):
        items = []
        for item in checklist.items.all():
            keys = [f.key for f in item.factors.all()]
            by_key = {f.factor: f.rag for f in results.factors} if results is not None else {}
            rags = [by_key[k] for k in keys if by_key.get(k)]
            status = min(rags, key=order.__getitem__) if rags else None
            items.append({"item": item, "factors": list(item.factors.all()), "rag": status})
        out.append({"checklist": checklist, "items": items})
    return out


def sources_for(factor_key: str):
    return Source.objects.filter(factors__key=factor_key).order_by("-year", "title")


def calibration() -> tuple[int, list[engine.FactorCalibration] | None]:
    """How many ended or disaggregated arrangements have an assessment, and (once there are at
    least `engine.MINIMUM_ENDED`) each factor's mean score for ended against running ones.
    Each arrangement counts with its latest round that has answers."""
    assessed: list[tuple[dict[str, float], bool]] = []
    ended_count = 0
    arrangements = Arrangement.objects.alive().filter(readiness_rounds__answers__isnull=False).distinct()
    for arrangement in arrangements:
        latest = arrangement.readiness_rounds.filter(answers__isnull=False).order_by("-number").first()
        if latest is None:
            continue
        results = score_round(latest)
        scores = {f.factor: f.score for f in results.factors if f.score is not None}
        is_ended = arrangement.status in ENDED
        ended_count += is_ended
        assessed.append((scores, is_ended))
    return ended_count, engine.calibrate(assessed, questions.factor_keys())
