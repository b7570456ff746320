"""Factories for the arrangements app's models, over the fictional world of `tests/world.py`."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from arrangements import register
from arrangements.models import (
    Arrangement,
    Contract,
    IdempotencyKey,
    ImportJob,
    LedgerEntry,
    Partnership,
    RegisterCache,
    RegisterChange,
    RegisterVersion,
    Revision,
    Source,
    StatusChange,
    Version,
)
from engines.ledger import parse_period
from organisations.tests.factories import OrganisationFactory
from services.tests.factories import ServiceCategoryFactory
from tests import world


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

    arrangement = factory.SubFactory(ArrangementFactory)
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

    arrangement = factory.SubFactory(ArrangementFactory)
    number = factory.Sequence(lambda n: n + 1)
    # A few of the record's fields (an empty snapshot is no state at all); a test that restores
    # a version makes it through the write path, which keeps the whole record.
    snapshot = factory.LazyAttribute(lambda o: {"title": o.arrangement.title, "status": o.arrangement.status})
    changes = factory.LazyFunction(lambda: ["Status: Planned → Live"])
    door = "edited on the site"


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    arrangement = factory.SubFactory(ArrangementFactory)
    # As for VersionFactory's snapshot: a few fields of the record as it would be.
    proposed = factory.LazyAttribute(lambda o: {"title": o.arrangement.title, "status": o.arrangement.status})
    changes = factory.LazyFunction(lambda: ["Status: Planned → Live"])
    door = "edited on the site"
    created_by = factory.SubFactory(UserFactory)


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


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A moderator's upload of the shared legal service's row (tests/world.py), waiting for a worker."""

    class Meta:
        model = ImportJob

    user = factory.SubFactory(UserFactory, is_moderator=True)
    filename = "register.csv"
    content = factory.LazyFunction(lambda: world.csv_content(world.SHARED_LEGAL))
    state = ImportJob.State.QUEUED


class IdempotencyKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"testshire-create-{n}")
    arrangement = factory.SubFactory(ArrangementFactory)


class RegisterVersionFactory(factory.django.DjangoModelFactory):
    """The register's one version row (`register.ROW`), at `number`. There is only ever one, and the
    migration or an earlier write may have made it already: it is written over, never made twice."""

    class Meta:
        model = RegisterVersion

    number = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row, _ = model_class.objects.update_or_create(pk=register.ROW, defaults=kwargs)
        return row


class RegisterCacheFactory(factory.django.DjangoModelFactory):
    """A figure kept at the register's current version, so `register.cached` reads it back."""

    class Meta:
        model = RegisterCache

    key = factory.Sequence(lambda n: register.key_for("test figure", n))
    version = factory.LazyFunction(register.current)
    value = factory.LazyFunction(lambda: {"arrangements": 3})


class RegisterChangeFactory(factory.django.DjangoModelFactory):
    """A write that changed one arrangement, as `register.bump([pk])` records it (pass
    `arrangement=None` for a write that could have changed anything: a full rebuild)."""

    class Meta:
        model = RegisterChange

    class Params:
        arrangement = factory.SubFactory(ArrangementFactory)

    mark = factory.LazyFunction(lambda: uuid.uuid4().hex)
    made_at = factory.LazyFunction(timezone.now)
    arrangements = factory.LazyAttribute(lambda o: None if o.arrangement is None else [o.arrangement.pk])
