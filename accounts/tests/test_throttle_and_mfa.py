"""Sign-in throttled per address as well as per username; a second factor with an authenticator app."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import PASSWORD, OrganisationSecurityFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def test_one_password_sprayed_across_many_usernames_locks_the_address(client, settings, user):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    assert settings.AXES_FAILURE_LIMIT > 1  # so no single username is locked on its own
    for n in range(6):
        response = client.post(SIGN_IN, {"username": f"someone{n}", "password": "Summer2026!Summer"})
        assert response.status_code == 200

    locked = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert locked.status_code == 429
    assert "from your connection, to one account or several" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked(client, settings, user):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        client.post(SIGN_IN, {"username": f"someone{n}", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_the_default_address_limit_allows_a_busy_office(settings):
    # Many officers share one council address: the address limit is well above one person's.
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 4 * settings.AXES_FAILURE_LIMIT


def _authenticator(user) -> tuple[Authenticator, str]:
    secret = generate_totp_secret()
    return TOTP.activate(user, secret).instance, secret


def _code(secret: str) -> str:
    from allauth.mfa import app_settings

    counter = int(timezone.now().timestamp()) // app_settings.TOTP_PERIOD
    return f"{hotp_value(secret, counter):0{app_settings.TOTP_DIGITS}d}"


def test_with_an_authenticator_the_password_alone_does_not_sign_in(client, user):
    _authenticator(user)

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "/organisations/"})

    assert response.status_code == 302 and response["Location"] == "/account/sign-in/code/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/account/sign-in/code/", {"code": "000000"})
    assert wrong.status_code == 200 and "Enter the code your authenticator app shows now" in wrong.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_code_signs_in(client, user):
    _authenticator_instance, secret = _authenticator(user)
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "/organisations/"})

    response = client.post("/account/sign-in/code/", {"code": _code(secret)})

    assert response.status_code == 302 and response["Location"] == "/organisations/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client):
    assert client.get("/account/sign-in/code/")["Location"] == SIGN_IN


def test_a_member_of_an_organisation_requiring_it_must_set_it_up_before_changing_anything(client, testshire, member_of):
    editor = member_of(testshire.northtown, Role.EDITOR)
    OrganisationSecurityFactory(organisation=testshire.northtown, require_mfa=True)
    client.post(SIGN_IN, {"username": editor.username, "password": PASSWORD})

    write = client.post("/account/tokens/", {"name": "script"})
    reading = client.get("/organisations/")

    assert write.status_code == 302 and write["Location"].startswith("/account/2fa/totp/activate/")
    assert reading.status_code == 200
    assert not editor.api_tokens.exists()


def test_a_member_with_an_authenticator_writes_as_before(client, testshire, member_of):
    editor = member_of(testshire.northtown, Role.EDITOR)
    _authenticator(editor)
    OrganisationSecurityFactory(organisation=testshire.northtown, require_mfa=True)
    client.force_login(editor)

    assert client.post("/account/tokens/", {"name": "script"}).status_code == 200
    assert editor.api_tokens.count() == 1


def test_other_organisations_members_are_not_asked(client, testshire, member_of):
    editor = member_of(testshire.southvale, Role.EDITOR)
    OrganisationSecurityFactory(organisation=testshire.northtown, require_mfa=True)
    client.force_login(editor)

    assert client.post("/account/tokens/", {"name": "script"}).status_code == 200


def test_the_sign_in_page_offers_openid_connect_only_when_configured(client, settings):
    assert settings.OIDC_CLIENT_ID == ""
    assert "Or sign in with" not in client.get(SIGN_IN).content.decode()


def test_a_user_made_before_keeps_signing_in_by_username(client):
    legacy = UserFactory(username="cambs.editor")

    response = client.post(SIGN_IN, {"username": "cambs.editor", "password": PASSWORD})

    assert response.status_code == 302 and client.session["_auth_user_id"] == str(legacy.pk)


def test_guessing_codes_locks_the_account_like_guessing_passwords(client, settings, user):
    _authenticator_instance, secret = _authenticator(user)
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/account/sign-in/code/", {"code": "000000"}).status_code == 200

    locked = client.post("/account/sign-in/code/", {"code": "000000"})
    right_code_too_late = client.post("/account/sign-in/code/", {"code": _code(secret)})

    assert locked.status_code == 429 and right_code_too_late.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(SIGN_IN, {"username": user.username, "password": PASSWORD}).status_code == 429
