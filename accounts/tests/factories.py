"""Factories for people and their roles in organisations."""

from __future__ import annotations

from functools import cache

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

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
        # Hashing is slow by design: hash the shared test password once per session.
        obj.password = make_password(extracted) if extracted else _hashed(PASSWORD, settings.PASSWORD_HASHERS[0])
        if create:
            obj.save()


@cache
def _hashed(password: str, hasher: str) -> str:
    return make_password(password)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER
