"""The moderation queue and the changes page: refusals first, then each decision, one at a
time and for a whole import or survey return, through the pages that carry them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from arrangements import importing, moderation, writes
from arrangements.models import Arrangement, ImportJob, Revision
from surveys.models import SurveyResponse, SurveyRound

QUEUE = "/arrangements/moderation/"
CHANGES = "/arrangements/changes/"

LEGAL = (
    "Shared legal,One legal team,legal,lead authority delegation,{status},2016-04-01,,"
    "Northtown District Council,Southvale,,,,,,x,"
)
PAYROLL = (
    "Shared payroll,One payroll team,payroll,lead authority delegation,{status},2018,,"
    "Northtown District Council,Southvale,,,,,,Not set up to save money,"
)
WELSH = (
    "Cwmtest legal,Legal for the valleys,legal,joint committee,{status},2017,,Cwmtest,,,,,,,Not set up to save money,"
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def held_change(arrangement, user, **values) -> Revision:
    outcome = writes.change(user, arrangement, values, writes.site(), partial=True)
    assert outcome.revision is not None, outcome.problems
    return outcome.revision


def banner(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def payroll(arrangement, users, csv_file):
    """A second published arrangement led by Northtown."""
    report = importing.run(csv_file(PAYROLL.format(status="live")), "payroll.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems
    return Arrangement.objects.get(title="Shared payroll")


@pytest.fixture
def import_job(payroll, users, csv_file):
    """An editor's import that changes both published arrangements: both wait for a moderator."""
    rows = csv_file(LEGAL.format(status="ended"), PAYROLL.format(status="ended"))
    assert importing.run(rows, "changes.csv", users["editor"]).held == 2
    return ImportJob.objects.get(filename="changes.csv")


@pytest.fixture
def survey_return(arrangement, payroll, users):
    """Northtown's 2026/27 survey return, changing both its arrangements."""
    today = timezone.localdate()
    survey = SurveyRound.objects.create(
        year=2026, opens_on=today - dt.timedelta(days=7), closes_on=today + dt.timedelta(days=30)
    )
    response = SurveyResponse.objects.create(round=survey, organisation=arrangement.lead, submitted_by=users["editor"])
    door = writes.survey(survey.label, response)
    for record in (arrangement, payroll):
        outcome = writes.change(users["editor"], record, {"status": "expanded"}, door, partial=True, moderate=True)
        assert outcome.revision is not None
    return response


# --- refusals -------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(arrangement, users):
    revision = held_change(arrangement, users["editor"], status="ended")
    for url in (QUEUE, CHANGES):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"/account/sign-in/?next={url}")
    response = Client().post(f"{QUEUE}revisions/{revision.pk}/approve/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    revision.refresh_from_db()
    assert revision.state == "pending"


@pytest.mark.parametrize("role", ["editor", "viewer", "admin", "other_editor"])
def test_editors_viewers_and_admins_are_refused_the_queue_and_every_decision(
    import_job, survey_return, users, csv_file, role
):
    legal = Arrangement.objects.get(title="Shared legal")
    revision = Revision.objects.filter(arrangement=legal, state="pending").get()
    importing.run(csv_file(WELSH.format(status="live")), "draft.csv", users["other_editor"])
    draft = Arrangement.objects.get(title="Cwmtest legal")
    client = signed_in(users[role])
    assert client.get(QUEUE).status_code == 403
    reason = {
        "reason": "No",
        f"revision-{revision.pk}-reason": "No",
        f"import-{import_job.pk}-reason": "No",
        f"survey-{survey_return.pk}-reason": "No",
    }
    for url in (
        f"revisions/{revision.pk}/approve/",
        f"revisions/{revision.pk}/reject/",
        f"imports/{import_job.pk}/approve/",
        f"imports/{import_job.pk}/reject/",
        f"surveys/{survey_return.pk}/approve/",
        f"surveys/{survey_return.pk}/reject/",
        f"publish/{draft.pk}/",
    ):
        assert client.post(f"{QUEUE}{url}", reason).status_code == 403, url
    assert not Revision.objects.exclude(state__in=["pending", "superseded"]).exists()
    assert Revision.objects.filter(state="pending").count() == 2  # the survey return replaced the import's
    draft.refresh_from_db()
    legal.refresh_from_db()
    assert not draft.published and legal.status == "live"


# --- one change at a time ---------------------------------------------------------------


def test_a_moderator_sees_the_change_in_words_and_approves_it(arrangement, users):
    revision = held_change(arrangement, users["editor"], status="ended")
    moderator = signed_in(users["moderator"])
    page = moderator.get(QUEUE).content.decode()
    assert "Changes waiting for a decision (1)" in page and "New arrangements waiting to be published (0)" in page
    assert "Status: Live → Ended" in page
    assert "Northtown" in page and "north.editor" in page and "Edited on the site" in page  # who, and how
    assert f'action="{QUEUE}revisions/{revision.pk}/approve/"' in page

    response = moderator.post(f"{QUEUE}revisions/{revision.pk}/approve/", follow=True)
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Change to “Shared legal” approved" in banner(response)
    assert "Changes waiting for a decision (0)" in response.content.decode()
    arrangement.refresh_from_db()
    revision.refresh_from_db()
    assert arrangement.status == "ended" and revision.state == "approved"
    assert revision.decided_by == users["moderator"]
    version = arrangement.versions.order_by("-number").first()
    assert version.door == "edited on the site, approved by moderator"
    assert version.user == users["editor"] and "Status: Live → Ended" in version.changes


def test_a_rejection_needs_a_reason_and_the_editors_organisation_reads_it(arrangement, users):
    revision = held_change(arrangement, users["editor"], status="ended")
    moderator = signed_in(users["moderator"])
    url = f"{QUEUE}revisions/{revision.pk}/reject/"

    response = moderator.post(url, {f"revision-{revision.pk}-reason": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Moderation queue" in page and "There is a problem" in page
    assert f'href="#id_revision-{revision.pk}-reason"' in page and "Give the reason" in page
    assert "govuk-textarea--error" in page and '<details class="govuk-details govuk-!-margin-bottom-0" open>' in page
    revision.refresh_from_db()
    assert revision.state == "pending"

    reason = "The committee minutes of May say it is still live"
    response = moderator.post(url, {f"revision-{revision.pk}-reason": reason}, follow=True)
    assert "Change to “Shared legal” rejected. Northtown can read the reason" in banner(response)
    revision.refresh_from_db()
    arrangement.refresh_from_db()
    assert (revision.state, revision.reason, arrangement.status) == ("rejected", reason, "live")

    # The editor's organisation, even its viewers, reads the reason; another organisation does not.
    for name in ("editor", "viewer"):
        page = signed_in(users[name]).get(CHANGES).content.decode()
        assert reason in page and "Rejected" in page and "Status: Live → Ended" in page
    page = signed_in(users["other_editor"]).get(CHANGES).content.decode()
    assert reason not in page and "Shared legal" not in page and "None yet" in page


def test_the_changes_page_shows_a_replaced_change_with_its_note_and_a_pending_one(arrangement, users):
    first = held_change(arrangement, users["editor"], status="ended")
    held_change(arrangement, users["editor"], status="expanded")
    first.refresh_from_db()
    page = signed_in(users["viewer"]).get(CHANGES).content.decode()
    assert "Replaced by a later change" in page and first.replaced_note in page
    assert "Waiting for a moderator" in page
    assert page.index("Status: Live → Expanded") < page.index("Status: Live → Ended")  # newest first


def test_an_approval_that_no_longer_fits_the_record_shows_why_and_stays_pending(arrangement, users, csv_file):
    revision = held_change(arrangement, users["editor"], title="Shared legal services")
    # Meanwhile a moderator records another arrangement with that title and lead.
    taken = LEGAL.format(status="live").replace("Shared legal,", "Shared legal services,")
    assert not importing.run(csv_file(taken), "m.csv", users["moderator"], publish=True).problems
    response = signed_in(users["moderator"]).post(f"{QUEUE}revisions/{revision.pk}/approve/")
    page = response.content.decode()
    assert response.status_code == 200 and "A change could not be approved" in page
    assert f'href="#revision-{revision.pk}"' in page and "already exists" in page
    revision.refresh_from_db()
    arrangement.refresh_from_db()
    assert revision.state == "pending" and arrangement.title == "Shared legal"


def test_a_record_changed_since_the_change_was_sent_says_what_approving_would_now_do(arrangement, users):
    held_change(arrangement, users["editor"], status="ended")
    writes.change(
        users["moderator"],
        arrangement,
        {"description": "One legal team for both councils"},
        writes.site(),
        partial=True,
    )
    page = signed_in(users["moderator"]).get(QUEUE).content.decode()
    assert "Changed since" in page and "Approving replaces the whole record" in page
    assert "Description changed: “One legal team for both councils” → “One legal team”" in page


def test_a_request_to_delete_reads_as_such_and_approving_deletes(arrangement, users):
    outcome = writes.delete(users["editor"], arrangement, writes.site())
    moderator = signed_in(users["moderator"])
    assert "Delete this arrangement" in moderator.get(QUEUE).content.decode()
    response = moderator.post(f"{QUEUE}revisions/{outcome.revision.pk}/approve/", follow=True)
    assert "“Shared legal” is deleted." in banner(response)
    arrangement.refresh_from_db()
    assert arrangement.deleted_at is not None


def test_a_moderator_publishes_a_new_arrangement_from_the_queue(arrangement, users, csv_file):
    assert importing.run(csv_file(PAYROLL.format(status="live")), "new.csv", users["editor"]).created == 1
    draft = Arrangement.objects.get(title="Shared payroll")
    moderator = signed_in(users["moderator"])
    page = moderator.get(QUEUE).content.decode()
    assert "New arrangements waiting to be published (1)" in page
    assert "Northtown (lead or host)" in page and "Southvale (member)" in page and "by north.editor" in page
    response = moderator.post(f"{QUEUE}publish/{draft.pk}/", follow=True)
    assert "“Shared payroll” is now public." in banner(response)
    assert "New arrangements waiting to be published (0)" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published and draft.published_by == users["moderator"]
    assert draft.versions.order_by("-number").first().changes == ["Published"]


def test_the_queue_is_oldest_first_and_leaves_out_deleted_and_half_imported_records(arrangement, payroll, users):
    older = held_change(payroll, users["editor"], status="ended")
    newer = held_change(arrangement, users["editor"], status="expanded")
    page = signed_in(users["moderator"]).get(QUEUE).content.decode()
    assert page.index(f'id="revision-{older.pk}"') < page.index(f'id="revision-{newer.pk}"')
    Arrangement.objects.filter(pk=payroll.pk).update(deleted_at=timezone.now())
    page = signed_in(users["moderator"]).get(QUEUE).content.decode()
    assert f'id="revision-{older.pk}"' not in page and "Changes waiting for a decision (1)" in page


# --- a whole import or survey return at once ----------------------------------------


def test_a_moderator_approves_every_change_of_one_import_at_once(import_job, users):
    moderator = signed_in(users["moderator"])
    page = moderator.get(QUEUE).content.decode()
    assert "Import of changes.csv (2 changes)" in page and "Changes waiting for a decision (2)" in page
    assert "Approve all 2" in page and "Reject all 2" in page

    # Rejecting them all needs a reason too.
    response = moderator.post(f"{QUEUE}imports/{import_job.pk}/reject/", {f"import-{import_job.pk}-reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and f'href="#id_import-{import_job.pk}-reason"' in page
    assert Revision.objects.filter(import_job=import_job, state="pending").count() == 2

    response = moderator.post(f"{QUEUE}imports/{import_job.pk}/approve/", follow=True)
    assert "2 changes approved (import of changes.csv)." in banner(response)
    for title in ("Shared legal", "Shared payroll"):
        record = Arrangement.objects.get(title=title)
        assert record.status == "ended"
        assert record.versions.order_by("-number").first().door == "import of changes.csv, approved by moderator"
    assert not Revision.objects.filter(state="pending").exists()


def test_a_moderator_rejects_every_change_of_one_import_with_one_reason(import_job, users):
    reason = "Both are still live: check the file"
    response = signed_in(users["moderator"]).post(
        f"{QUEUE}imports/{import_job.pk}/reject/", {f"import-{import_job.pk}-reason": reason}, follow=True
    )
    assert "2 changes rejected (import of changes.csv). Northtown can read the reason" in banner(response)
    assert set(Revision.objects.filter(import_job=import_job).values_list("state", "reason")) == {("rejected", reason)}
    assert signed_in(users["editor"]).get(CHANGES).content.decode().count(reason) == 2


def test_one_change_of_an_import_that_no_longer_fits_stays_pending_and_the_rest_are_approved(import_job, users):
    payroll = Arrangement.objects.get(title="Shared payroll")
    # The change to legal would now give it payroll's title and lead, which the register refuses.
    legal_revision = Revision.objects.get(import_job=import_job, arrangement__title="Shared legal")
    legal_revision.proposed = {**legal_revision.proposed, "title": "Shared payroll"}
    legal_revision.save()
    response = signed_in(users["moderator"]).post(f"{QUEUE}imports/{import_job.pk}/approve/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 change approved (import of changes.csv)." in banner(response)
    assert "A change could not be approved" in page and f'href="#revision-{legal_revision.pk}"' in page
    legal_revision.refresh_from_db()
    payroll.refresh_from_db()
    assert legal_revision.state == "pending" and payroll.status == "ended"


def test_a_survey_return_is_grouped_and_approved_at_once(survey_return, users):
    moderator = signed_in(users["moderator"])
    page = moderator.get(QUEUE).content.decode()
    assert "Survey 2026/27 return from Northtown (2 changes)" in page and "Approve all 2" in page
    response = moderator.post(f"{QUEUE}surveys/{survey_return.pk}/approve/", follow=True)
    assert "2 changes approved (survey 2026/27)." in banner(response)
    assert set(Arrangement.objects.values_list("status", flat=True)) == {"expanded"}


# --- the lead's admin, where configured ---------------------------------------------


def test_with_lead_admins_publishing_the_leads_admin_decides_only_its_own(settings, arrangement, users, csv_file):
    settings.LEAD_ADMIN_CAN_PUBLISH = True
    assert not importing.run(csv_file(WELSH.format(status="live")), "w.csv", users["moderator"], publish=True).problems
    welsh = Arrangement.objects.get(title="Cwmtest legal")
    theirs = held_change(welsh, users["other_editor"], status="ended")
    ours = held_change(arrangement, users["editor"], status="ended")
    importing.run(csv_file(PAYROLL.format(status="live")), "ours.csv", users["editor"])
    importing.run(
        csv_file(WELSH.format(status="live").replace("Cwmtest legal", "Cwmtest payroll")),
        "theirs.csv",
        users["other_editor"],
    )

    admin = signed_in(users["admin"])  # Northtown's admin: Northtown leads Shared legal and Shared payroll
    page = admin.get(QUEUE).content.decode()
    assert "Changes waiting for a decision (1)" in page and "New arrangements waiting to be published (1)" in page
    assert f'id="revision-{ours.pk}"' in page and f'id="revision-{theirs.pk}"' not in page
    assert "Shared payroll" in page and "Cwmtest payroll" not in page

    assert admin.post(f"{QUEUE}revisions/{theirs.pk}/approve/").status_code == 403
    assert (
        admin.post(f"{QUEUE}revisions/{theirs.pk}/reject/", {f"revision-{theirs.pk}-reason": "No"}).status_code == 403
    )
    cwmtest_draft = Arrangement.objects.get(title="Cwmtest payroll")
    assert admin.post(f"{QUEUE}publish/{cwmtest_draft.pk}/").status_code == 403
    theirs.refresh_from_db()
    cwmtest_draft.refresh_from_db()
    assert theirs.state == "pending" and not cwmtest_draft.published

    assert admin.post(f"{QUEUE}revisions/{ours.pk}/approve/").status_code == 302
    ours.refresh_from_db()
    assert ours.state == "approved"

    settings.LEAD_ADMIN_CAN_PUBLISH = False
    assert admin.get(QUEUE).status_code == 403


def test_a_second_press_of_approve_says_it_was_decided_and_changes_nothing_more(arrangement, users):
    revision = held_change(arrangement, users["editor"], status="ended")
    moderator = signed_in(users["moderator"])
    assert moderator.post(f"{QUEUE}revisions/{revision.pk}/approve/").status_code == 302
    versions = arrangement.versions.count()
    response = moderator.post(f"{QUEUE}revisions/{revision.pk}/approve/", follow=True)
    assert "This change is no longer waiting: approved" in banner(response)
    response = moderator.post(
        f"{QUEUE}revisions/{revision.pk}/reject/", {f"revision-{revision.pk}-reason": "No"}, follow=True
    )
    assert "no longer waiting" in banner(response)
    revision.refresh_from_db()
    assert revision.state == "approved" and arrangement.versions.count() == versions


def test_a_long_queue_shows_its_oldest_and_approve_all_still_covers_the_whole_import(import_job, users, monkeypatch):
    monkeypatch.setattr(moderation, "SHOWN", 1)
    moderator = signed_in(users["moderator"])
    page = moderator.get(QUEUE).content.decode()
    assert "Import of changes.csv (2 changes)" in page and "Showing the oldest 1 of its 2 changes" in page
    assert page.count('class="govuk-summary-card" id="revision-') == 1
    moderator.post(f"{QUEUE}imports/{import_job.pk}/approve/")
    assert not Revision.objects.filter(state="pending").exists()
