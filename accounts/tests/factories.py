"""Factories for people and their roles in organisations."""

from __future__ import annotations

import secrets
from functools import cache

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import ApiToken, Invitation, JoinRequest, Membership, OrganisationSecurity, Role, User
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


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token made the way `ApiToken.issue` makes one. Its secret, stored nowhere, is on the
    instance as `.secret` (or pass `secret=`), so a test can send it as `Bearer <secret>`."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Testshire survey upload script"
    secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    prefix = factory.LazyAttribute(lambda o: o.secret[:8])
    hashed = factory.LazyAttribute(lambda o: ApiToken.hash(o.secret))

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        return _handing_back_secret(super()._build, model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return _handing_back_secret(super()._create, model_class, *args, **kwargs)


def _handing_back_secret(make, model_class, *args, secret: str, **kwargs) -> ApiToken:
    # The model has no field for the secret: it is kept on the instance only, as `issue` returns it.
    token = make(model_class, *args, **kwargs)
    token.secret = secret
    return token


class JoinRequestFactory(factory.django.DjangoModelFactory):
    """Someone waiting for an organisation's admins to let them in."""

    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Shared services officer"
    state = JoinRequest.State.WAITING


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation not yet accepted, its token made as `accounts.writes` makes one."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@testshire.example")
    role = Role.VIEWER
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    invited_by = factory.SubFactory(UserFactory)


class OrganisationSecurityFactory(factory.django.DjangoModelFactory):
    """An organisation whose admins ask their members for a second factor (the rule a row is written for)."""

    class Meta:
        model = OrganisationSecurity

    organisation = factory.SubFactory(OrganisationFactory)
    require_mfa = True
