"""A shared service in Testshire: Northtown (lead) and Southvale, with the county outside it,
and people in each role. The evidence library is loaded, as the questions cite it."""

from __future__ import annotations

import pytest

from accounts.models import Role
from arrangements.models import Arrangement, Partnership
from evidence.tests.conftest import load_library


def make_arrangement(title: str, status: str, partners, published: bool = True) -> Arrangement:
    arrangement = Arrangement.objects.create(
        title=title,
        description="Shared for the test",
        delivery_model="lead_authority",
        status=status,
        published=published,
    )
    for index, organisation in enumerate(partners):
        Partnership.objects.create(
            arrangement=arrangement, organisation=organisation, role="lead" if index == 0 else "member"
        )
    return arrangement


@pytest.fixture
def world(testshire, member_of, moderator):
    load_library()
    legal = make_arrangement("Testshire shared legal", "live", [testshire.northtown, testshire.southvale])
    return {
        "arrangement": legal,
        "north": testshire.northtown,
        "south": testshire.southvale,
        "county": testshire.county,
        "north_editor": member_of(testshire.northtown, Role.EDITOR),
        "south_editor": member_of(testshire.southvale, Role.EDITOR),
        "north_viewer": member_of(testshire.northtown, Role.VIEWER),
        "county_editor": member_of(testshire.county, Role.EDITOR),
        "moderator": moderator,
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
