"""Who may change what: the one place every write path asks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.permissions import can_administer_organisation, can_edit_organisation, has_role
from accounts.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, may_edit, may_administer",
    [(Role.VIEWER, False, False), (Role.EDITOR, True, False), (Role.ADMIN, True, True)],
)
def test_roles_in_the_organisation(testshire, member_of, role, may_edit, may_administer):
    person = member_of(testshire.county, role)

    assert can_edit_organisation(person, testshire.county) is may_edit
    assert can_administer_organisation(person, testshire.county) is may_administer
    assert has_role(person, testshire.county, Role.VIEWER) is True


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.ADMIN])
def test_a_role_elsewhere_gives_nothing_here(testshire, member_of, role):
    person = member_of(testshire.northtown, role)

    assert not has_role(person, testshire.county, Role.VIEWER)
    assert not can_edit_organisation(person, testshire.county)


def test_a_role_in_the_county_gives_nothing_in_its_districts(testshire, member_of):
    person = member_of(testshire.county, Role.ADMIN)

    assert not can_edit_organisation(person, testshire.northtown)


def test_moderators_may_do_anything_anywhere(testshire, moderator):
    for organisation in (testshire.county, testshire.northtown, testshire.fire):
        assert can_administer_organisation(moderator, organisation)


def test_anonymous_and_inactive_people_may_do_nothing(testshire):
    inactive_moderator = UserFactory(is_moderator=True, is_active=False)
    inactive_admin = MembershipFactory(
        organisation=testshire.county, role=Role.ADMIN, user=UserFactory(is_active=False)
    ).user

    for person in (AnonymousUser(), None, inactive_moderator, inactive_admin):
        assert not has_role(person, testshire.county, Role.VIEWER)


def test_role_in(testshire, member_of, user):
    editor = member_of(testshire.county, Role.EDITOR)

    assert editor.role_in(testshire.county) == Role.EDITOR
    assert editor.role_in(testshire.northtown) is None
    assert user.role_in(testshire.county) is None
    assert AnonymousUser().is_authenticated is False
