"""API tokens: made by their owner, shown once, stored hashed, revocable."""

import re

import pytest
from django.test import Client

from accounts.models import ApiToken, User


@pytest.fixture
def user(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user("token.owner", password="a-long-test-password-9")


def test_a_token_is_shown_once_stored_hashed_and_authenticates(user):
    client = Client()
    client.force_login(user)
    page = client.post("/account/tokens/", {"name": "script"}).content.decode()
    secret = re.search(r'<code style="word-break: break-all">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.hashed != secret and secret not in token.hashed
    assert ApiToken.authenticate(secret) == user
    assert secret not in client.get("/account/tokens/").content.decode()  # never shown again


def test_a_revoked_token_no_longer_works_and_others_cannot_revoke_it(user):
    token, secret = ApiToken.issue(user, "script")
    intruder = User.objects.create_user("intruder", password="a-long-test-password-9")
    client = Client()
    client.force_login(intruder)
    client.post("/account/tokens/", {"revoke": token.pk})
    assert ApiToken.authenticate(secret) == user
    client.force_login(user)
    client.post("/account/tokens/", {"revoke": token.pk})
    assert ApiToken.authenticate(secret) is None


def test_tokens_page_needs_sign_in(db):
    assert Client().get("/account/tokens/").status_code == 302
