"""Factories for the arrangements app's models, over the fictional world of `tests/world.py`."""

from __future__ import annotations

import datetime as dt

import factory

from arrangements.models import Arrangement, Contract, LedgerEntry, Partnership, Revision, Source, StatusChange, Version
from engines.ledger import parse_period
from organisations.tests.factories import OrganisationFactory
from services.tests.factories import ServiceCategoryFactory


class ArrangementFactory(factory.django.DjangoModelFactory):
    """A published, live arrangement with no partners yet (add them with PartnershipFactory)."""

    class Meta:
        model = Arrangement

    title = factory.Sequence(lambda n: f"Shared service {n}")
    description = "Shared for the test"
    delivery_model = "lead_authority"
    status = "live"
    published = True


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    arrangement = factory.SubFactory(ArrangementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """`LedgerEntryFactory(arrangement=a, measure="achieved_saving", period="2015/16", amount=80_000)`:
    the basis and standing follow the measure unless given."""

    class Meta:
        model = LedgerEntry

    measure = "expected_saving"
    period = "2024/25"
    amount = 100_000
    standing = factory.LazyAttribute(lambda o: "expected" if o.measure == "expected_saving" else "reported")
    basis = factory.LazyAttribute(lambda o: "planned" if o.standing == "expected" else "actual")
    period_first = factory.LazyAttribute(lambda o: parse_period(o.period).first)
    period_last = factory.LazyAttribute(lambda o: parse_period(o.period).last)

    @factory.lazy_attribute
    def _normalised(self):  # the canonical label, as the write path stores it
        return parse_period(self.period).label

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["period"] = kwargs.pop("_normalised")
        return super()._create(model_class, *args, **kwargs)


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Version

    number = factory.Sequence(lambda n: n + 1)
    snapshot = factory.LazyFunction(dict)
    door = "edited on the site"


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    proposed = factory.LazyFunction(dict)
    door = "edited on the site"


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    arrangement = factory.SubFactory(ArrangementFactory)
    status = "live"
    changed_year = 2020


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    arrangement = factory.SubFactory(ArrangementFactory)
    url = "https://www.testshire.example/committee/report"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.SubFactory(ServiceCategoryFactory)
    description = factory.Sequence(lambda n: f"Test contract {n}")
    ends_on = dt.date(2027, 3, 31)
