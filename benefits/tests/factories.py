"""Factories for benefits plans, over the fictional world of tests/world.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from arrangements.tests.factories import ArrangementFactory
from benefits.models import BenefitMeasure, BenefitValue, Kind
from engines.ledger import parse_period
from organisations.tests.factories import OrganisationFactory


class BenefitMeasureFactory(factory.django.DjangoModelFactory):
    """A non-financial measure with its baseline recorded (pass `baseline_value=None` for one without)."""

    class Meta:
        model = BenefitMeasure

    arrangement = factory.SubFactory(ArrangementFactory)
    name = factory.Sequence(lambda n: f"Test measure {n}")
    kind = Kind.NON_FINANCIAL
    unit = "score"
    owner = factory.SubFactory(OrganisationFactory)
    baseline_value = Decimal("50")
    baseline_on = dt.date(2024, 4, 1)


class BenefitValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitValue

    measure = factory.SubFactory(BenefitMeasureFactory)
    period = "2025/26"
    period_order = factory.LazyAttribute(lambda o: parse_period(o.period).first * 10)
    basis = BenefitValue.Basis.ACTUAL
    value = Decimal("60")
