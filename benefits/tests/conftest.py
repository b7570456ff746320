"""The fictional world of the arrangements tests, with finance leads who can sign off savings."""

from __future__ import annotations

import pytest

from accounts.models import ApiToken, Membership, Role, User
from arrangements.tests.conftest import arrangement, csv_file, fast_passwords, places, service_list, users  # noqa: F401


def bearer(user) -> dict:
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _signer(username: str, organisation, role=Role.VIEWER, can_sign_off=True) -> User:
    user = User.objects.create_user(username, password="a-long-test-password-9", first_name="Fin", last_name=username)
    Membership.objects.create(user=user, organisation=organisation, role=role, can_sign_off=can_sign_off)
    return user


@pytest.fixture
def finance(places):  # noqa: F811
    """Finance leads of Northtown (the lead partner), Southvale (a partner) and Cwmtest (not a partner)."""
    return {
        "north": _signer("north.finance", places["north"]),
        "south": _signer("south.finance", places["south"]),
        "welsh": _signer("welsh.finance", places["welsh"]),
    }
