"""A new officer asks for an account, confirms their email, is approved by their organisation's
admin, resets their password and signs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import JoinRequest, Membership, Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-officer-passphrase-77"
NEW_PASSWORD = "another-long-passphrase-for-testing-88"


def link_in(message) -> str:
    (url,) = re.findall(r"https?://[^\s]+", message.body)[:1]
    return re.sub(r"^https?://[^/]+", "", url)


def ask_for_account(client, capture, organisation, email="ada.clerk@northtown.example", **extra):
    data = {
        "first_name": "Ada",
        "last_name": "Clerk",
        "email": email,
        "username": "ada.clerk",
        "organisation": f"{organisation.name} ({organisation.code})",
        "job_title": "Shared services officer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    with capture(execute=True):
        return client.post("/account/signup/", data)


def test_the_request_account_page_offers_the_organisation_autocomplete(client):
    page = client.get("/account/signup/").content.decode()

    assert "Ask for an account" in page
    assert 'data-sw-autocomplete="organisations"' in page
    assert "organisation-autocomplete.js" in page
    assert "<script>" not in page  # no inline script: the CSP forbids them


def test_a_new_user_joins_resets_their_password_and_signs_in(
    client, testshire, member_of, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    admin = member_of(testshire.northtown, Role.ADMIN)

    response = ask_for_account(client, capture, testshire.northtown)

    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="ada.clerk")
    assert (user.first_name, user.last_name) == ("Ada", "Clerk")
    join_request = JoinRequest.objects.get(user=user)
    assert join_request.organisation == testshire.northtown and join_request.state == JoinRequest.State.WAITING
    to_admin = [m for m in mail.outbox if admin.email in m.to]
    assert len(to_admin) == 1 and "ada.clerk@northtown.example" in to_admin[0].body
    verification = next(m for m in mail.outbox if m.to == ["ada.clerk@northtown.example"])
    address = user.emailaddress_set.get()
    assert address.primary and not address.verified
    assert "confirm" in verification.subject.lower()

    # Not yet confirmed: cannot sign in.
    client.logout()
    refused = client.post("/account/sign-in/", {"username": "ada.clerk", "password": PASSWORD})
    assert refused.status_code == 200 and "Confirm your email address first" in refused.content.decode()

    confirm_url = link_in(verification)
    assert client.get(confirm_url).status_code == 200
    assert client.post(confirm_url).status_code == 302
    assert user.emailaddress_set.get().verified

    # The organisation's admin approves, as an editor.
    client.force_login(admin)
    page = client.get(f"/account/members/{testshire.northtown.code}/").content.decode()
    assert "Ada Clerk" in page and "Shared services officer" in page
    mail.outbox.clear()
    with capture(execute=True):
        decided = client.post(
            f"/account/members/{testshire.northtown.code}/requests/{join_request.pk}/",
            {"decision": "approve", "role": Role.EDITOR},
        )
    assert decided.status_code == 302
    assert Membership.objects.get(user=user, organisation=testshire.northtown).role == Role.EDITOR
    (approved,) = mail.outbox
    assert approved.to == ["ada.clerk@northtown.example"] and "approved" in approved.subject
    client.logout()

    # Forgotten password: reset by an emailed link.
    mail.outbox.clear()
    with capture(execute=True):
        assert client.post("/account/password/reset/", {"email": "ada.clerk@northtown.example"}).status_code == 302
    (reset,) = mail.outbox
    reset_page = client.get(link_in(reset), follow=True)
    assert reset_page.status_code == 200
    set_url = reset_page.redirect_chain[-1][0] if reset_page.redirect_chain else link_in(reset)
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    # Signs in with the new password, by email address this time.
    client.logout()
    signed_in = client.post("/account/sign-in/", {"username": "ada.clerk@northtown.example", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_personal_address_is_refused(client, testshire, django_capture_on_commit_callbacks):
    response = ask_for_account(client, django_capture_on_commit_callbacks, testshire.northtown, email="ada@gmail.com")

    assert response.status_code == 200
    assert "Enter your work email address" in response.content.decode()
    assert not User.objects.filter(username="ada.clerk").exists()
    assert mail.outbox == []


def test_an_unknown_organisation_is_refused_with_its_field_named(client, django_capture_on_commit_callbacks, db):
    response = ask_for_account(
        client, django_capture_on_commit_callbacks, type("O", (), {"name": "Nowhere Council", "code": "ZZZ"})()
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_organisation"' in page
    assert "No organisation called" in page


def test_the_old_password_reset_address_goes_to_the_reset_page(client):
    response = client.get("/account/password-reset/")

    assert response.status_code == 302 and response["Location"] == "/account/password/reset/"


def test_allauths_sign_in_address_goes_to_sharewells(client):
    response = client.get("/account/login/?next=/organisations/")

    assert response.status_code == 302 and response["Location"] == "/account/sign-in/?next=/organisations/"


@pytest.mark.parametrize(
    "path",
    ["/account/signup/", "/account/password/reset/", "/account/confirm-email/", "/account/sign-in/"],
)
def test_account_pages_use_the_site_layout(client, path):
    response = client.get(path, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="sw-header"' in page
    assert "govuk-heading-l" in page


def test_signing_in_unconfirmed_sends_the_link_again(client, user, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    from accounts.tests.factories import PASSWORD as USER_PASSWORD

    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/account/sign-in/", {"username": user.email, "password": USER_PASSWORD})

    assert "Confirm your email address first" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    (again,) = mail.outbox
    assert again.to == [user.email] and "/account/confirm-email/" in again.body


def test_a_wrong_password_for_an_unconfirmed_account_sends_nothing(client, user, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/sign-in/", {"username": user.email, "password": "not-the-password-at-all"})

    assert mail.outbox == []


def test_an_account_made_before_has_its_address_trusted_at_sign_in(client, user):
    from allauth.account.models import EmailAddress

    from accounts.tests.factories import PASSWORD as USER_PASSWORD

    client.force_login(user)
    client.get("/account/email/")  # allauth lists user.email, unconfirmed
    client.logout()

    response = client.post("/account/sign-in/", {"username": user.username, "password": USER_PASSWORD})

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_a_signed_in_user_changes_their_password(client, user):
    from accounts.tests.factories import PASSWORD as USER_PASSWORD

    client.post("/account/sign-in/", {"username": user.username, "password": USER_PASSWORD})

    wrong = client.post(
        "/account/password/change/", {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    changed = client.post(
        "/account/password/change/",
        {"oldpassword": USER_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert 'href="#id_oldpassword"' in wrong.content.decode()
    assert changed.status_code == 302
    client.logout()
    assert client.post("/account/sign-in/", {"username": user.username, "password": NEW_PASSWORD}).status_code == 302
