"""Factories for people and their roles in organisations."""

from __future__ import annotations

import factory

from accounts.models import Membership, Role, User
from organisations.tests.factories import OrganisationFactory

# Long and uncommon enough for the password validators.
PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@testshire.example")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Officer {n}")
    is_moderator = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER
