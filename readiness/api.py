"""The readiness API: the questions, and an arrangement's assessment (a partner's answers in;
scores per factor per partner and the disagreements out) and its action plan. Every rule lives in
`readiness.writes`, `readiness.services` and `engines.readiness`; this door only translates."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

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


class ReadinessActionOut(Schema):
    id: int
    factor: str
    text: str
    owner: str
    owner_name: str
    due_on: dt.date
    done: bool
    created_at: dt.datetime
    updated_at: dt.datetime


# The date is text, not a `date`: the write path reads it (as it does the page's date input), so
# "soon" is a problem named `due_on` in the write path's words, and a number is never read as a date.
DUE_ON = "The date the action is due, as YYYY-MM-DD"


class ReadinessActionIn(Schema):
    factor: str = Field(description="The factor the action is for: a `factor` of `GET /api/v1/readiness/questions`")
    text: str = Field(description="What will be done")
    owner: str = Field(description="The code of the current partner organisation that owns the action")
    due_on: str = Field(description=DUE_ON, json_schema_extra={"format": "date"})


class ReadinessActionPatch(Schema):
    # Each field may be left out (it keeps its value), but is never null: a null is refused (422).
    factor: str = Field(None, description="The factor the action is for")
    text: str = Field(None, description="What will be done")
    owner: str = Field(None, description="The code of the current partner organisation that owns the action")
    due_on: str = Field(None, description=DUE_ON, json_schema_extra={"format": "date"})
    done: bool = Field(None, description="Whether the action is done")


def _action_body(action) -> dict:
    return {
        "id": action.pk,
        "factor": action.factor,
        "text": action.text,
        "owner": action.owner.code,
        "owner_name": action.owner.name,
        "due_on": action.due_on,
        "done": action.done,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
    }


def _write_action(outcome: writes.Outcome, success: int = 200):
    """An action plan write answers as the other readiness writes do: 403 refused, 422 with its
    problems, or the action written as `GET .../readiness/actions` shows it."""
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        return 422, problems_body(outcome.problems)
    return success, _action_body(outcome.value)


ACTIONS = (
    "The action plan is seen by the partners' members and moderators, as on the readiness page; "
    "it is never part of the published summary. `owner` is the owning partner's code, `owner_name` its name. "
    "Open actions come first, soonest due first."
)
PLANNERS = "As an editor of a current partner, as on the readiness page."
REFUSALS = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut}


@arrangement_router.get(
    "/{pk}/readiness/actions",
    response={200: list[ReadinessActionOut], 401: MessageOut, 403: MessageOut, 404: MessageOut},
    auth=ReadAuth(),
    summary="An arrangement's readiness action plan: who does what for which factor, by when",
    description=ACTIONS + " Anyone else is refused (403).",
)
def list_actions(request, pk: int):
    arrangement = _arrangement(request, pk)
    if not permissions.can_see_plan(request.user, arrangement):
        return 403, {"detail": "Only the partners' members and moderators see the action plan"}
    return 200, [_action_body(a) for a in services.action_plan(arrangement)]


@arrangement_router.post(
    "/{pk}/readiness/actions",
    response={201: ReadinessActionOut, **REFUSALS},
    auth=TokenAuth(),
    summary="Add an action to the readiness action plan",
    description=(
        'Send `{"factor", "text", "owner", "due_on"}`. ' + PLANNERS + " `owner` must be a current partner; "
        "`due_on` a real date. Problems (422) name the field. Answers the new action. " + ACTIONS
    ),
)
def add_action(request, pk: int, payload: ReadinessActionIn):
    arrangement = _arrangement(request, pk)
    return _write_action(writes.add_action(request.user, arrangement, **payload.dict()), success=201)


@arrangement_router.patch(
    "/{pk}/readiness/actions/{action_id}",
    response={200: ReadinessActionOut, **REFUSALS},
    auth=TokenAuth(),
    summary="Change an action in the readiness action plan (mark it done, move its date, ...)",
    description=(
        "Only the fields sent change; the others keep their values. " + PLANNERS + " An action of "
        "another arrangement is not found (404). Answers the action as it now is. " + ACTIONS
    ),
)
def change_action(request, pk: int, action_id: int, payload: ReadinessActionPatch):
    arrangement = _arrangement(request, pk)
    action = get_object_or_404(arrangement.readiness_actions.select_related("owner"), pk=action_id)
    # The write path changes every field: those not sent go to it as they are.
    fields = {
        "factor": action.factor,
        "text": action.text,
        "owner": action.owner.code,
        "due_on": action.due_on,
        "done": action.done,
    }
    fields.update(payload.dict(exclude_unset=True))
    return _write_action(writes.change_action(request.user, action, **fields))
