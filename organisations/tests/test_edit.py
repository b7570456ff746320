"""Changing an organisation's details: who may, what is kept, and the history it leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from organisations.models import Organisation

pytestmark = pytest.mark.django_db

EDIT = "/organisations/TST/edit/"
NEW_DETAILS = {
    "homepage": "https://www.testshire.example/shared-services",
    "contact_email": "sharing@testshire.example",
    "political_control": "",
    "political_control_as_of": "",
    "political_control_source": "",
}


def county() -> Organisation:
    return Organisation.objects.get(code="TST")


def test_anonymous_people_are_sent_to_sign_in(client, testshire):
    response = client.get(EDIT)

    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/organisations/TST/edit/"


def test_anonymous_post_saves_nothing(client, testshire):
    response = client.post(EDIT, NEW_DETAILS)

    assert response.status_code == 302
    assert county().homepage == "https://www.testshire.example/"


def test_a_viewer_of_the_organisation_may_not_edit(client, testshire, member_of):
    client.force_login(member_of(testshire.county, Role.VIEWER))

    get = client.get(EDIT)
    post = client.post(EDIT, NEW_DETAILS)

    assert get.status_code == post.status_code == 403
    assert "You cannot do that" in get.content.decode()
    assert "Only editors of this organisation and moderators" in get.content.decode()
    assert county().homepage == "https://www.testshire.example/"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_an_editor_of_another_organisation_may_not_edit(client, testshire, member_of, role):
    client.force_login(member_of(testshire.northtown, role))

    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, NEW_DETAILS).status_code == 403
    assert county().homepage == "https://www.testshire.example/"


def test_a_user_without_any_organisation_may_not_edit(client, testshire, user):
    client.force_login(user)

    assert client.get(EDIT).status_code == 403


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_and_admins_of_the_organisation_may_edit(client, testshire, member_of, role):
    client.force_login(member_of(testshire.county, role))

    form = client.get(EDIT)
    response = client.post(EDIT, NEW_DETAILS)

    assert form.status_code == 200
    assert 'name="homepage"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/organisations/TST/"
    saved = county()
    assert saved.homepage == NEW_DETAILS["homepage"]
    assert saved.contact_email == NEW_DETAILS["contact_email"]


def test_a_moderator_may_edit_any_organisation(client, testshire, moderator):
    client.force_login(moderator)

    response = client.post("/organisations/NTT/edit/", {**NEW_DETAILS, "homepage": "https://northtown.example/"})

    assert response.status_code == 302
    assert Organisation.objects.get(code="NTT").homepage == "https://northtown.example/"


def test_saving_marks_only_the_changed_fields_as_edited(client, testshire, member_of):
    client.force_login(member_of(testshire.county, Role.EDITOR))

    client.post(EDIT, {**NEW_DETAILS, "contact_email": ""})
    assert county().user_edited_fields == ["homepage"]

    client.post(EDIT, NEW_DETAILS)
    assert county().user_edited_fields == ["contact_email", "homepage"]

    client.post(EDIT, NEW_DETAILS)  # no change: nothing more is marked
    assert county().user_edited_fields == ["contact_email", "homepage"]


def test_saving_shows_a_message_and_writes_history(client, testshire, member_of):
    editor = member_of(testshire.county, Role.EDITOR)
    client.force_login(editor)

    profile = client.post(EDIT, NEW_DETAILS, follow=True).content.decode()

    assert "Details of Testshire saved." in profile
    record = county().history.latest("history_date")
    assert record.history_user == editor
    assert record.history_change_reason == "Edited on the organisation page"
    assert record.homepage == NEW_DETAILS["homepage"]
    history = client.get("/organisations/TST/history/").content.decode()
    assert f"{editor.get_full_name()} (Testshire)" in history  # a member sees who
    assert "Homepage: “https://www.testshire.example/” → “https://www.testshire.example/shared-services”" in history
    assert "Contact email: “” → “sharing@testshire.example”" in history


def test_history_is_public(client, testshire, member_of):
    client.force_login(member_of(testshire.county, Role.EDITOR))
    client.post(EDIT, NEW_DETAILS)
    client.logout()

    response = client.get("/organisations/TST/history/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "sharing@testshire.example" in page
    # The public sees the organisation that made the change, not the person.
    editor = county().history.latest("history_date").history_user
    assert editor.username not in page and editor.get_full_name() not in page
    assert '<td class="govuk-table__cell">Testshire</td>' in page


def test_political_control_needs_a_date_and_a_source(client, testshire, member_of):
    client.force_login(member_of(testshire.county, Role.EDITOR))

    response = client.post(EDIT, {**NEW_DETAILS, "political_control": "No overall control"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Give the date and a source link for political control" in page
    assert "<title>Error: " in page
    saved = county()
    assert saved.political_control == ""
    assert saved.homepage == "https://www.testshire.example/"
    assert saved.user_edited_fields == []


@pytest.mark.parametrize(
    "missing",
    ["political_control_as_of", "political_control_source"],
)
def test_political_control_with_only_a_date_or_a_source_is_refused(client, testshire, member_of, missing):
    client.force_login(member_of(testshire.county, Role.EDITOR))
    details = {
        **NEW_DETAILS,
        "political_control": "No overall control",
        "political_control_as_of": "2025-05-02",
        "political_control_source": "https://www.testshire.example/elections",
        missing: "",
    }

    response = client.post(EDIT, details)

    assert response.status_code == 200
    assert county().political_control == ""


def test_political_control_with_date_and_source_is_saved_and_shown(client, testshire, member_of):
    client.force_login(member_of(testshire.county, Role.EDITOR))

    client.post(
        EDIT,
        {
            **NEW_DETAILS,
            "political_control": "No overall control",
            "political_control_as_of": "2025-05-02",
            "political_control_source": "https://www.testshire.example/elections",
        },
    )

    saved = county()
    assert saved.political_control == "No overall control"
    assert saved.political_control_as_of == dt.date(2025, 5, 2)
    assert {"political_control", "political_control_as_of", "political_control_source"} <= set(saved.user_edited_fields)
    page = client.get("/organisations/TST/").content.decode()
    assert "No overall control" in page and "As of 2 May 2025" in page


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("homepage", "not a web address", "Enter a valid URL"),
        ("contact_email", "not-an-email", "Enter a valid email address"),
    ],
)
def test_invalid_details_are_shown_in_the_error_summary(client, testshire, member_of, field, value, error):
    client.force_login(member_of(testshire.county, Role.EDITOR))

    response = client.post(EDIT, {**NEW_DETAILS, field: value})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}">{error}' in page
    assert county().homepage == "https://www.testshire.example/"


def test_only_people_who_may_edit_see_the_change_link(client, testshire, member_of):
    assert "Change details" not in client.get("/organisations/TST/").content.decode()

    client.force_login(member_of(testshire.county, Role.VIEWER))
    assert "Change details" not in client.get("/organisations/TST/").content.decode()

    client.force_login(member_of(testshire.county, Role.EDITOR))
    assert 'href="/organisations/TST/edit/">Change details' in client.get("/organisations/TST/").content.decode()


def test_editing_an_unknown_organisation_is_a_404(client, testshire, moderator):
    client.force_login(moderator)

    assert client.get("/organisations/NOPE/edit/").status_code == 404
