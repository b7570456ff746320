"""Factories for the partner board, over the fictional world of tests/world.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from organisations.tests.factories import OrganisationFactory
from partners.models import Post
from services.tests.factories import ServiceCategoryFactory


class PostFactory(factory.django.DjangoModelFactory):
    """A post on the board that is still up (it expires in 90 days)."""

    class Meta:
        model = Post

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.SubFactory(ServiceCategoryFactory)
    title = factory.Sequence(lambda n: f"Looking for a partner {n}")
    description = "A shared team, for the test"
    contact_name = "Test Officer"
    contact_email = "officer@testshire.example"
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
