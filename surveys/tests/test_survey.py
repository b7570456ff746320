"""The annual survey: an editor confirms Northtown's arrangements one question page at a
time, checks the answers, and only then does the register change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from arrangements import importing, writes
from arrangements.models import Arrangement, LedgerEntry, Revision, StatusChange
from arrangements.tests.conftest import HEADER
from surveys.models import SurveyResponse, SurveyRound

START = "/survey/2026/NTT/"
CHECK = "/survey/2026/NTT/check/"
NEW = "/survey/2026/NTT/new/"


def question(number: int) -> str:
    return f"/survey/2026/NTT/arrangement/{number}/"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def checked_status(page: str) -> list[str]:
    """The status radios that are ticked on a question page."""
    return re.findall(r'name="status" type="radio" value="([a-z_]+)" checked', page)


def row_of(page: str, text: str) -> str:
    """The table row of the moderator's responses page that names an organisation."""
    rows = [row for row in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", page, re.S) if text in row]
    assert len(rows) == 1, f"expected one row for {text}, found {len(rows)}"
    return rows[0]


@pytest.fixture
def survey_round(db):
    """The 2026/27 round, open today."""
    today = timezone.localdate()
    return SurveyRound.objects.create(
        year=2026, opens_on=today - dt.timedelta(days=7), closes_on=today + dt.timedelta(days=30)
    )


@pytest.fixture
def register(arrangement, users):
    """Northtown's arrangements in every state, and one of Southvale's that Northtown is not in.

    Asked about, in start-year order: "Shared legal" (live, 2016), then "Testshire waste
    partnership" (under review, 2019). Not asked: one ended, one disaggregated, one not Northtown's.
    """
    rows = [
        "Testshire waste partnership,Joint waste collection,waste,joint committee,under review,2019,,"
        "Testshire County Council,Northtown DC,,,,,,Not set up to save money,",
        "Old payroll,Payroll done together,hr,lead authority,ended,2010,2015,Northtown,Southvale,,,,,,Ended early,",
        "Split audit,One audit team,audit,shared management,disaggregated,2012,2018,Northtown,,,,,,,Split up,",
        "Southvale and Testshire ICT,One ICT team,ict,joint company,live,2020,,Southvale,Testshire,,,,,,None yet,",
    ]
    report = importing.run((HEADER + "\n".join(rows) + "\n").encode(), "more.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems
    return {
        "legal": arrangement,
        "waste": Arrangement.objects.get(title="Testshire waste partnership"),
        "ended": Arrangement.objects.get(title="Old payroll"),
        "disaggregated": Arrangement.objects.get(title="Split audit"),
        "elsewhere": Arrangement.objects.get(title="Southvale and Testshire ICT"),
    }


def register_snapshot() -> dict:
    """Everything the survey may write, to show that answering alone writes none of it."""
    return {
        "statuses": dict(Arrangement.objects.values_list("title", "status")),
        "status_changes": StatusChange.objects.count(),
        "savings": sorted(LedgerEntry.objects.values_list("arrangement__title", "measure", "period", "amount")),
        "revisions": Revision.objects.count(),
        "responses": SurveyResponse.objects.count(),
    }


def test_editor_walks_the_survey_and_only_the_check_page_changes_the_register(survey_round, register, places, users):
    editor = client_for(users["editor"])
    legal, waste = register["legal"], register["waste"]
    before = register_snapshot()

    index = editor.get("/survey/").content.decode()
    assert "Annual survey 2026/27" in index
    assert f'href="{START}"' in index and "Not started" in index

    start = editor.get(START).content.decode()
    assert "2 running arrangements" in start
    assert "Shared legal" in start and "Testshire waste partnership" in start
    for not_asked in ("Old payroll", "Split audit", "Southvale and Testshire ICT"):
        assert not_asked not in start

    # Each question starts from the status in the register.
    page = editor.get(question(1)).content.decode()
    assert "Arrangement 1 of 2" in page and '<h1 class="govuk-heading-l">Shared legal</h1>' in page
    assert checked_status(page) == ["live"]
    response = editor.post(question(1), {"status": "expanded", "savings": "£260,000", "note": "Testshire joined"})
    assert response.status_code == 302 and response["Location"] == question(2)

    page = editor.get(question(2)).content.decode()
    assert "Testshire waste partnership" in page and checked_status(page) == ["under_review"]
    response = editor.post(question(2), {"status": "under_review", "savings": "40k", "note": ""})
    assert response["Location"] == NEW
    response = editor.post(NEW, {"has_new": "no"})
    assert response["Location"] == CHECK
    assert register_snapshot() == before  # answers are kept aside until they are submitted

    check = editor.get(CHECK).content.decode()
    assert "Expanded (changed)" in check and "£260,000" in check
    assert "Under review" in check and "Under review (changed)" not in check and "£40,000" in check
    assert "Testshire joined" in check

    # "Change" goes back to the question, with the answer given, then straight back to the check page.
    change = f"{question(1)}?change=1"
    assert check.count(f'href="{change}"') == 2  # status and savings
    page = editor.get(change).content.decode()
    assert checked_status(page) == ["expanded"] and 'value="£260,000"' in page
    response = editor.post(change, {"status": "expanded", "savings": "£270k", "note": "Testshire joined"})
    assert response.status_code == 302 and response["Location"] == CHECK
    check = editor.get(CHECK).content.decode()
    assert "£270,000" in check and "£260,000" not in check
    assert register_snapshot() == before

    done = editor.post(CHECK)
    assert done.status_code == 200 and "Survey submitted" in done.content.decode()

    # Survey returns go through moderation: nothing is published until a moderator approves.
    legal.refresh_from_db()
    assert legal.status == "live" and not LedgerEntry.objects.filter(period="2026/27").exists()
    revisions = list(Revision.objects.filter(state="pending").order_by("arrangement__title"))
    assert [r.arrangement for r in revisions] == [legal, waste]
    assert all(r.door == "survey 2026/27" and r.survey_response is not None for r in revisions)
    for revision in revisions:
        assert writes.approve(users["moderator"], revision).ok
    legal.refresh_from_db()
    waste.refresh_from_db()
    assert legal.status == "expanded" and waste.status == "under_review"
    change_record = StatusChange.objects.get(arrangement=legal, status="expanded")
    assert change_record.recorded_by == users["editor"]
    assert change_record.changed_on == timezone.localdate() and "2026/27" in change_record.note
    # Achieved savings for the round's year, beside (not instead of) what the import recorded.
    achieved = LedgerEntry.objects.get(arrangement=legal, period="2026/27")
    assert (achieved.measure, achieved.standing, achieved.amount) == ("achieved_saving", "reported", 270_000)
    assert LedgerEntry.objects.filter(arrangement=legal).exclude(period="2026/27").count() == 4
    assert LedgerEntry.objects.get(arrangement=waste, period="2026/27").amount == 40_000
    assert not LedgerEntry.objects.filter(arrangement__in=[register["ended"], register["elsewhere"]],
                                          period="2026/27").exists()
    response_record = SurveyResponse.objects.get(round=survey_round, organisation=places["north"])
    assert response_record.submitted_by == users["editor"]
    assert set(response_record.answers) == {str(legal.pk), str(waste.pk)}

    # The answers are cleared from the session once submitted, and the index says so.
    assert "Not answered" in editor.get(CHECK).content.decode()
    index = editor.get("/survey/").content.decode()
    assert "Submitted" in index and "Not started" not in index

    # The moderator sees Northtown as submitted, and Southvale (also a partner) as not yet.
    responses = client_for(users["moderator"]).get("/survey/2026/responses/")
    assert responses.status_code == 200
    page = responses.content.decode()
    assert "Submitted" in row_of(page, "Northtown")
    assert "Not yet" in row_of(page, "Southvale")
    assert "1 of " in page


def test_unchanged_answers_record_a_response_but_no_status_change(survey_round, register, users):
    editor = client_for(users["editor"])
    editor.post(question(1), {"status": "live", "savings": "", "note": ""})
    editor.post(question(2), {"status": "under_review", "savings": "", "note": ""})
    editor.post(NEW, {"has_new": "yes"})
    changes = StatusChange.objects.count()
    done = editor.post(CHECK).content.decode()
    assert "Add an arrangement" in done and 'href="/arrangements/add/"' in done  # said yes to new ones
    assert StatusChange.objects.count() == changes
    assert not LedgerEntry.objects.filter(period="2026/27").exists()
    assert SurveyResponse.objects.filter(round=survey_round, submitted_by=users["editor"]).count() == 1


def test_submitting_before_every_question_is_answered_goes_back_to_the_first_unanswered(survey_round, register, users):
    editor = client_for(users["editor"])
    editor.post(question(1), {"status": "ended", "savings": "", "note": ""})
    before = register_snapshot()
    response = editor.post(CHECK)
    assert response.status_code == 302 and response["Location"] == question(2)
    assert register_snapshot() == before


def test_bad_money_shows_a_govuk_error_and_keeps_the_answer_unsaved(survey_round, register, users):
    editor = client_for(users["editor"])
    response = editor.post(question(1), {"status": "expanded", "savings": "lots", "note": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Shared legal" in page
    assert "There is a problem" in page and 'href="#id_savings"' in page
    assert 'id="id_savings-error"' in page and "Enter an amount in pounds" in page
    assert "govuk-form-group--error" in page and 'value="lots"' in page  # what was typed is kept
    assert checked_status(page) == ["expanded"]
    check = editor.get(CHECK).content.decode()
    assert "Expanded" not in check and check.count("Not answered") >= 2  # nothing kept from the bad answer
    register["legal"].refresh_from_db()
    assert register["legal"].status == "live"
    assert not LedgerEntry.objects.filter(period="2026/27").exists()


@pytest.mark.parametrize("url", [START, question(1), NEW, CHECK])
def test_anonymous_people_are_sent_to_sign_in(survey_round, register, url):
    for response in (Client().get(url), Client().post(url, {"status": "ended", "has_new": "no"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/?next=")
    assert Client().get("/survey/")["Location"].startswith("/account/sign-in/")
    assert register["legal"].status == "live"


@pytest.mark.parametrize("who", ["viewer", "other_editor"])
@pytest.mark.parametrize("url", [START, question(1), NEW, CHECK])
def test_only_northtowns_editors_may_answer_its_survey(survey_round, register, users, who, url):
    client = client_for(users[who])
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "ended", "savings": "1", "has_new": "no"}).status_code == 403
    assert not SurveyResponse.objects.exists()
    assert Arrangement.objects.get(pk=register["legal"].pk).status == "live"


@pytest.mark.parametrize(
    "who, expected", [("viewer", 403), ("editor", 403), ("admin", 403), ("other_editor", 403), ("moderator", 200)]
)
def test_only_moderators_see_who_has_responded(survey_round, register, users, who, expected):
    assert client_for(users[who]).get("/survey/2026/responses/").status_code == expected
    assert Client().get("/survey/2026/responses/").status_code == 302


def test_a_resubmission_is_dated_when_it_was_made(survey_round, register, users):
    """The moderator's table shows when the organisation last answered, by whom."""
    for who in ("editor", "admin"):
        client = client_for(users[who])
        client.post(question(1), {"status": "live", "savings": "", "note": ""})
        client.post(question(2), {"status": "under_review", "savings": "", "note": ""})
        client.post(NEW, {"has_new": "no"})
        assert client.post(CHECK).status_code == 200
        if who == "editor":
            # The first answer was sent a week ago.
            SurveyResponse.objects.update(submitted_at=timezone.now() - dt.timedelta(days=7))
    response = SurveyResponse.objects.get()
    assert response.submitted_by == users["admin"]
    assert response.submitted_at > timezone.now() - dt.timedelta(hours=1)


@pytest.mark.parametrize("url, data", [(question(1), {"savings": "", "note": ""}), (NEW, {"has_new": ""})])
def test_error_summary_links_to_the_unanswered_radios(survey_round, register, users, url, data):
    """GOV.UK: each error summary link moves to the question's first input, so its target must exist."""
    page = client_for(users["editor"]).post(url, data).content.decode()
    assert "There is a problem" in page
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:
        assert f'id="{target}"' in page, f"the error summary links to #{target}, which is not on the page"
