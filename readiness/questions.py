"""The questionnaire, as data (`readiness/data/questions.json`): each question's id, factor, text,
scale (higher is readier), the evidence behind it, the stages it is asked at, and whether it
is in the light set (one question per factor)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engines import readiness as engine

PATH = Path(__file__).resolve().parent / "data" / "questions.json"
MODES = ("light", "full")


@dataclass(frozen=True)
class Question:
    id: str
    factor: str
    text: str
    min: int
    max: int
    sources: tuple[str, ...]
    stages: tuple[str, ...]
    light: bool

    def for_engine(self) -> engine.Question:
        return engine.Question(self.id, self.factor, self.min, self.max)


@cache
def _data() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


@cache
def every_question() -> tuple[Question, ...]:
    return tuple(
        Question(
            q["id"],
            q["factor"],
            q["text"],
            q["scale"]["min"],
            q["scale"]["max"],
            tuple(q["sources"]),
            tuple(q["stages"]),
            q["light"],
        )
        for q in _data()["questions"]
    )


def scale_labels() -> dict[int, str]:
    return {int(k): v for k, v in _data()["scale_labels"].items()}


def for_stage(stage: str, mode: str = "full") -> list[Question]:
    """The questions asked at a stage: the light set (one per factor) or the full set."""
    return [q for q in every_question() if stage in q.stages and (mode == "full" or q.light)]


def by_id() -> dict[str, Question]:
    return {q.id: q for q in every_question()}


def factor_keys() -> list[str]:
    return list(dict.fromkeys(q.factor for q in every_question()))
