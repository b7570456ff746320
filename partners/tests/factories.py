"""Factories for the partner board, over the fictional world of tests/world.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from organisations.tests.factories import OrganisationFactory
from partners.models import Post, PostResponse, PostView
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
    created_by = factory.SubFactory(UserFactory)


class PostViewFactory(factory.django.DjangoModelFactory):
    """Someone signed in, from another organisation, looked at a post."""

    class Meta:
        model = PostView

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PostResponseFactory(factory.django.DjangoModelFactory):
    """Another organisation's editor answers a post."""

    class Meta:
        model = PostResponse

    post = factory.SubFactory(PostFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    message = "Southvale would like to talk about sharing this: call the shared services team"
