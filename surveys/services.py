"""The annual survey: which arrangements an organisation is asked about, and applying its answers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from arrangements import permissions, writes
from arrangements.models import Arrangement, Revision, Status
from surveys.models import SurveyDraft, SurveyResponse, SurveyRound

FINISHED = (Status.ENDED, Status.DISAGGREGATED)


class DraftChanged(Exception):
    """Someone saved the draft after the person submitting opened the check page."""


def current_round(today: dt.date | None = None) -> SurveyRound | None:
    """The round open today, if any."""
    today = today or timezone.localdate()
    return SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("-year").first()


def is_open(survey: SurveyRound, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.opens_on <= today <= survey.closes_on


def arrangements_to_confirm(organisation, user) -> list[Arrangement]:
    """The organisation's arrangements that are not finished, oldest first."""
    return list(
        Arrangement.objects.visible_to(user)
        .involving(organisation)
        .exclude(status__in=FINISHED)
        .order_by("start_year", "title", "pk")
    )


# --- drafts -----------------------------------------------------------------------------


def empty_answers() -> dict:
    return {"arrangements": {}, "has_new": None}


def draft_for(survey: SurveyRound, organisation) -> SurveyDraft | None:
    return SurveyDraft.objects.select_related("updated_by").filter(round=survey, organisation=organisation).first()


def draft_stamp(draft: SurveyDraft | None) -> str:
    """What the check page remembers of the draft it showed, to notice a later save."""
    return draft.updated_at.isoformat() if draft else ""


def _update_draft(survey: SurveyRound, organisation, user, update) -> SurveyDraft:
    # Two editors may answer different questions at once: each save locks the row and
    # changes only its own part, so neither overwrites the other's answer.
    with transaction.atomic():
        draft, _ = SurveyDraft.objects.select_for_update().get_or_create(
            round=survey, organisation=organisation, defaults={"answers": empty_answers()}
        )
        answers = {**empty_answers(), **draft.answers}
        update(answers)
        draft.answers, draft.updated_by, draft.updated_at = answers, user, timezone.now()
        draft.save()
    return draft


def save_answer(survey: SurveyRound, organisation, user, arrangement: Arrangement, answer: dict) -> SurveyDraft:
    def update(answers: dict) -> None:
        answers["arrangements"][str(arrangement.pk)] = answer

    return _update_draft(survey, organisation, user, update)


def save_has_new(survey: SurveyRound, organisation, user, has_new: str) -> SurveyDraft:
    def update(answers: dict) -> None:
        answers["has_new"] = has_new

    return _update_draft(survey, organisation, user, update)


def submit_draft(
    survey: SurveyRound, organisation, user, asked: list[Arrangement], seen: str | None = None
) -> SurveyResponse:
    """Apply the draft's answers about the arrangements `asked` (the ones the check page
    showed: a draft kept for weeks may name one that has since ended or left) and delete
    the draft, all or nothing. With `seen`, refuses (DraftChanged) if the draft was saved
    again since the check page showed it, so nobody submits answers they have not seen."""
    with transaction.atomic():
        draft = SurveyDraft.objects.select_for_update().filter(round=survey, organisation=organisation).first()
        if seen is not None and draft_stamp(draft) != seen:
            raise DraftChanged
        answers = draft.answers if draft else empty_answers()
        wanted = {str(a.pk) for a in asked}
        response = apply_answers(
            survey, organisation, user, {pk: a for pk, a in answers.get("arrangements", {}).items() if pk in wanted}
        )
        if draft is not None:
            draft.delete()
    return response


# --- submitting ---------------------------------------------------------------------------


def apply_answers(survey: SurveyRound, organisation, user, answers: dict[str, dict]) -> SurveyResponse:
    """Record the response and send each changed arrangement through the write path as a
    change for a moderator to approve: survey figures are never published at once."""
    with transaction.atomic():
        response, _ = SurveyResponse.objects.update_or_create(
            round=survey,
            organisation=organisation,
            defaults={"submitted_by": user, "submitted_at": timezone.now(), "answers": answers},
        )
        door = writes.survey(survey.label, response)
        for arrangement in Arrangement.objects.filter(pk__in=[int(k) for k in answers]):
            if not permissions.can_edit(user, arrangement):
                raise PermissionError(f"You cannot change “{arrangement.title}”")
            answer = answers[str(arrangement.pk)]
            patch: dict = {}
            if answer["status"] != arrangement.status:
                patch["status"] = answer["status"]
            if answer.get("savings") is not None:
                patch["ledger"] = [
                    {
                        "period": answer.get("period") or survey.label,
                        "measure": "achieved_saving",
                        "amount": answer["savings"],
                        "standing": "reported",
                        "source": answer.get("note", "") or f"{survey} return from {organisation.name}",
                    }
                ]
            if patch:
                outcome = writes.change(user, arrangement, patch, door, partial=True, merge_ledger=True, moderate=True)
                if outcome.problems:
                    raise ValueError("; ".join(p.message for p in outcome.problems))
    return response


def response_table(survey: SurveyRound):
    """For moderators: every organisation with arrangements, whether it has responded or
    has a draft under way, and how many of its submitted changes still wait for a moderator."""
    from organisations.models import Organisation

    responded = dict(survey.responses.values_list("organisation_id", "submitted_at"))
    drafting = set(survey.drafts.values_list("organisation_id", flat=True))
    pending = dict(
        Revision.objects.filter(survey_response__round=survey, state=Revision.State.PENDING)
        .values("survey_response__organisation")
        .annotate(n=Count("pk"))
        .values_list("survey_response__organisation", "n")
    )
    taking_part = (
        Organisation.objects.filter(partnerships__arrangement__deleted_at__isnull=True).distinct().order_by("name")
    )
    return [
        {
            "organisation": o,
            "submitted_at": responded.get(o.pk),
            "in_progress": o.pk in drafting,
            "pending": pending.get(o.pk, 0),
        }
        for o in taking_part
    ]
