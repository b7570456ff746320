"""The main journeys in the real browser, with an accessibility check on each page type."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from organisations.tests.factories import IndicatorFactory, IndicatorValueFactory, OrganisationNameFactory
from tests import world
from tests.browser.conftest import axe_violations
from tests.browser.pages import DirectoryPage, ProfilePage, SignInPage

PASSWORD = world.PASSWORD


@pytest.fixture
def testshire(live_testshire):
    """Testshire with its geography (tests/world.py), a variant name of Northtown's and two
    indicators, one with a value for Northtown: returns Northtown."""
    north = live_testshire.northtown
    OrganisationNameFactory(organisation=north, name="Northtown DC")
    pay = IndicatorFactory(
        key="median-pay", label="Gross median weekly pay", group="economy", unit="£", decimal_places=0, source="ONS"
    )
    IndicatorFactory(key="claimants", label="Claimant count", group="economy", unit="%", source="ONS")
    IndicatorValueFactory(organisation=north, indicator=pay, value=612.0, period="2024")
    return north


@pytest.fixture
def editor(testshire):
    return world.person("north.editor", testshire, Role.EDITOR)


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url}: {violations}"


def test_find_an_organisation_by_a_variant_name_and_see_its_map(page, testshire):
    directory = DirectoryPage(page).open()
    assert_accessible(page)
    directory.search("Northtown DC")
    assert directory.result_names() == ["Northtown"]
    profile = directory.open_result("Northtown")
    assert profile.heading() == "Northtown"
    # The council and its one neighbour are drawn as polygons.
    assert profile.drawn_polygons() == 2
    assert profile.neighbour_names() == ["Southvale"]
    expect(page.get_by_text(re.compile(r"^6\.[89] km$"))).to_be_visible()  # the squares' 6.85 km border
    expect(page.get_by_role("link", name="Testshire Fire and Rescue")).to_be_visible()
    expect(page.get_by_text("£612")).to_be_visible()
    expect(page.get_by_text("Not available").first).to_be_visible()
    assert_accessible(page)


def test_home_and_about_pages_are_accessible(page, testshire):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Share services with confidence"
    assert_accessible(page)
    page.goto("/about/data/")
    expect(page.get_by_text("Open Government Licence v3.0").first).to_be_visible()
    assert_accessible(page)
    page.goto("/organisations/NOPE/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


def test_editor_signs_in_and_changes_details(page, editor):
    SignInPage(page).sign_in("wrong", "wrong")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url="/organisations/NTT/edit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Change details"
    assert_accessible(page)
    page.get_by_label("Political control (optional)", exact=True).fill("No overall control")
    page.get_by_role("button", name="Save details").click()
    # Date and source are required with political control: the error summary says so.
    expect(page.get_by_text("Give the date and a source link").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Website (optional)").fill("https://www.northtown.example/")
    page.get_by_label("Political control (optional)", exact=True).fill("")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Details of Northtown saved")).to_be_visible()
    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_text("https://www.northtown.example/")).to_be_visible()
    assert_accessible(page)


def test_profile_map_needs_javascript_but_the_facts_do_not(browser, live_server, testshire):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    ProfilePage(page).open("NTT")
    expect(page.locator("#neighbours + table")).to_be_visible()
    assert page.locator("#organisation-map path").count() == 0
    context.close()


def test_editor_records_when_a_contract_ends(page, editor):
    world.load_service_list()
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url="/organisations/NTT/")
    page.get_by_role("link", name="Record when a contract ends").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record when a contract ends"
    assert_accessible(page)
    page.get_by_label("Which service does the contract cover?").select_option(label="Legal services")
    page.get_by_label("Describe the contract").fill("Legal services with Example LLP")
    page.get_by_label("When does it end?").fill("31/02/2027")
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_text("Enter the date the contract ends as day/month/year").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("When does it end?").fill("31/3/2027")
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_text("Contract recorded")).to_be_visible()
    expect(page.locator("#contracts + table")).to_contain_text("31 March 2027")
    assert_accessible(page)
