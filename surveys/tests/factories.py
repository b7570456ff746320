"""Factories for the annual survey's rounds, drafts and responses, over the fictional world of tests/world.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from arrangements.tests.factories import PartnershipFactory
from organisations.tests.factories import OrganisationFactory
from surveys.models import SurveyDraft, SurveyResponse, SurveyRound
from surveys.services import empty_answers


def confirmed(arrangement, survey_round: SurveyRound) -> dict:
    """The answer the question page saves for an arrangement confirmed as it is: no change, no saving."""
    return {
        "title": arrangement.title,
        "previous_status": arrangement.status,
        "status": arrangement.status,
        "savings": None,
        "savings_text": "",
        "period": survey_round.label,
        "note": "",
    }


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    """A round open today (from a week ago for a month), for 2026/27 and the years after."""

    class Meta:
        model = SurveyRound

    year = factory.Sequence(lambda n: 2026 + n)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class SurveyDraftFactory(factory.django.DjangoModelFactory):
    """Answers begun and nothing answered yet, as `surveys.services` starts a draft."""

    class Meta:
        model = SurveyDraft

    round = factory.SubFactory(SurveyRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    answers = factory.LazyFunction(empty_answers)
    updated_by = factory.SubFactory(UserFactory)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response confirming, unchanged, the one arrangement its organisation is a partner of
    (`surveys.services.apply_answers` keeps the answers by arrangement id)."""

    class Meta:
        model = SurveyResponse

    class Params:
        partnership = factory.SubFactory(PartnershipFactory, organisation=factory.SelfAttribute("..organisation"))

    round = factory.SubFactory(SurveyRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    answers = factory.LazyAttribute(
        lambda o: {str(o.partnership.arrangement.pk): confirmed(o.partnership.arrangement, o.round)}
    )
