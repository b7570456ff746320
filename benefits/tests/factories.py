"""Factories for benefits plans, over the fictional world of tests/world.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from arrangements.tests.factories import ArrangementFactory, LedgerEntryFactory
from benefits.models import BenefitMeasure, BenefitValue, Kind, SignOff
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


class SignOffFactory(factory.django.DjangoModelFactory):
    """A standing sign-off of an achieved saving, the entry signed off in the signer's name as
    `arrangements.writes.sign_off` leaves it. Written straight to the database: the signer is not
    made a finance lead, nor the history written (a test of that signs off through the write path)."""

    class Meta:
        model = SignOff

    entry = factory.SubFactory(
        LedgerEntryFactory,
        measure="achieved_saving",
        standing="signed_off",
        signed_off_by=factory.SelfAttribute("..name"),
        signed_off_on=factory.LazyFunction(timezone.localdate),
    )
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.get_full_name() or o.user.get_username())
    note = "Agreed to the outturn report"
