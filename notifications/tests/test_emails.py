"""The emails Sharewell sends, read from the outbox: to whom, in plain words, once, with a
preferences link where they are not essential."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import MembershipFactory
from notifications import jobs
from notifications.models import EmailPreference
from notifications.tests.factories import EmailPreferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal(db):
    from services.models import ServiceCategory

    category, _ = ServiceCategory.objects.get_or_create(
        key="legal", defaults={"label": "Legal services", "family": "Corporate", "sort_order": 1}
    )
    return category


def preferences_path(message) -> str:
    (url,) = re.findall(r"https?://\S+/email-preferences/\S+/", message.body)
    return re.sub(r"^https?://[^/]+", "", url)


# --- the partner board -------------------------------------------------------------------------


@pytest.fixture
def post(testshire, member_of, legal):
    from partners.models import Post

    poster = member_of(testshire.northtown, Role.EDITOR)
    return Post.objects.create(
        organisation=testshire.northtown,
        category=legal,
        title="A partner for legal services",
        description="We want to share our legal team.",
        contact_name="Pat Poster",
        contact_email="pat@northtown.example",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        created_by=poster,
    )


def respond(post, organisation, user, capture, message="We are interested: call us."):
    from partners.tests.factories import PostResponseFactory

    with capture(execute=True):
        return PostResponseFactory(post=post, organisation=organisation, user=user, message=message)


def test_a_board_response_is_emailed_to_the_poster(post, testshire, member_of, django_capture_on_commit_callbacks):
    responder = member_of(testshire.southvale, Role.EDITOR)

    respond(post, testshire.southvale, responder, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [post.created_by.email]
    assert "Southvale responded to your post" in message.body and "We are interested: call us." in message.body
    assert f"/partners/board/{post.pk}/" in message.body
    assert "/email-preferences/" in message.body


def test_no_board_email_once_turned_off_by_the_link_without_signing_in(
    post, testshire, member_of, django_capture_on_commit_callbacks
):
    responder = member_of(testshire.southvale, Role.EDITOR)
    respond(post, testshire.southvale, responder, django_capture_on_commit_callbacks)
    link = preferences_path(mail.outbox[0])
    anonymous = Client()

    assert anonymous.get(link).status_code == 200
    saved = anonymous.post(link, {"surveys": "on", "contract_endings": "on"})  # board responses unticked
    assert saved.status_code == 302
    assert not EmailPreference.objects.get(user=post.created_by).board_responses

    mail.outbox.clear()
    respond(post, testshire.southvale, responder, django_capture_on_commit_callbacks, "Again")
    assert mail.outbox == []


def test_an_altered_preferences_link_does_nothing(post):
    from notifications.preferences import token_for

    token = token_for(post.created_by)
    response = Client().post(f"/email-preferences/{token[:-2]}xx/", {})

    assert response.status_code == 404
    assert not EmailPreference.objects.exists()


def test_the_preferences_page_for_the_signed_in(client, user):
    client.force_login(user)

    page = client.get("/email-preferences/").content.decode()

    assert "A weekly digest" in page and 'name="weekly_digest"' in page
    assert client.get("/email-preferences/", follow=False).status_code == 200
    assert Client().get("/email-preferences/").status_code == 302  # signs in first


# --- the annual survey ---------------------------------------------------------------------------


@pytest.fixture
def survey_round(db):
    from surveys.models import SurveyRound

    today = timezone.localdate()
    return SurveyRound.objects.create(
        year=2026, opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=30)
    )


def test_a_round_opening_is_emailed_once_to_each_editor(survey_round, testshire, member_of):
    editor = member_of(testshire.northtown, Role.EDITOR)
    admin = member_of(testshire.northtown, Role.ADMIN)
    member_of(testshire.northtown, Role.VIEWER)

    assert jobs.send_survey_emails.call() == 2
    assert jobs.send_survey_emails.call() == 0  # once only

    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, admin.email])
    assert "The 2026/27 annual survey of shared services is open" in mail.outbox[0].body
    assert f"/survey/2026/{testshire.northtown.code}/" in mail.outbox[0].body


def test_a_reminder_near_the_close_to_organisations_that_have_not_answered(survey_round, testshire, member_of):
    from surveys.models import SurveyResponse

    north = member_of(testshire.northtown, Role.EDITOR)
    south = member_of(testshire.southvale, Role.EDITOR)
    jobs.send_survey_emails.call()
    mail.outbox.clear()
    SurveyResponse.objects.create(round=survey_round, organisation=testshire.southvale)
    survey_round.closes_on = timezone.localdate() + dt.timedelta(days=10)
    survey_round.save()

    assert jobs.send_survey_emails.call() == 1
    assert jobs.send_survey_emails.call() == 0

    (reminder,) = mail.outbox
    assert reminder.to == [north.email] and south.email not in reminder.to
    assert "closes in 10 days" in reminder.body


# --- contracts ending ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, expected",
    [(-1, None), (0, 3), (80, 3), (100, 6), (150, 6), (200, None)],
)
def test_contract_thresholds(days, expected):
    today = dt.date(2026, 12, 1)

    assert jobs.contract_threshold(today + dt.timedelta(days=days), today) == expected


def test_add_months_keeps_the_end_of_a_short_month():
    assert jobs.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_contract_endings_once_per_contract_per_threshold(testshire, member_of, legal):
    from arrangements.models import Contract

    editor = member_of(testshire.northtown, Role.EDITOR)
    member_of(testshire.southvale, Role.EDITOR)
    contract = Contract.objects.create(
        organisation=testshire.northtown,
        category=legal,
        description="Legal case management system",
        ends_on=timezone.localdate() + dt.timedelta(days=150),
    )

    assert jobs.send_contract_endings.call() == 1
    assert jobs.send_contract_endings.call() == 0
    (six,) = mail.outbox
    assert six.to == [editor.email] and "Legal case management system" in six.body
    assert "in 6 months or less" in six.subject

    contract.ends_on = timezone.localdate() + dt.timedelta(days=60)
    contract.save()
    assert jobs.send_contract_endings.call() == 1
    assert jobs.send_contract_endings.call() == 0
    assert "in 3 months or less" in mail.outbox[-1].subject


# --- the weekly digest -------------------------------------------------------------------------------


def test_the_weekly_digest_only_for_those_who_asked(testshire, member_of):
    from arrangements.models import Arrangement, Partnership
    from arrangements.tests.factories import VersionFactory

    wants = member_of(testshire.northtown, Role.VIEWER)
    EmailPreferenceFactory(user=wants, weekly_digest=True)
    member_of(testshire.northtown, Role.EDITOR)  # has not asked for it
    arrangement = Arrangement.objects.create(
        title="Shared waste collection", description="x", delivery_model="joint_committee", status="live"
    )
    Partnership.objects.create(arrangement=arrangement, organisation=testshire.northtown, role="lead")
    VersionFactory(arrangement=arrangement, changes=["Status: Planned → Live"], organisation=testshire.northtown)
    VersionFactory(
        arrangement=arrangement,
        changes=["Old change"],
        organisation=testshire.northtown,
        created_at=timezone.now() - dt.timedelta(days=8),
    )

    assert jobs.send_weekly_digests.call() == 1

    (digest,) = mail.outbox
    assert digest.to == [wants.email]
    assert "Shared waste collection" in digest.body and "Status: Planned → Live" in digest.body
    assert "Old change" not in digest.body
    assert "/email-preferences/" in digest.body


def test_no_digest_in_a_quiet_week(testshire, member_of):
    wants = member_of(testshire.northtown, Role.VIEWER)
    EmailPreferenceFactory(user=wants, weekly_digest=True)

    assert jobs.send_weekly_digests.call() == 0
    assert mail.outbox == []


# --- sign-off requests -------------------------------------------------------------------------------


def test_a_sign_off_request_goes_to_the_finance_lead_once_committed(
    testshire, member_of, django_capture_on_commit_callbacks
):
    from arrangements.models import Arrangement, Partnership
    from arrangements.tests.factories import LedgerEntryFactory

    finance = MembershipFactory(organisation=testshire.northtown, role=Role.VIEWER, can_sign_off=True).user
    member_of(testshire.northtown, Role.ADMIN)  # an admin, but not the finance lead
    MembershipFactory(organisation=testshire.southvale, can_sign_off=True)  # another organisation's
    arrangement = Arrangement.objects.create(
        title="Shared audit", description="x", delivery_model="joint_committee", status="live"
    )
    Partnership.objects.create(arrangement=arrangement, organisation=testshire.northtown, role="lead")
    entry = LedgerEntryFactory(
        arrangement=arrangement, partner=testshire.northtown, measure="achieved_saving", period="2025/26", amount=80_000
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.send_sign_off_request(entry)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    (request,) = mail.outbox
    assert request.to == [finance.email]
    assert "£80,000 for 2025/26" in request.body and "Shared audit" in request.body
    assert "/email-preferences/" not in request.body  # essential: no opting out


def test_no_sign_off_request_for_an_entry_already_signed_off(testshire):
    from arrangements.models import Arrangement
    from arrangements.tests.factories import LedgerEntryFactory

    MembershipFactory(organisation=testshire.northtown, can_sign_off=True)
    arrangement = Arrangement.objects.create(
        title="A", description="x", delivery_model="joint_committee", status="live"
    )
    entry = LedgerEntryFactory(
        arrangement=arrangement,
        partner=testshire.northtown,
        measure="achieved_saving",
        signed_off_by="F. Lead",
        signed_off_on=dt.date(2026, 6, 1),
    )

    assert jobs.send_sign_off_request_task.call(entry.pk) == 0


def test_every_email_job_is_periodic_where_it_should_be():
    from background import schedule

    names = {p.name for p in schedule.registered()}
    assert {
        "notifications.jobs.send_survey_emails",
        "notifications.jobs.send_contract_endings",
        "notifications.jobs.send_weekly_digests",
    } <= names
