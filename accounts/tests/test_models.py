"""Users, memberships and API tokens."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from accounts.models import ApiToken, Membership, Role
from accounts.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "is_moderator, is_superuser, is_staff",
    [(False, False, False), (True, False, True), (False, True, True)],
)
def test_only_moderators_and_superusers_are_staff(is_moderator, is_superuser, is_staff):
    person = UserFactory(is_moderator=is_moderator, is_superuser=is_superuser, is_staff=not is_staff)

    person.refresh_from_db()
    assert person.is_staff is is_staff


def test_moderators_have_every_permission_normal_users_none():
    assert UserFactory(is_moderator=True).has_perm("organisations.change_organisation")
    assert UserFactory(is_moderator=True).has_module_perms("organisations")
    assert not UserFactory().has_perm("organisations.change_organisation")
    assert not UserFactory().has_module_perms("organisations")
    assert not UserFactory(is_moderator=True, is_active=False).has_perm("organisations.change_organisation")


def test_one_membership_per_person_and_organisation(testshire):
    membership = MembershipFactory(organisation=testshire.county, role=Role.EDITOR)

    assert str(membership) == f"{membership.user.username} (Editor) at Testshire"
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=membership.user, organisation=testshire.county, role=Role.ADMIN)


def test_api_token_is_stored_only_as_a_hash(user):
    token, secret = ApiToken.issue(user, "survey upload script")

    assert secret not in (token.hashed, token.prefix)
    assert token.prefix == secret[:8]
    assert token.hashed == ApiToken.hash(secret) != ApiToken.hash(secret + "x")
    assert len(secret) >= 40
    assert str(token) == f"survey upload script ({secret[:8]}…)"


def test_api_token_authenticates_its_owner_and_records_use(user):
    token, secret = ApiToken.issue(user, "script")

    assert ApiToken.authenticate(secret) == user
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.parametrize("secret", ["", None, "not-a-token"])
def test_unknown_api_tokens_authenticate_nobody(user, secret):
    ApiToken.issue(user, "script")

    assert ApiToken.authenticate(secret) is None


def test_revoked_tokens_and_inactive_owners_authenticate_nobody(user):
    revoked, revoked_secret = ApiToken.issue(user, "old")
    revoked.revoked = True
    revoked.save()
    inactive = UserFactory(is_active=False)
    _token, inactive_secret = ApiToken.issue(inactive, "script")

    assert ApiToken.authenticate(revoked_secret) is None
    assert ApiToken.authenticate(inactive_secret) is None


def test_each_token_is_different(user):
    assert ApiToken.issue(user, "a")[1] != ApiToken.issue(user, "b")[1]
