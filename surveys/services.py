"""The annual survey: which arrangements an organisation is asked about, and applying its answers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from arrangements import permissions
from arrangements.models import Arrangement, Savings, Status, StatusChange
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
    """Record each confirmed or changed arrangement; all or nothing."""
    today = timezone.localdate()
    note = f"Confirmed in the {survey.label} survey by {organisation.name}"
    with transaction.atomic():
        for arrangement in Arrangement.objects.filter(pk__in=[int(k) for k in answers]).select_for_update():
            if not permissions.can_edit(user, arrangement):
                raise PermissionError(f"You cannot change “{arrangement.title}”")
            answer = answers[str(arrangement.pk)]
            if answer["status"] != arrangement.status:
                arrangement.status = answer["status"]
                arrangement._history_user = user
                arrangement._change_reason = note
                arrangement.save()
                StatusChange.objects.create(arrangement=arrangement, status=arrangement.status, changed_on=today,
                                            changed_year=today.year, note=note, recorded_by=user)
            if answer.get("savings") is not None:
                Savings.objects.update_or_create(
                    arrangement=arrangement, basis=Savings.Basis.ACHIEVED, year=survey.label,
                    defaults={"year_start": survey.year, "total": answer["savings"], "staff": None, "other": None,
                              "note": answer.get("note", "") or note},
                )
        response, _ = SurveyResponse.objects.update_or_create(
            round=survey, organisation=organisation,
            defaults={"submitted_by": user, "submitted_at": timezone.now(), "answers": answers},
        )
    return response


def response_table(survey: SurveyRound):
    """For moderators: every organisation with arrangements, and whether it has responded."""
    from organisations.models import Organisation

    responded = dict(survey.responses.values_list("organisation_id", "submitted_at"))
    taking_part = (Organisation.objects.filter(partnerships__arrangement__deleted_at__isnull=True)
                   .distinct().order_by("name"))
    return [{"organisation": o, "submitted_at": responded.get(o.pk)} for o in taking_part]
