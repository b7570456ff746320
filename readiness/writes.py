"""The one write path for readiness assessments: answers, rounds, publication and actions.

Every door (the pages, the API) calls these functions, which check the user's right to that
arrangement and organisation, validate, write in one short transaction and return an
`Outcome` with typed `Problem`s that each door shows its own way."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.models import Organisation
from readiness import permissions, questions, services
from readiness.models import Action, Answer, Round
from sharewell.problems import Problem

COMMENT_MAX = 2000
ACTION_MAX = 1000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    forbidden: bool = False
    value: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _refused(message: str) -> Outcome:
    return Outcome([Problem("", "forbidden", message)], forbidden=True)


def _organisation(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first() if code else None


def _new_round(arrangement, user) -> Round:
    last = arrangement.readiness_rounds.order_by("-number").first()
    return Round.objects.create(
        arrangement=arrangement,
        number=(last.number + 1) if last else 1,
        stage=services.stage_of(arrangement),
        started_by=user if getattr(user, "is_authenticated", False) else None,
    )


def answer(user, arrangement, organisation_code: str, answers: Iterable[Mapping[str, Any]]) -> Outcome:
    """Replace `organisation_code`'s answers in the current round (starting round 1 if there is none).

    `answers` is [{"question": id, "value": int, "comment": str}]; a question left out is left
    unanswered. Refused unless the user is an editor of that organisation and it is a current
    partner of the arrangement."""
    organisation = _organisation(organisation_code)
    if organisation is None:
        return Outcome(
            [Problem("organisation", "unknown", f"There is no organisation with the code “{organisation_code}”")]
        )
    if not permissions.can_answer(user, arrangement, organisation):
        return _refused(f"You cannot answer for {organisation.name} in this arrangement")
    round_ = services.current_round(arrangement)
    stage = round_.stage if round_ is not None else services.stage_of(arrangement)
    asked = {q.id: q for q in questions.for_stage(stage, "full")}
    problems: list[Problem] = []
    cleaned: dict[str, tuple[int, str]] = {}
    given = list(answers)
    if not given:
        problems.append(Problem("answers", "required", "Answer at least one question"))
    for index, item in enumerate(given):
        where = f"answers[{index}]"
        question_id = str(item.get("question") or "")
        value = item.get("value")
        comment = str(item.get("comment") or "").strip()
        if question_id not in asked:
            problems.append(
                Problem(f"{where}.question", "unknown_question", f"There is no question “{question_id}” at this stage")
            )
            continue
        question = asked[question_id]
        if question_id in cleaned:
            problems.append(Problem(f"{where}.question", "duplicate", f"Question {question_id} is answered twice"))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not (question.min <= value <= question.max):
            problems.append(
                Problem(
                    f"{where}.value",
                    "off_scale",
                    f"{question_id}: answer with a whole number from {question.min} to {question.max}",
                )
            )
            continue
        if len(comment) > COMMENT_MAX:
            problems.append(
                Problem(
                    f"{where}.comment", "too_long", f"{question_id}: keep the comment under {COMMENT_MAX} characters"
                )
            )
            continue
        cleaned[question_id] = (value, comment)
    if problems:
        return Outcome(problems)
    try:
        return Outcome(value=_replace(arrangement, organisation, user, cleaned))
    except IntegrityError:
        # Another partner's first answers started round 1 at the same moment: answer in that round.
        return Outcome(value=_replace(arrangement, organisation, user, cleaned))


def _replace(arrangement, organisation, user, cleaned: dict[str, tuple[int, str]]) -> Round:
    with transaction.atomic():
        round_ = services.current_round(arrangement) or _new_round(arrangement, user)
        round_.answers.filter(organisation=organisation).delete()
        now = timezone.now()
        Answer.objects.bulk_create(
            Answer(
                round=round_,
                organisation=organisation,
                question=question_id,
                value=value,
                comment=comment,
                answered_by=user,
                answered_at=now,
            )
            for question_id, (value, comment) in cleaned.items()
        )
    return round_


def start_round(user, arrangement) -> Outcome:
    """Start a new round; the earlier ones are kept for the trend."""
    if not permissions.can_start_round(user, arrangement):
        return _refused("Only an editor of a partner, or a moderator, can start a new assessment")
    current = services.current_round(arrangement)
    if current is not None and not current.answers.exists():
        return Outcome([Problem("round", "empty", "The current assessment has no answers yet: answer it first")])
    try:
        with transaction.atomic():
            return Outcome(value=_new_round(arrangement, user))
    except IntegrityError:
        return Outcome([Problem("round", "conflict", "Someone else started a new assessment just now")])


def publish(user, arrangement, publish: bool = True) -> Outcome:
    """Publish (or withdraw) the current round's summary: scores per factor, no partner's answers."""
    if not permissions.can_plan(user, arrangement):
        return _refused("Only an editor of a partner can publish the summary")
    round_ = services.current_round(arrangement)
    if round_ is None or not round_.answers.exists():
        return Outcome([Problem("round", "empty", "There is nothing to publish yet")])
    round_.published_at = timezone.now() if publish else None
    round_.published_by = user if publish else None
    round_.save(update_fields=["published_at", "published_by"])
    return Outcome(value=round_)


def _due_date(value) -> dt.date | None:
    """The due date as a date, from a `date` or its ISO text ("2027-03-31"): the page's date input
    and the API both send text, so the reading lives here where both doors share it. Only the
    YYYY-MM-DD form is read, as `date.fromisoformat` would also take "20270331" and week dates,
    which no one types meaning a due date."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:  # 2027-02-30
            return None
    return None


def _action_problems(
    arrangement, factor: str, text: str, owner_code: str, due_on
) -> tuple[list[Problem], Organisation | None, dt.date | None]:
    problems = []
    # Whatever a door sends (an API's null among them) is a problem to name, never an error.
    factor = factor if isinstance(factor, str) else ""
    text = text if isinstance(text, str) else ""
    owner_code = owner_code if isinstance(owner_code, str) else ""
    if factor not in questions.factor_keys():
        problems.append(Problem("factor", "unknown", "Choose the factor the action is for", value=factor))
    if not text.strip():
        problems.append(Problem("text", "required", "Enter what will be done"))
    elif len(text.strip()) > ACTION_MAX:  # what is kept is the stripped text, as the page's form strips it
        problems.append(Problem("text", "too_long", f"Keep the action under {ACTION_MAX} characters"))
    owner = _organisation(owner_code)
    if owner is None or owner.pk not in permissions.current_partner_ids(arrangement):
        problems.append(
            Problem("owner", "not_partner", "Choose the partner organisation that owns the action", value=owner_code)
        )
    due = _due_date(due_on)
    if due is None:
        given = due_on if isinstance(due_on, str) else ""
        problems.append(Problem("due_on", "invalid", "Enter the date the action is due, like 31 3 2027", value=given))
    return problems, owner, due


def add_action(user, arrangement, *, factor: str, text: str, owner: str, due_on) -> Outcome:
    """Add an action to the arrangement's plan. `owner` is a current partner's code; `due_on` a
    date or its ISO text."""
    if not permissions.can_plan(user, arrangement):
        return _refused("Only an editor of a partner can add to the action plan")
    problems, organisation, due = _action_problems(arrangement, factor, text, owner, due_on)
    if problems:
        return Outcome(problems)
    action = Action.objects.create(
        arrangement=arrangement, factor=factor, text=text.strip(), owner=organisation, due_on=due, created_by=user
    )
    return Outcome(value=action)


def change_action(user, action: Action, *, factor: str, text: str, owner: str, due_on, done: bool) -> Outcome:
    """Change every field of an action (a door that changes some sends the others as they are)."""
    if not permissions.can_plan(user, action.arrangement):
        return _refused("Only an editor of a partner can change the action plan")
    problems, organisation, due = _action_problems(action.arrangement, factor, text, owner, due_on)
    if not isinstance(done, bool):
        problems.append(Problem("done", "invalid", "Say whether the action is done: true or false"))
    if problems:
        return Outcome(problems)
    action.factor, action.text, action.owner, action.due_on, action.done = (
        factor,
        text.strip(),
        organisation,
        due,
        done,
    )
    action.updated_at = timezone.now()
    action.save()
    return Outcome(value=action)
