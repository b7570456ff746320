"""The annual survey: an editor confirms Northtown's arrangements one question page at a
time, checks the answers, and only then does the register change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from arrangements import writes
from arrangements.models import Arrangement, LedgerEntry, Revision, StatusChange
from surveys.models import SurveyDraft, SurveyResponse
from surveys.tests.factories import SurveyRoundFactory
from tests import world

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
    """The 2026/27 round, open today (from a week ago for a month)."""
    return SurveyRoundFactory(year=2026)


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
    world.import_rows(users["moderator"], *rows, filename="more.csv")
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
    response = editor.post(
        question(1), {"status": "expanded", "savings": "£260,000", "period": "2026/27", "note": "Testshire joined"}
    )
    assert response.status_code == 302 and response["Location"] == question(2)

    page = editor.get(question(2)).content.decode()
    assert "Testshire waste partnership" in page and checked_status(page) == ["under_review"]
    response = editor.post(question(2), {"status": "under_review", "savings": "40k", "period": "2026/27", "note": ""})
    assert response["Location"] == NEW
    response = editor.post(NEW, {"has_new": "no"})
    assert response["Location"] == CHECK
    assert register_snapshot() == before  # answers are kept aside until they are submitted

    check = editor.get(CHECK).content.decode()
    assert "Expanded (changed)" in check and "£260,000 in 2026/27" in check
    assert "Under review" in check and "Under review (changed)" not in check and "£40,000" in check
    assert "Testshire joined" in check

    # "Change" goes back to the question, with the answer given, then straight back to the check page.
    change = f"{question(1)}?change=1"
    assert check.count(f'href="{change}"') == 2  # status and savings
    page = editor.get(change).content.decode()
    assert checked_status(page) == ["expanded"] and 'value="£260,000"' in page
    response = editor.post(
        change, {"status": "expanded", "savings": "£270k", "period": "2026/27", "note": "Testshire joined"}
    )
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
    assert not LedgerEntry.objects.filter(
        arrangement__in=[register["ended"], register["elsewhere"]], period="2026/27"
    ).exists()
    response_record = SurveyResponse.objects.get(round=survey_round, organisation=places["north"])
    assert response_record.submitted_by == users["editor"]
    assert set(response_record.answers) == {str(legal.pk), str(waste.pk)}

    # The draft is deleted once submitted, and the index says so.
    assert not SurveyDraft.objects.exists()
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


# --- answers kept on the server as the organisation's draft ---------------------------------


def answer(status: str, savings: str = "", period: str = "2026/27", note: str = "") -> dict:
    """What a question page posts: the year field comes prefilled with the round's year."""
    return {"status": status, "savings": savings, "period": period, "note": note}


def signed_in(username: str) -> Client:
    """A new browser that signs in on the sign-in page, so it has a session of its own."""
    client = Client()
    response = client.post("/account/sign-in/", {"username": username, "password": "a-long-test-password-9"})
    assert response.status_code == 302 and client.session.get("_auth_user_id")
    return client


def test_a_draft_survives_signing_out_and_signing_in_again(survey_round, register, users):
    users["editor"].first_name, users["editor"].last_name = "Nora", "North"
    users["editor"].save()
    first = signed_in("north.editor")
    response = first.post(question(1), answer("expanded", "£265,000", "2025/26", "Southvale's planning added"))
    assert response.status_code == 302 and response["Location"] == question(2)
    assert not any(key.startswith("survey") for key in first.session.keys())  # nothing kept in the browser
    assert first.post("/account/sign-out/").status_code == 302
    assert not first.session.get("_auth_user_id") and first.get(START).status_code == 302

    again = signed_in("north.editor")
    page = again.get(question(1)).content.decode()
    assert checked_status(page) == ["expanded"]
    assert 'value="£265,000"' in page and 'value="2025/26"' in page and "Southvale&#x27;s planning added" in page
    check = again.get(CHECK).content.decode()
    assert "Expanded (changed)" in check and "£265,000 in 2025/26" in check
    assert "Not answered" in check  # the second question, not answered yet
    draft = SurveyDraft.objects.get()
    saved_on = timezone.localtime(draft.updated_at)
    when = f"{saved_on:%-d %B %Y} at {saved_on:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
    assert f"Last saved by Nora North on {when}." in check
    assert f"Last saved by Nora North on {when}." in again.get(START).content.decode()


def test_another_editor_of_the_organisation_continues_the_draft(survey_round, register, places, users):
    colleague = world.person("north.editor2", places["north"], Role.EDITOR)
    client_for(users["editor"]).post(question(1), answer("expanded", "£265,000", note="Testshire joined"))

    other = client_for(colleague)
    start = other.get(START).content.decode()
    assert "answers saved but not yet submitted" in start and "Last saved by north.editor on" in start
    index = other.get("/survey/").content.decode()
    assert "In progress" in index and "Not started" not in index
    assert checked_status(other.get(question(1)).content.decode()) == ["expanded"]
    other.post(question(2), answer("ended", note="Wound up in March"))
    other.post(NEW, {"has_new": "no"})
    check = other.get(CHECK).content.decode()
    assert "Expanded (changed)" in check and "Testshire joined" in check  # the first editor's answer
    assert "Ended (changed)" in check and "Wound up in March" in check  # and the colleague's
    assert "Last saved by north.editor2 on" in check
    draft = SurveyDraft.objects.get()
    assert draft.updated_by == colleague and set(draft.answers["arrangements"]) == {
        str(register["legal"].pk),
        str(register["waste"].pk),
    }

    assert other.post(CHECK).status_code == 200
    response = SurveyResponse.objects.get()
    assert response.submitted_by == colleague and set(response.answers) == set(draft.answers["arrangements"])
    assert not SurveyDraft.objects.exists()
    assert Revision.objects.filter(survey_response=response, state="pending").count() == 2


@pytest.mark.parametrize("url", [START, question(1), question(2), NEW, CHECK])
def test_editors_of_other_organisations_never_see_the_draft(survey_round, register, users, url):
    client_for(users["editor"]).post(question(1), answer("expanded", "£265,000", note="Confidential plans"))
    before = SurveyDraft.objects.values().get()
    for who in ("other_editor", "viewer"):
        client = client_for(users[who])
        for response in (client.get(url), client.post(url, {**answer("ended", "1"), "has_new": "no"})):
            assert response.status_code == 403
            assert "Confidential plans" not in response.content.decode()
    assert SurveyDraft.objects.values().get() == before  # neither changed nor submitted it
    assert not SurveyResponse.objects.exists() and not Revision.objects.exists()
    # Their own organisation's survey starts from nothing.
    own = client_for(users["other_editor"]).get("/survey/2026/CWM/check/").content.decode()
    assert "Confidential plans" not in own and "Last saved" not in own


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2025/26", "2025/26"),
        ("2025-26", "2025/26"),
        (" 2024/2025 ", "2024/25"),
        ("2010/11-2011/12", "2010/11-2011/12"),
    ],
)
def test_the_year_of_the_figure_is_stored_as_the_ledger_writes_it(survey_round, register, users, typed, stored):
    editor = client_for(users["editor"])
    page = editor.get(question(1)).content.decode()
    assert "Which financial year is this figure for?" in page and "For example 2025/26" in page
    assert 'name="period" value="2026/27"' in page  # the round's year, until the respondent says otherwise
    assert editor.post(question(1), answer("live", "£10k", typed)).status_code == 302
    (saved,) = SurveyDraft.objects.get().answers["arrangements"].values()
    assert (saved["savings"], saved["period"]) == (10_000, stored)
    assert f'name="period" value="{stored}"' in editor.get(question(1)).content.decode()
    assert f"£10,000 in {stored}" in editor.get(CHECK).content.decode()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2025/99", "2025/99 is not a financial year: the one that starts in April 2025 is 2025/26"),
        ("1850/51", "Years must be between 1900 and 2100"),
        ("next year", "Enter a financial year like 2026/27, or a range like 2010/11-2011/12"),
        ("", "Enter the financial year this figure is for, like 2025/26"),
    ],
)
def test_a_bad_year_shows_a_govuk_error_and_keeps_nothing(survey_round, register, users, typed, message):
    editor = client_for(users["editor"])
    response = editor.post(question(1), answer("expanded", "£265,000", typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Shared legal" in page and "There is a problem" in page
    assert f'<a href="#id_period">{message}</a>' in page
    assert 'id="id_period-error"' in page and "govuk-input--error" in page
    assert (f'name="period" value="{typed}"' if typed else 'name="period" maxlength') in page  # kept as typed
    assert 'value="£265,000"' in page and checked_status(page) == ["expanded"]  # what was typed is kept
    assert not SurveyDraft.objects.exists()
    assert editor.get(CHECK).content.decode().count("Not answered") >= 2


def test_no_year_is_needed_without_a_figure(survey_round, register, users):
    editor = client_for(users["editor"])
    assert editor.post(question(1), answer("live", "", "")).status_code == 302
    (saved,) = SurveyDraft.objects.get().answers["arrangements"].values()
    assert saved["savings"] is None and saved["period"] is None


def test_savings_above_a_trillion_pounds_are_refused(survey_round, register, users):
    page = client_for(users["editor"]).post(question(1), answer("live", "£2000bn")).content.decode()
    assert "Enter an amount of no more than £1 trillion" in page
    assert not SurveyDraft.objects.exists()


def test_submitted_figures_wait_for_a_moderator_before_they_are_published(survey_round, register, places, users):
    legal, waste = register["legal"], register["waste"]
    editor = client_for(users["editor"])
    editor.post(question(1), answer("expanded", "£265,000", "2025/26", "Southvale's planning added"))
    editor.post(question(2), answer("under_review", "40k", "2025-26"))
    editor.post(NEW, {"has_new": "no"})
    before = register_snapshot()
    public = Client().get(legal.get_absolute_url()).content.decode()

    done = editor.post(CHECK).content.decode()
    assert "What happens next" in done and "A moderator checks" in done and "before they are published" in done
    assert {k: v for k, v in register_snapshot().items() if k not in ("revisions", "responses")} == {
        k: v for k, v in before.items() if k not in ("revisions", "responses")
    }
    assert Client().get(legal.get_absolute_url()).content.decode().count("265,000") == public.count("265,000") == 0
    response = SurveyResponse.objects.get()
    revisions = {r.arrangement: r for r in Revision.objects.filter(survey_response=response, state="pending")}
    assert set(revisions) == {legal, waste}

    moderator = client_for(users["moderator"])
    page = moderator.get("/survey/2026/responses/").content.decode()
    assert "2 changes from their returns are waiting for a moderator" in page
    assert "Submitted" in row_of(page, "Northtown") and '--numeric">2</td>' in row_of(page, "Northtown")
    assert '--numeric">0</td>' in row_of(page, "Southvale") and "Not yet" in row_of(page, "Southvale")

    assert writes.approve(users["moderator"], revisions[legal]).ok
    legal.refresh_from_db()
    assert legal.status == "expanded"
    entry = LedgerEntry.objects.get(arrangement=legal, period="2025/26")
    assert (entry.measure, entry.standing, entry.amount, entry.source) == (
        "achieved_saving",
        "reported",
        265_000,
        "Southvale's planning added",
    )
    assert "£265,000" in Client().get(legal.get_absolute_url()).content.decode()
    assert not LedgerEntry.objects.filter(arrangement=waste, period="2025/26").exists()  # not approved yet
    assert '--numeric">1</td>' in row_of(moderator.get("/survey/2026/responses/").content.decode(), "Northtown")

    assert writes.approve(users["moderator"], revisions[waste]).ok
    assert LedgerEntry.objects.get(arrangement=waste, period="2025/26").amount == 40_000
    page = moderator.get("/survey/2026/responses/").content.decode()
    assert "No changes from their returns are waiting" in page and '--numeric">0</td>' in row_of(page, "Northtown")


def test_moderators_see_a_return_in_progress(survey_round, register, users):
    client_for(users["editor"]).post(question(1), answer("live"))
    page = client_for(users["moderator"]).get("/survey/2026/responses/").content.decode()
    assert "In progress" in row_of(page, "Northtown") and "Not yet" in row_of(page, "Southvale")


def test_a_draft_changed_while_it_was_being_checked_is_shown_again_not_submitted(survey_round, register, places, users):
    editor = client_for(users["editor"])
    editor.post(question(1), answer("expanded", "£265,000"))
    editor.post(question(2), answer("under_review"))
    check = editor.get(CHECK).content.decode()
    seen = re.search(r'name="draft" value="([^"]+)"', check).group(1)
    client_for(world.person("north.editor2", places["north"], Role.EDITOR)).post(question(1), answer("ended"))

    response = editor.post(CHECK, {"draft": seen})
    page = response.content.decode()
    assert response.status_code == 200 and "Someone saved changes to these answers" in page
    assert "Ended (changed)" in page and "Nothing has been submitted" in page
    assert not SurveyResponse.objects.exists() and not Revision.objects.exists() and SurveyDraft.objects.exists()

    fresh = re.search(r'name="draft" value="([^"]+)"', page).group(1)
    assert "Survey submitted" in editor.post(CHECK, {"draft": fresh}).content.decode()
    assert Revision.objects.get(arrangement=register["legal"]).proposed["status"] == "ended"


def test_an_answer_about_an_arrangement_no_longer_asked_about_is_not_submitted(survey_round, register, users):
    """A draft may be kept for weeks: only what the check page showed is sent."""
    editor = client_for(users["editor"])
    editor.post(question(1), answer("expanded"))
    editor.post(question(2), answer("live", "40k"))
    assert writes.change(users["moderator"], register["waste"], {"status": "ended"}, writes.site(), partial=True).ok
    check = editor.get(CHECK).content.decode()
    assert "Testshire waste partnership" not in check
    assert "Survey submitted" in editor.post(CHECK).content.decode()
    assert [r.arrangement for r in Revision.objects.all()] == [register["legal"]]
    assert set(SurveyResponse.objects.get().answers) == {str(register["legal"].pk)}
