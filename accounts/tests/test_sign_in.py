"""Signing in and out, failed attempts, and the password rules."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_in_page_renders(client):
    response = client.get(SIGN_IN)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign in to Sharewell" in page
    assert 'name="username"' in page and 'name="password"' in page
    assert 'type="password"' in page
    assert "govuk-error-summary" not in page
    assert "csrfmiddlewaretoken" in page


def test_right_password_signs_in_and_goes_home(client, user):
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(user.pk)


def test_sign_in_goes_back_to_where_you_were(client, user):
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "/organisations/"})

    assert response["Location"] == "/organisations/"


def test_sign_in_never_sends_you_to_another_site(client, user):
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_wrong_password_shows_the_govuk_error_summary(client, user):
    response = client.post(SIGN_IN, {"username": user.username, "password": "not the password"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert 'class="govuk-error-summary"' in page
    assert "There is a problem" in page
    assert "Enter a correct username and password. Both are case-sensitive." in page
    assert signed_in_as(client) is None


def test_empty_form_shows_field_errors_linked_from_the_summary(client):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()

    assert 'href="#id_username"' in page
    assert 'href="#id_password"' in page
    assert "govuk-input--error" in page


def test_inactive_account_cannot_sign_in(client):
    inactive = UserFactory(is_active=False)

    client.post(SIGN_IN, {"username": inactive.username, "password": PASSWORD})

    assert signed_in_as(client) is None


def test_too_many_failures_lock_the_account_even_with_the_right_password(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit >= 2
    for _attempt in range(limit - 1):
        assert client.post(SIGN_IN, {"username": user.username, "password": "wrong"}).status_code == 200
    last_failure = client.post(SIGN_IN, {"username": user.username, "password": "wrong"})
    assert last_failure.status_code == 429

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert signed_in_as(client) is None


def test_one_fewer_failure_than_the_limit_does_not_lock(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(SIGN_IN, {"username": user.username, "password": "wrong"})

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_as(client) == str(user.pk)


def test_a_lockout_is_for_that_account_only(client, user):
    other = UserFactory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": user.username, "password": "wrong"})

    response = client.post(SIGN_IN, {"username": other.username, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_as(client) == str(other.pk)


def test_a_success_resets_the_count_of_failures(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(SIGN_IN, {"username": user.username, "password": "wrong"})
    client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    client.logout()
    client.post(SIGN_IN, {"username": user.username, "password": "wrong"})

    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302


def test_sign_out(client, user):
    client.force_login(user)

    response = client.post("/account/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) is None


def test_signed_in_people_skip_the_sign_in_page(client, user):
    client.force_login(user)

    assert client.get(SIGN_IN).status_code == 302


# --- password rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, message",
    [
        ("password", "This password is too short. It must contain at least 12 characters."),
        ("password", "This password is too common."),
        ("1qaz2wsx3edc", "This password is too common."),
        ("481516234200", "This password is entirely numeric."),
        ("testshire-officer", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused(password, message):
    user = UserFactory.build(username="testshire-officer")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)

    assert message in refused.value.messages


def test_a_long_uncommon_password_is_accepted():
    assert validate_password(PASSWORD, UserFactory.build()) is None


# --- the pages tell the truth about the limits ----------------------------------------------


def lock_out(client, username: str):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(SIGN_IN, {"username": username, "password": "wrong"})
    return response


def test_sign_in_page_states_the_configured_failure_limit(client, settings):
    settings.AXES_FAILURE_LIMIT = 3

    page = client.get(SIGN_IN).content.decode()

    assert "After 3 failed attempts" in page


def test_lockout_page_states_the_default_cool_off(client, user):
    assert settings.AXES_COOLOFF_TIME == 0.25

    page = lock_out(client, user.username).content.decode()

    assert "you cannot sign in for 15 minutes" in page


def test_lockout_page_states_the_configured_cool_off(client, settings, user):
    settings.AXES_COOLOFF_TIME = 2  # hours

    response = lock_out(client, user.username)

    assert response.status_code == 429
    assert "15 minutes" not in response.content.decode()
