"""Factories for readiness records, over the fictional Testshire of the root conftest."""

from __future__ import annotations

import datetime as dt

import factory

from accounts.tests.factories import UserFactory
from arrangements.tests.factories import ArrangementFactory
from organisations.tests.factories import OrganisationFactory
from readiness.models import Action, Answer, Round


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    arrangement = factory.SubFactory(ArrangementFactory)
    number = factory.Sequence(lambda n: n + 1)
    stage = "operate"
    started_by = factory.SubFactory(UserFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    question = "leadership-1"
    value = 3
    answered_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    arrangement = factory.SubFactory(ArrangementFactory)
    factor = "leadership"
    text = "Name a political sponsor in each partner"
    owner = factory.SubFactory(OrganisationFactory)
    due_on = dt.date(2027, 3, 31)
    created_by = factory.SubFactory(UserFactory)
