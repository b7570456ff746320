"""Every write path, refused for those who may not and allowed for those who may."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from arrangements.models import Arrangement, StatusChange

FORM = {
    "title": "Shared audit",
    "description": "One audit team",
    "kind": "shared_service",
    "services": "audit",
    "delivery_model": "lead_authority",
    "status": "live",
    "lead_organisation": "Northtown",
    "partner-0-organisation": "SVL",
    "no_savings_reason": "Not set up to save money",
}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 302), ("viewer", 403), ("other_editor", 200), ("editor", 302), ("moderator", 302)]
)
def test_adding_an_arrangement(users, service_list, who, expected):
    # The editor of another organisation may open the page, but not add for Northtown.
    response = client_for(users.get(who)).post("/arrangements/add/", FORM)
    assert response.status_code == expected
    created = Arrangement.objects.filter(title="Shared audit").exists()
    assert created == (who in ("editor", "moderator"))
    if who == "other_editor":
        assert "not an editor of Northtown" in response.content.decode()


@pytest.mark.parametrize(
    "who, expected",
    [("anonymous", 302), ("viewer", 403), ("other_editor", 403), ("editor", 302), ("admin", 302), ("moderator", 302)],
)
def test_changing_an_arrangement(arrangement, users, who, expected):
    data = {**FORM, "title": "Shared legal", "services": "legal", "status": "under_review"}
    response = client_for(users.get(who)).post(f"/arrangements/{arrangement.pk}/change/", data)
    assert response.status_code == expected
    arrangement.refresh_from_db()
    # Published: an editor's change waits for a moderator; a moderator's goes live.
    assert (arrangement.status == "under_review") == (who == "moderator")
    assert arrangement.revisions.filter(state="pending").exists() == (who in ("editor", "admin"))


def test_other_editor_cannot_change_even_a_published_arrangement(arrangement, users):
    # Published, so visible to them: the refusal is a 403, not a 404.
    response = client_for(users["other_editor"]).post(f"/arrangements/{arrangement.pk}/change/", FORM)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 302), ("viewer", 403), ("other_editor", 403), ("editor", 302), ("moderator", 302)]
)
def test_deleting_is_soft_and_refused_to_others(arrangement, users, who, expected):
    response = client_for(users.get(who)).post(f"/arrangements/{arrangement.pk}/delete/")
    assert response.status_code == expected
    deleted = Arrangement.objects.get(pk=arrangement.pk).deleted_at is not None
    assert deleted == (who == "moderator")  # an editor's request to delete a published record waits
    assert arrangement.revisions.filter(state="pending", action="delete").exists() == (who == "editor")


def test_only_moderators_undelete(arrangement, users):
    client_for(users["moderator"]).post(f"/arrangements/{arrangement.pk}/delete/")
    assert Client().get(f"/arrangements/{arrangement.pk}/").status_code == 404
    assert client_for(users["editor"]).post(f"/arrangements/{arrangement.pk}/undelete/").status_code == 403
    assert client_for(users["editor"]).get("/arrangements/deleted/").status_code == 403
    moderator = client_for(users["moderator"])
    assert "Shared legal" in moderator.get("/arrangements/deleted/").content.decode()
    assert moderator.post(f"/arrangements/{arrangement.pk}/undelete/").status_code == 302
    assert Client().get(f"/arrangements/{arrangement.pk}/").status_code == 200


@pytest.mark.parametrize("who, allowed", [("viewer", False), ("editor", False), ("admin", False), ("moderator", True)])
def test_publishing(places, service_list, users, who, allowed):
    client_for(users["editor"]).post("/arrangements/add/", FORM)
    draft = Arrangement.objects.get(title="Shared audit")
    assert Client().get(f"/arrangements/{draft.pk}/").status_code == 404  # the public cannot see a draft
    assert client_for(users["viewer"]).get(f"/arrangements/{draft.pk}/").status_code == 200  # members can
    response = client_for(users[who]).post(f"/arrangements/{draft.pk}/publish/")
    assert response.status_code == (302 if allowed else 403)
    assert Arrangement.objects.get(pk=draft.pk).published == allowed


def test_lead_admin_may_publish_when_configured(places, service_list, users, settings):
    settings.LEAD_ADMIN_CAN_PUBLISH = True
    client_for(users["editor"]).post("/arrangements/add/", FORM)
    draft = Arrangement.objects.get(title="Shared audit")
    assert client_for(users["editor"]).post(f"/arrangements/{draft.pk}/publish/").status_code == 403
    assert client_for(users["admin"]).post(f"/arrangements/{draft.pk}/publish/").status_code == 302


def test_form_errors_name_the_field_and_keep_what_was_typed(places, service_list, users):
    response = client_for(users["editor"]).post(
        "/arrangements/add/",
        {
            **FORM,
            "lead_organisation": "Northtwn",
            "ledger-0-period": "2024/25",
            "ledger-0-measure": "expected_saving",
            "ledger-0-amount": "lots",
            "ledger-1-period": "",
            "delivery_model": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_lead_organisation"' in page and "Did you mean" in page
    assert 'href="#id_ledger-0-amount"' in page and "Select the delivery model" in page  # every error at once
    assert 'value="Shared audit"' in page
    assert not Arrangement.objects.exists()


def test_history_shows_changes_and_restore_brings_back_a_version(arrangement, users):
    moderator = client_for(users["moderator"])
    form = moderator.get(f"/arrangements/{arrangement.pk}/change/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, [])}
    data.update(
        {
            "description": "Now bigger",
            "status": "expanded",
            "ledger-4-period": "2019/20",
            "ledger-4-measure": "achieved_saving",
            "ledger-4-amount": "260000",
        }
    )
    response = moderator.post(f"/arrangements/{arrangement.pk}/change/", data)
    assert response.status_code == 302, response.context["form"].errors
    page = moderator.get(f"/arrangements/{arrangement.pk}/history/").content.decode()
    assert "moderator" in page and "Now bigger" in page and "Status: Live → Expanded" in page
    assert "Achieved saving 2019/20 added: £260,000" in page and "Edited on the site" in page
    assert StatusChange.objects.filter(arrangement=arrangement, status="expanded").exists()
    assert Client().get(f"/arrangements/{arrangement.pk}/history/").content.decode().count("moderator") == 0
    restore_links = re.findall(r"history/(\d+)/restore/", page)
    assert restore_links == ["1"]  # every version but the newest can be restored
    url = f"/arrangements/{arrangement.pk}/history/1/restore/"
    assert client_for(users["viewer"]).post(url).status_code == 403
    confirm = moderator.get(url).content.decode()  # asks first, saying what will change
    assert "Restore this version" in confirm and "Achieved saving 2019/20 removed (was £260,000)" in confirm
    assert moderator.post(url).status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.description == "One legal team" and arrangement.status == "live" and arrangement.published
    assert not arrangement.ledger.filter(period="2019/20").exists()
    assert arrangement.ledger.count() == 4 and list(arrangement.categories.values_list("key", flat=True)) == ["legal"]
    assert "Restore of the version" in moderator.get(f"/arrangements/{arrangement.pk}/history/").content.decode()


def test_detail_page_keeps_expected_and_achieved_apart(arrangement):
    page = Client().get(f"/arrangements/{arrangement.pk}/").content.decode()
    assert "£300,000" in page and "£250,000" in page  # expected and achieved, in their own columns
    assert "£2,000,000" in page  # baseline
    assert "Northtown" in page and "Southvale" in page and "https://example.org/r" in page


def test_upload_page_runs_the_import_and_shows_row_level_problems(places, service_list, users, settings, csv_file):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert client_for(users["viewer"]).get("/arrangements/import/").status_code == 403
    assert Client().get("/arrangements/import/").status_code == 302
    editor = client_for(users["editor"])
    bad = csv_file("Bad one,desc,legal,magic,live,2019,,Northtown,,,,,,,,")
    response = editor.post("/arrangements/import/", {"file": SimpleUploadedFile("bad.csv", bad)})
    page = editor.get(response["Location"]).content.decode()
    assert "nothing was imported" in page and "magic" in page and "<code>model</code>" in page
    good = csv_file("Good one,desc,legal,joint committee,live,2019,,Northtown,Southvale,,,,,,None yet,")
    response = editor.post("/arrangements/import/", {"file": SimpleUploadedFile("good.csv", good), "dry_run": "on"})
    job_url = response["Location"]
    assert "No problems found" in editor.get(job_url).content.decode()
    assert not Arrangement.objects.exists()  # a check only
    assert client_for(users["other_editor"]).get(job_url).status_code == 403  # someone else's upload
    real = editor.post(job_url)
    assert "Import complete" in editor.get(real["Location"]).content.decode()
    assert Arrangement.objects.filter(title="Good one").exists()


def test_template_downloads_have_every_column_and_an_example(db):
    csv_text = Client().get("/arrangements/import/template.csv").content.decode()
    header, example = csv_text.splitlines()[:2]
    assert header.startswith("title,description,kind,source_url,source_citation,lead_organisation")
    assert "expected_saving 2020/21" in header
    assert "Cambridgeshire County Council" in example
    assert Client().get("/arrangements/import/template.xlsx").status_code == 200
