"""A shared service in Testshire: Northtown (lead) and Southvale, with the county outside it,
and people in each role. The evidence library is loaded, as the questions cite it."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.world import load_evidence_library, shared_service


@pytest.fixture
def world(testshire, member_of, moderator):
    load_evidence_library()
    legal = shared_service("Testshire shared legal", "live", [testshire.northtown, testshire.southvale])
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
