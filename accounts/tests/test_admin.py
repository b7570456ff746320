"""The Django admin: for moderators only."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from accounts.models import Role
from organisations.models import Organisation

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/organisations/organisation/"


def test_a_moderator_can_open_the_register_in_the_admin(client, testshire, moderator):
    client.force_login(moderator)

    response = client.get(CHANGELIST, {"q": "Testshire"})

    assert response.status_code == 200
    page = response.content.decode()
    for found in (testshire.county, testshire.fire, testshire.police):
        assert f'href="/admin/organisations/organisation/{found.pk}/change/' in page
    assert f'href="/admin/organisations/organisation/{testshire.northtown.pk}/change/' not in page
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.parametrize("role", [None, Role.ADMIN])
def test_a_normal_user_cannot_open_the_admin(client, testshire, member_of, user, role):
    person = member_of(testshire.county, role) if role else user
    client.force_login(person)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_people_are_sent_to_the_admin_sign_in(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={CHANGELIST}"


def admin_form(organisation: Organisation, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(organisation).items()}
    data["successors"] = [s.pk for s in organisation.successors.all()]
    data.pop("id")
    for prefix, rows in (("names", organisation.names.all()), ("gss_codes", organisation.gss_codes.all())):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-organisation"] = organisation.pk
            for field in ("name", "code", "status"):
                if hasattr(row, field):
                    data[f"{prefix}-{index}-{field}"] = getattr(row, field)
    data.update(changes)
    return data


def test_a_moderator_edit_in_the_admin_is_protected_from_the_importer(client, testshire, moderator):
    client.force_login(moderator)
    county = testshire.county

    response = client.post(
        f"{CHANGELIST}{county.pk}/change/", admin_form(county, homepage="https://moderated.example/", population=1)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    county.refresh_from_db()
    assert county.homepage == "https://moderated.example/"
    assert county.population == 1
    # Only user-maintained fields are protected; the population comes from the register.
    assert county.user_edited_fields == ["homepage"]


def test_a_moderator_cannot_set_or_see_another_persons_password_or_make_a_superuser(client, moderator, user):
    client.force_login(moderator)
    assert client.get(f"/admin/accounts/user/{user.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "a-new-password-123", "password2": "a-new-password-123"},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.check_password("a-new-password-123")
    page = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and "password/" not in page
    assert client.get("/admin/accounts/user/add/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/mfa/authenticator/",
        "/admin/account/emailaddress/",
        "/admin/socialaccount/socialapp/",
        "/admin/socialaccount/socialtoken/",
    ],
)
def test_a_moderator_cannot_read_second_factors_addresses_or_provider_secrets(client, moderator, path):
    from accounts.tests.factories import UserFactory

    client.force_login(moderator)
    assert client.get(path).status_code == 403
    assert "/admin/mfa/" not in client.get("/admin/").content.decode()

    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(path).status_code == 200
