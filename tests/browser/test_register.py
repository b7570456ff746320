"""The register of shared services in the real browser: finding and downloading arrangements,
importing a spreadsheet, and the annual survey, with an accessibility check on each page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.utils import timezone
from playwright.sync_api import expect

from arrangements import writes
from arrangements.models import Arrangement, LedgerEntry, Partnership
from surveys.models import SurveyResponse, SurveyRound
from tests.browser.conftest import PASSWORD, axe_violations
from tests.browser.pages import (
    AddArrangementPage,
    ArrangementListPage,
    ImportPage,
    SignInPage,
    SurveyPages,
)
from tests.world import HEADER


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url}: {violations}"


def test_the_public_filters_the_register_opens_an_arrangement_and_downloads_the_same_view(page, register):
    register_page = ArrangementListPage(page).open()
    assert register_page.result_count() == "3 arrangements"
    assert_accessible(page)

    register_page.filter(category="Legal services", region="East of England")
    assert "category=legal" in page.url and "region=East+of+England" in page.url
    assert register_page.result_count() == "1 arrangement"
    assert register_page.result_titles() == ["Shared legal"]
    assert_accessible(page)

    downloaded = register_page.download("CSV").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(downloaded)))
    assert [r["title"] for r in rows] == ["Shared legal"]
    assert rows[0]["partner_codes"] == "NTT; SVL" and rows[0]["categories"] == "legal"
    assert (rows[0]["expected_savings_gbp"], rows[0]["achieved_savings_reported_gbp"]) == ("300000", "250000")

    geojson = json.loads(register_page.download("GeoJSON"))
    assert geojson["type"] == "FeatureCollection"
    assert [f["properties"]["title"] for f in geojson["features"]] == ["Shared legal"]
    assert sorted(geojson["features"][0]["geometry"]["coordinates"]) == [[0.1, 52.0], [0.1, 52.4]]

    arrangement = register_page.open_result("Shared legal")
    assert arrangement.heading() == "Shared legal"
    assert arrangement.partners() == [("Northtown", "Lead or host"), ("Southvale", "Member")]
    # Expected and achieved savings each in their own column, never added together.
    money = {(row[0], row[1].splitlines()[0], row[2], row[5]) for row in arrangement.money()}
    assert {
        ("2018/19", "Expected saving", "£300,000", "Expected (a plan)"),
        ("2018/19", "Achieved saving", "£250,000", "Reported, not yet signed off"),
    } <= money
    expect(page.get_by_text("£2,000,000")).to_be_visible()  # the baseline
    assert_accessible(page)


def test_an_editor_imports_a_spreadsheet_in_everyday_words_and_a_bad_one_imports_nothing(
    page, register, settings, tmp_path
):
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url="/arrangements/import/")
    importer = ImportPage(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Import arrangements from a spreadsheet"
    assert_accessible(page)

    good = tmp_path / "our arrangements.csv"
    good.write_text(
        HEADER + "Shared audit,One audit team for the county,audit,joint committee,live,2021-04-01,,"
        "Northtown DC,Testshire County Council,,,80k,,2022/23,,https://example.org/audit\n"
    )
    importer.upload(good, check_only=True)
    expect(page.get_by_role("heading", name="No problems found")).to_be_visible()
    expect(page.get_by_text("1 to add, 0 to update")).to_be_visible()
    assert not Arrangement.objects.filter(title="Shared audit").exists()  # a check only
    assert_accessible(page)

    importer.import_checked_file()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_text("1 added, 0 updated")).to_be_visible()
    assert_accessible(page)
    audit = Arrangement.objects.get(title="Shared audit")
    assert set(audit.partnerships.values_list("organisation__code", "role")) == {
        ("NTT", Partnership.Role.LEAD),
        ("TST", Partnership.Role.MEMBER),
    }
    assert not audit.published  # until a moderator publishes it
    assert list(audit.ledger.values_list("measure", "period", "amount")) == [("expected_saving", "2022/23", 80_000)]

    # Northtown's editor sees the new draft in the register; the public would not.
    page.get_by_role("link", name="See the arrangements").click()
    expect(page.get_by_role("row", name="Shared audit").get_by_text("Not published")).to_be_visible()

    before = (Arrangement.objects.count(), LedgerEntry.objects.count(), Partnership.objects.count())
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "Shared payroll,Payroll,hr,magic,live,2021,,Northtown DC,,,,lots,,2021/22,,\n"
        + "Shared parking,Parking,parking,joint committee,live,2021,,Nowhere DC,,,,,,,None yet,\n"
    )
    importer.open().upload(bad, check_only=False)
    expect(page.get_by_text("nothing was imported")).to_be_visible()
    problems = importer.problems()
    columns = {(row[0], row[1]) for row in problems}
    assert {("2", "model"), ("2", "annual_savings_expected_gbp"), ("3", "lead_organisation")} <= columns, columns
    assert ["2", "model", "magic"] == problems[[r[1] for r in problems].index("model")][:3]
    assert any(row[2] == "Nowhere DC" and "No organisation called" in row[3] for row in problems)
    assert_accessible(page)
    assert (Arrangement.objects.count(), LedgerEntry.objects.count(), Partnership.objects.count()) == before
    assert not Arrangement.objects.filter(title__in=["Shared payroll", "Shared parking"]).exists()


def test_an_editor_answers_the_survey_and_then_adds_a_new_arrangement(page, register):
    today = timezone.localdate()
    survey = SurveyRound.objects.create(
        year=2026, opens_on=today - dt.timedelta(days=7), closes_on=today + dt.timedelta(days=30)
    )
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url="/survey/")
    survey_pages = SurveyPages(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual survey 2026/27")
    assert_accessible(page)

    survey_pages.choose_organisation("Northtown")
    assert survey_pages.listed_arrangements() == ["Shared legal", "Testshire waste partnership"]
    assert_accessible(page)

    survey_pages.start()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared legal")
    assert survey_pages.checked_status() == "Live"
    assert_accessible(page)
    assert survey_pages.year() == "2026/27"  # the round's year, until the respondent says otherwise
    survey_pages.answer(savings="lots", period="2025/99")
    expect(page.get_by_role("link", name="Enter an amount in pounds")).to_be_visible()
    expect(page.get_by_role("link", name="2025/99 is not a financial year")).to_be_visible()
    assert_accessible(page)
    survey_pages.answer(status="Expanded", savings="£265,000", period="2025/26", note="Southvale's planning added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Testshire waste partnership")

    # Signing out loses nothing: the answers are Northtown's draft, kept on the server.
    page.get_by_role("button", name="Sign out").click()
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url="/survey/")
    expect(page.get_by_text("In progress")).to_be_visible()
    survey_pages.choose_organisation("Northtown")
    assert survey_pages.last_saved().startswith("Last saved by north.editor on ")
    assert_accessible(page)
    survey_pages.check_saved_answers()
    shown = survey_pages.answers_shown()
    assert "Expanded (changed)" in shown and "£265,000 in 2025/26" in shown and "Not answered" in shown
    page.get_by_role("link", name="Change status of Testshire waste partnership").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Testshire waste partnership")
    assert survey_pages.checked_status() == "Under review"
    survey_pages.answer()
    page.get_by_role("link", name="Change whether there are new arrangements").click()

    expect(page.get_by_role("group", name="Has your organisation started any new shared arrangements")).to_be_visible()
    assert_accessible(page)
    survey_pages.say_new_arrangements(yes=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting the survey")
    shown = survey_pages.answers_shown()
    assert "Expanded (changed)" in shown and "£265,000 in 2025/26" in shown and "Under review" in shown
    assert "Yes" in shown and "Not answered" not in shown
    assert survey_pages.last_saved().startswith("Last saved by north.editor on ")
    assert_accessible(page)
    desktop = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})  # the longest survey page, at the narrowest width
    assert_accessible(page)
    page.set_viewport_size(desktop)
    assert Arrangement.objects.get(title="Shared legal").status == "live"  # not until submitted
    survey_pages.submit()

    expect(page.get_by_role("heading", name="Survey submitted")).to_be_visible()
    expect(page.get_by_text("A moderator checks the status changes and figures you sent")).to_be_visible()
    assert_accessible(page)
    assert SurveyResponse.objects.filter(round=survey, organisation=register["north"]).exists()
    legal = Arrangement.objects.get(title="Shared legal")
    assert legal.status == "live"  # survey returns wait for a moderator
    (revision,) = legal.revisions.filter(state="pending")
    assert writes.approve(register["moderator"], revision).ok
    legal.refresh_from_db()
    assert legal.status == "expanded"
    assert legal.ledger.get(period="2025/26").amount == 265_000  # for the year the respondent gave

    page.get_by_role("link", name="Add an arrangement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an arrangement")
    assert_accessible(page)
    AddArrangementPage(page).fill(
        **{
            "Title": "Shared building control",
            "Description": "One building control team for both districts",
            "Services": "building control",
            "Lead organisation": "Northtown DC",
            "Organisation (optional)": "Southvale DC",
            "If there is no savings figure, why not (optional)": "Too early to say",
        }
    ).choose(**{"Kind": "Shared service", "Delivery model": "Joint committee", "Status": "Implementing"}).date(
        "Start date (optional)", year="2027"
    ).save()
    expect(page.get_by_text("“Shared building control” added. A moderator will publish it.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared building control")
    assert_accessible(page)
    added = Arrangement.objects.get(title="Shared building control")
    assert (added.status, added.start_year, added.published) == ("implementing", 2027, False)
    assert set(added.partnerships.values_list("organisation__code", flat=True)) == {"NTT", "SVL"}
    assert added.created_by == register["editor"]


def test_an_import_waiting_for_the_worker_shows_its_progress_with_and_without_javascript(
    browser, live_server, page, register, queued_jobs, tmp_path
):
    from arrangements.models import ImportJob
    from background.worker import run_queued_tasks

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    no_js = context.new_page()
    no_js.set_default_timeout(15_000)
    # Each page's requests wait in Playwright while this thread runs the worker below, so they
    # never meet it on the test database's one connection.
    for each in (no_js, page):
        each.route("**/*", lambda route: route.continue_())
    SignInPage(no_js).sign_in("north.editor", PASSWORD, next_url="/arrangements/import/")
    upload = tmp_path / "one.csv"
    upload.write_text(
        HEADER + "Shared waiting,Waits for a worker,audit,joint committee,live,2021-04-01,,"
        "Northtown DC,Testshire County Council,,,,,,None yet,\n"
    )
    ImportPage(no_js).upload(upload, check_only=False)
    expect(no_js.get_by_role("heading", name="Waiting to start")).to_be_visible()
    expect(no_js.get_by_text("The import is waiting for the worker to start it")).to_be_visible()

    # With JavaScript the same page, and a stalled import's, pass axe; the waiting one updates itself.
    job = ImportJob.objects.get(filename="one.csv")
    stalled = ImportJob.objects.create(
        user=job.user,
        filename="stalled.csv",
        content=b"x",
        state="running",
        stage="Saving",
        done=250,
        total=500,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url=f"/arrangements/import/{stalled.pk}/")
    expect(page.get_by_role("heading", name="The import has stalled")).to_be_visible()
    expect(page.get_by_text("(250 of 500 rows): the background worker running it seems to")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/arrangements/import/{job.pk}/")
    expect(page.get_by_role("heading", name="Waiting to start")).to_be_visible()
    assert_accessible(page)

    run_queued_tasks()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()  # no reload: it updated itself
    expect(page.get_by_role("heading", name="Import complete")).to_be_focused()
    assert page.url.endswith(f"/arrangements/import/{job.pk}/")
    assert_accessible(page)
    # Without JavaScript, following "refresh it" shows the outcome.
    no_js.get_by_role("link", name="refresh it").click()
    expect(no_js.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(no_js.get_by_text("1 added, 0 updated")).to_be_visible()
    context.close()
