"""An organisation's members page: only its admins (or a moderator, while it has none) may act."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts import writes
from accounts.models import Invitation, JoinRequest, Membership, OrganisationSecurity, Role
from accounts.tests.factories import JoinRequestFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(testshire, member_of):
    admin = member_of(testshire.northtown, Role.ADMIN)
    colleague = MembershipFactory(organisation=testshire.northtown, role=Role.VIEWER)
    asker = UserFactory(first_name="Bea", last_name="Asker")
    join_request = JoinRequestFactory(user=asker, organisation=testshire.northtown)
    return {
        "org": testshire.northtown,
        "admin": admin,
        "colleague": colleague,
        "join_request": join_request,
        "other_admin": member_of(testshire.southvale, Role.ADMIN),
        "editor": member_of(testshire.northtown, Role.EDITOR),
        "viewer": colleague.user,
    }


def base(world) -> str:
    return f"/account/members/{world['org'].code}/"


WRITES = {
    "approve": lambda w: (f"requests/{w['join_request'].pk}/", {"decision": "approve", "role": Role.EDITOR}),
    "refuse": lambda w: (f"requests/{w['join_request'].pk}/", {"decision": "refuse"}),
    "change role": lambda w: (f"members/{w['colleague'].pk}/", {"role": Role.ADMIN, "can_sign_off": "on"}),
    "remove": lambda w: (f"members/{w['colleague'].pk}/", {"remove": "1"}),
    "invite": lambda w: ("invite/", {"email": "new.person@northtown.example", "role": Role.VIEWER}),
    "require mfa": lambda w: ("security/", {"require_mfa": "on"}),
}


def unchanged(world) -> bool:
    world["join_request"].refresh_from_db()
    colleague = Membership.objects.filter(pk=world["colleague"].pk).first()
    return (
        world["join_request"].state == JoinRequest.State.WAITING
        and colleague is not None
        and colleague.role == Role.VIEWER
        and not colleague.can_sign_off
        and not Invitation.objects.exists()
        and not OrganisationSecurity.objects.filter(require_mfa=True).exists()
    )


@pytest.mark.parametrize("who", ["other_admin", "editor", "viewer", "moderator"])
@pytest.mark.parametrize("action", list(WRITES))
def test_refused_to_anyone_but_the_organisations_admin(client, world, moderator, who, action):
    world["moderator"] = moderator  # the organisation has an admin: a moderator leaves it to them
    client.force_login(world[who])
    path, data = WRITES[action](world)

    response = client.post(base(world) + path, data)

    assert response.status_code == 403
    assert "Only an admin of this organisation" in response.content.decode()
    assert unchanged(world)


@pytest.mark.parametrize("action", list(WRITES))
def test_refused_to_anonymous_people(client, world, action):
    path, data = WRITES[action](world)

    response = client.post(base(world) + path, data)

    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
    assert unchanged(world)


@pytest.mark.parametrize("who, status", [("admin", 200), ("other_admin", 403), ("editor", 403), ("viewer", 403)])
def test_only_the_admin_sees_the_members_page(client, world, who, status):
    client.force_login(world[who])

    assert client.get(base(world)).status_code == status


def test_the_admin_changes_a_members_role_and_sign_off(client, world):
    client.force_login(world["admin"])

    response = client.post(
        base(world) + f"members/{world['colleague'].pk}/", {"role": Role.EDITOR, "can_sign_off": "on"}
    )

    assert response.status_code == 302
    world["colleague"].refresh_from_db()
    assert (world["colleague"].role, world["colleague"].can_sign_off) == (Role.EDITOR, True)


def test_the_admin_removes_a_member(client, world):
    client.force_login(world["admin"])

    client.post(base(world) + f"members/{world['colleague'].pk}/", {"remove": "1"})

    assert not Membership.objects.filter(pk=world["colleague"].pk).exists()


def test_the_last_admin_cannot_step_down_or_be_removed(client, world):
    own = Membership.objects.get(user=world["admin"], organisation=world["org"])
    client.force_login(world["admin"])

    demoted = client.post(base(world) + f"members/{own.pk}/", {"role": Role.EDITOR})
    removed = client.post(base(world) + f"members/{own.pk}/", {"remove": "1"}, follow=True)

    assert "make someone else an admin first" in demoted.content.decode()
    assert "make someone else an admin first" in removed.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_a_moderator_decides_for_an_organisation_with_no_admin(client, testshire, moderator):
    asker = UserFactory()
    join_request = JoinRequestFactory(user=asker, organisation=testshire.fire)
    client.force_login(moderator)

    response = client.post(
        f"/account/members/{testshire.fire.code}/requests/{join_request.pk}/",
        {"decision": "approve", "role": Role.ADMIN},
    )

    assert response.status_code == 302
    assert Membership.objects.get(user=asker, organisation=testshire.fire).role == Role.ADMIN
    # Now it has an admin, the moderator leaves its members to them.
    assert not writes.can_manage_members(moderator, testshire.fire)


def test_the_admin_refuses_a_request_and_the_asker_is_told(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(base(world) + f"requests/{world['join_request'].pk}/", {"decision": "refuse"})

    world["join_request"].refresh_from_db()
    assert world["join_request"].state == JoinRequest.State.REFUSED
    assert not Membership.objects.filter(user=world["join_request"].user, organisation=world["org"]).exists()
    (told,) = mail.outbox
    assert told.to == [world["join_request"].user.email] and "not approved" in told.subject


def test_a_request_from_another_organisations_page_is_not_found(client, world, testshire):
    client.force_login(world["other_admin"])

    response = client.post(
        f"/account/members/{testshire.southvale.code}/requests/{world['join_request'].pk}/", {"decision": "approve"}
    )

    assert response.status_code == 404
    assert unchanged(world)


def test_an_invitation_is_emailed_and_accepted_by_its_address(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base(world) + "invite/", {"email": "new.person@northtown.example", "role": Role.EDITOR})
    (invitation_email,) = mail.outbox
    invitation = Invitation.objects.get()
    assert invitation_email.to == ["new.person@northtown.example"]
    assert f"/account/invitation/{invitation.token}/" in invitation_email.body

    stranger = UserFactory(email="someone.else@southvale.example")
    client.force_login(stranger)
    refused = client.post(f"/account/invitation/{invitation.token}/")
    assert "sign in with that address" in refused.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()

    invited = UserFactory(email="new.person@northtown.example")
    client.force_login(invited)
    assert client.post(f"/account/invitation/{invitation.token}/").status_code == 302
    assert Membership.objects.get(user=invited, organisation=world["org"]).role == Role.EDITOR
    assert client.post(f"/account/invitation/{invitation.token}/").status_code == 200  # used once only
    assert Membership.objects.filter(organisation=world["org"], user__email="new.person@northtown.example").count() == 1


def test_an_invitation_opened_before_signing_up_starts_the_account_form_with_its_address(client, world):
    from django.test import Client

    from accounts.tests.factories import InvitationFactory

    invitation = InvitationFactory(organisation=world["org"], email="new.person+legal@northtown.example")
    page = Client().get(f"/account/invitation/{invitation.token}/").content.decode()
    link = re.search(r'href="(/account/signup/[^"]+)">ask for an account', page).group(1).replace("&amp;", "&")
    assert link.endswith(f"next=/account/invitation/{invitation.token}/")
    form = Client().get(link).content.decode()
    assert 'value="new.person+legal@northtown.example"' in form


def test_an_invalid_invitation_form_names_the_field(client, world):
    client.force_login(world["admin"])

    page = client.post(base(world) + "invite/", {"email": "not an address", "role": Role.VIEWER}).content.decode()

    assert 'href="#id_email"' in page
    assert not Invitation.objects.exists()


def test_asking_to_join_from_your_account_page(client, testshire, user, django_capture_on_commit_callbacks):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/", {"organisation": "SVL", "job_title": ""})
    again = client.post("/account/", {"organisation": "SVL", "job_title": ""})

    assert response.status_code == 302
    assert JoinRequest.objects.filter(user=user, organisation=testshire.southvale).count() == 1
    assert "You have already asked to join Southvale" in again.content.decode()


def test_moderators_see_the_requests_only_they_can_decide(client, world, testshire, moderator, member_of):
    asker = UserFactory(first_name="Finn", last_name="Fire")
    JoinRequestFactory(user=asker, organisation=testshire.fire, job_title="Station manager")
    client.force_login(moderator)

    page = client.get("/account/members/").content.decode()

    assert "Finn Fire" in page and f"/account/members/{testshire.fire.code}/" in page
    assert "Bea Asker" not in page  # Northtown has an admin: theirs to decide
    client.force_login(world["admin"])
    assert client.get("/account/members/").status_code == 403
