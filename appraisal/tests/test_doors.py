"""The same refusals and the same acceptance whichever door a change to a case comes through."""

from __future__ import annotations

import pytest
from django.test import Client

from appraisal import writes
from appraisal.tests.factories import case_data
from appraisal.tests.test_pages import client_for, form_for
from engines.appraisal.examples import LGA_2012
from tests.world import bearer


def through(door: str, arrangement, user):
    """Send a change to the case by `door`; the answer's status code."""
    if door == "api":
        data = case_data()
        data["lines"][1]["amounts"] = [60_000, 100_000, 100_000, 100_000, 100_000]
        path = f"/api/v1/arrangements/{arrangement.pk}/business-case"
        return Client().put(path, data, content_type="application/json", **bearer(user)).status_code
    post = form_for(LGA_2012[0])
    # Southvale's own figures as the form shows them: Northtown's editor leaves them alone.
    post.update({"partners[1].baseline": "800000", "partners[1].population": "80000"})
    return client_for(user).post(f"/arrangements/{arrangement.pk}/business-case/change/", post).status_code


REFUSED = {  # door -> who -> status, for a shared case everyone can see
    "page": {None: 302, "other_editor": 403, "viewer": 403},  # anonymous: to the sign-in page
    "api": {None: 401, "other_editor": 403, "viewer": 403},
}


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("who", [None, "other_editor", "viewer"])
def test_people_who_are_not_partner_editors_are_refused_at_every_door(draft, arrangement, users, door, who):
    writes.share(users["editor"], arrangement)
    before = writes.case_of(arrangement).data
    assert through(door, arrangement, users[who] if who else None) == REFUSED[door][who]
    assert writes.case_of(arrangement).data == before


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_partner_editor_changes_the_shared_case_at_every_door(draft, arrangement, users, door):
    writes.share(users["editor"], arrangement)
    assert through(door, arrangement, users["editor"]) in (200, 302)
    assert writes.case_of(arrangement).version == 2


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_draft_is_not_found_by_other_organisations_at_every_door(draft, arrangement, users, door):
    assert through(door, arrangement, users["other_editor"]) == 404
