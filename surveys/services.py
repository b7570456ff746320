"""The annual survey: which arrangements an organisation is asked about, and applying its answers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from arrangements import permissions, writes
from arrangements.models import Arrangement, Status
from surveys.models import SurveyResponse, SurveyRound

FINISHED = (Status.ENDED, Status.DISAGGREGATED)


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
        Arrangement.objects.visible_to(user).involving(organisation).exclude(status__in=FINISHED)
        .order_by("start_year", "title", "pk")
    )


def apply_answers(survey: SurveyRound, organisation, user, answers: dict[str, dict]) -> SurveyResponse:
    """Record the response and send each changed arrangement through the write path as a
    change for a moderator to approve: survey figures are never published at once."""
    with transaction.atomic():
        response, _ = SurveyResponse.objects.update_or_create(
            round=survey, organisation=organisation,
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
                patch["ledger"] = [{"period": answer.get("period") or survey.label, "measure": "achieved_saving",
                                    "amount": answer["savings"], "standing": "reported",
                                    "source": answer.get("note", "") or f"{survey} return from {organisation.name}"}]
            if patch:
                outcome = writes.change(user, arrangement, patch, door, partial=True, merge_ledger=True,
                                        moderate=True)
                if outcome.problems:
                    raise ValueError("; ".join(p.message for p in outcome.problems))
    return response


def response_table(survey: SurveyRound):
    """For moderators: every organisation with arrangements, and whether it has responded."""
    from organisations.models import Organisation

    responded = dict(survey.responses.values_list("organisation_id", "submitted_at"))
    taking_part = (Organisation.objects.filter(partnerships__arrangement__deleted_at__isnull=True)
                   .distinct().order_by("name"))
    return [{"organisation": o, "submitted_at": responded.get(o.pk)} for o in taking_part]
