"""Factories for readiness records, over the fictional Testshire of the root conftest."""

from __future__ import annotations

import datetime as dt

import factory

from readiness.models import Action, Answer, Round


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    number = factory.Sequence(lambda n: n + 1)
    stage = "operate"


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    round = factory.SubFactory(RoundFactory)
    question = "leadership-1"
    value = 3


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    factor = "leadership"
    text = "Name a political sponsor in each partner"
    due_on = dt.date(2027, 3, 31)
