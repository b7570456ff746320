"""The readiness API: the questions, and an arrangement's assessment (a partner's answers in;
scores per factor per partner and the disagreements out). Every rule lives in
`readiness.writes`, `readiness.services` and `engines.readiness`; this door only translates."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from accounts.api_auth import ReadAuth, TokenAuth
from arrangements.api import problems_body
from arrangements.models import Arrangement
from arrangements.schemas import MessageOut, ProblemsOut
from engines import readiness as engine
from readiness import permissions, questions, services, writes

router = Router()
arrangement_router = Router()


class Scale(Schema):
    min: int
    max: int


class QuestionOut(Schema):
    id: str
    factor: str
    text: str
    scale: Scale
    sources: list[str]
    stages: list[str]
    light: bool


class QuestionQuery(Schema):
    stage: str = ""
    mode: str = "full"


@router.get(
    "/questions",
    response={200: list[QuestionOut], 401: MessageOut, 422: ProblemsOut},
    auth=ReadAuth(),
    summary="The readiness questions, each with its factor and the ids of its sources",
    description=(
        "Each question's `scale` runs from `min` to `max`, higher is readier; `sources` are ids in "
        "`GET /api/v1/evidence`. `stage` (initiate, set_up, implement, operate, lessons) keeps the questions "
        "asked at that stage; `mode=light` keeps one question per factor."
    ),
)
def list_questions(request, query: Query[QuestionQuery]):
    problems = []
    if query.stage and query.stage not in engine.STAGE_LABELS:
        problems.append(("stage", f"Choose a stage: {', '.join(engine.STAGE_LABELS)}"))
    if query.mode not in questions.MODES:
        problems.append(("mode", "Choose light or full"))
    if problems:
        return 422, {
            "detail": f"{len(problems)} problem{'s' if len(problems) != 1 else ''}",
            "problems": [{"field": f, "code": "invalid", "message": m} for f, m in problems],
        }
    found = questions.every_question()
    if query.stage:
        found = tuple(questions.for_stage(query.stage, query.mode))
    elif query.mode == "light":
        found = tuple(q for q in found if q.light)
    return 200, [
        {
            "id": q.id,
            "factor": q.factor,
            "text": q.text,
            "scale": {"min": q.min, "max": q.max},
            "sources": list(q.sources),
            "stages": list(q.stages),
            "light": q.light,
        }
        for q in found
    ]


class Thresholds(Schema):
    green: float
    amber: float
    disagreement: float


class ReadinessFactorOut(Schema):
    factor: str
    score: float | None
    rag: str | None
    by_partner: dict[str, float]


class DisagreementOut(Schema):
    factor: str
    question: str | None
    values: dict[str, float]
    gap: float


class AnswerOut(Schema):
    organisation: str
    question: str
    value: int
    comment: str


class ReadinessOut(Schema):
    arrangement: int
    round: int | None
    stage: str
    visibility: str
    published: bool
    thresholds: Thresholds
    overall: float | None
    overall_rag: str | None
    factors: list[ReadinessFactorOut]
    disagreements: list[DisagreementOut]
    answers: list[AnswerOut]


class AnswerIn(Schema):
    question: str
    value: int
    comment: str = ""


class ReadinessIn(Schema):
    organisation: str
    answers: list[AnswerIn]


def _body(arrangement, round_, partner_view: bool) -> dict:
    results = services.score_round(round_) if round_ is not None else None
    body = {
        "arrangement": arrangement.pk,
        "round": round_.number if round_ is not None else None,
        "stage": round_.stage if round_ is not None else services.stage_of(arrangement),
        "visibility": "partners" if partner_view else "published summary",
        "published": bool(round_ is not None and round_.published_at),
        "thresholds": {"green": engine.GREEN_AT, "amber": engine.AMBER_AT, "disagreement": engine.DISAGREEMENT_AT},
        "overall": results.overall if results else None,
        "overall_rag": results.overall_rag if results else None,
        "factors": [],
        "disagreements": [],
        "answers": [],
    }
    if results is None:
        return body
    body["factors"] = [
        {"factor": f.factor, "score": f.score, "rag": f.rag, "by_partner": f.by_partner if partner_view else {}}
        for f in results.factors
    ]
    if partner_view:
        body["disagreements"] = [
            {"factor": d.factor, "question": d.question, "values": d.values, "gap": d.gap}
            for d in results.disagreements
        ]
        body["answers"] = [
            {"organisation": a.organisation.code, "question": a.question, "value": a.value, "comment": a.comment}
            for a in round_.answers.select_related("organisation")
        ]
    return body


DESCRIPTION = (
    "Scores are percentages of each question's scale range, `(value − min) / (max − min) × 100`; a partner's "
    "factor score is the mean over its answers, a factor's the mean over partners, overall the mean over "
    "factors. RAG: green at 70 or above, amber 40 to below 70, red below 40. A disagreement is two partners "
    "40 points of the range or more apart on a factor (`question` null) or on one question (`values` are then "
    "the answers). Partners' members and moderators see each partner's scores and answers "
    "(`visibility: partners`); anyone else sees only a summary the partners published (403 when there is none)."
)


@arrangement_router.get(
    "/{pk}/readiness",
    response={200: ReadinessOut, 401: MessageOut, 403: MessageOut, 404: MessageOut},
    auth=ReadAuth(),
    summary="An arrangement's readiness assessment: scores per factor per partner, and disagreements",
    description=DESCRIPTION,
)
def get_readiness(request, pk: int):
    arrangement = _arrangement(request, pk)
    if permissions.can_see_answers(request.user, arrangement):
        return 200, _body(arrangement, services.current_round(arrangement), True)
    published = arrangement.readiness_rounds.filter(published_at__isnull=False).order_by("-number").first()
    if published is None:
        return 403, {"detail": "The partners have not published this assessment"}
    return 200, _body(arrangement, published, False)


@arrangement_router.post(
    "/{pk}/readiness",
    response={200: ReadinessOut, 401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut},
    auth=TokenAuth(),
    summary="A partner's answers in: replaces that organisation's answers in the current round",
    description=(
        'Send `{"organisation": code, "answers": [{"question", "value", "comment"}]}` as an editor of '
        "that organisation, a current partner. The organisation's answers in the current round are replaced by "
        "these (round 1 starts with the first answers). Answers the assessment as `GET` does. " + DESCRIPTION
    ),
)
def post_readiness(request, pk: int, payload: ReadinessIn):
    arrangement = _arrangement(request, pk)
    outcome = writes.answer(request.user, arrangement, payload.organisation, [a.dict() for a in payload.answers])
    return _write_answer(arrangement, outcome, answered=outcome.value)


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


def _write_answer(arrangement: Arrangement, outcome: writes.Outcome, success: int = 200, answered=None):
    """Every readiness write answers alike: 403 refused, 422 with its problems, or the round
    written (`answered`, else the current one) as `GET` shows it."""
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        return 422, problems_body(outcome.problems)
    return success, _body(arrangement, answered or services.current_round(arrangement), True)


@arrangement_router.post(
    "/{pk}/readiness/rounds",
    response={201: ReadinessOut, 401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut},
    auth=TokenAuth(),
    summary="Start a new round of the readiness assessment; earlier rounds are kept",
    description=(
        "As an editor of a current partner or a moderator. Refused (422, code `empty`) while the current round "
        "has no answers. Answers the new, empty round as `GET` does."
    ),
)
def start_round(request, pk: int):
    arrangement = _arrangement(request, pk)
    return _write_answer(arrangement, writes.start_round(request.user, arrangement), success=201)


class PublishIn(Schema):
    published: bool = True


@arrangement_router.post(
    "/{pk}/readiness/publish",
    response={200: ReadinessOut, 401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut},
    auth=TokenAuth(),
    summary="Publish (or, with `published: false`, withdraw) the current round's summary",
    description=(
        "As an editor of a current partner. The public then sees the scores per factor and overall, never a "
        "partner's scores or answers. Refused (422, code `empty`) while the current round has no answers."
    ),
)
def publish_summary(request, pk: int, payload: PublishIn):
    arrangement = _arrangement(request, pk)
    return _write_answer(arrangement, writes.publish(request.user, arrangement, publish=payload.published))
