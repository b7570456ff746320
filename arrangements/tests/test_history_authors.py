"""Public history pages name the organisation that made a change, never the person; partners and
moderators see the person too."""

from __future__ import annotations

import pytest
from django.test import Client

from arrangements.models import Version

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(arrangement, users, places):
    """A version made by Northtown's editor."""
    editor = users["editor"]
    editor.first_name, editor.last_name = "Nora", "Editorson"
    editor.save()
    latest = arrangement.versions.order_by("-number").first()
    Version.objects.create(
        arrangement=arrangement,
        number=latest.number + 1,
        snapshot=latest.snapshot,
        changes=["Description: One legal team → One legal team, bigger"],
        door="Edited on the site",
        user=editor,
        organisation=places["north"],
    )
    return arrangement


def page_for(user, arrangement) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/arrangements/{arrangement.pk}/history/").content.decode()


@pytest.mark.parametrize("who", [None, "other_editor"])
def test_the_public_sees_the_organisation_not_the_person(edited, users, places, who):
    page = page_for(users.get(who) if who else None, edited)

    assert "One legal team, bigger" in page
    assert "Nora" not in page and "Editorson" not in page and "north.editor" not in page
    assert places["north"].name in page


@pytest.mark.parametrize("who", ["viewer", "moderator"])
def test_partners_and_moderators_see_the_person(edited, users, places, who):
    page = page_for(users[who], edited)

    assert f"Nora Editorson ({places['north'].name})" in page
