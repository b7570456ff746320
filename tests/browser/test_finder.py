"""The partner finder journey and the matchmaking board in the real browser, with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Role, User
from organisations.models import Neighbour, Organisation, OrganisationName
from reference.core import Context, run
from services.importers import DECLARATIONS as SERVICE_DECLARATIONS
from tests.browser.conftest import axe_violations
from tests.browser.pages import SignInPage

PASSWORD = "a-long-test-password-9"


def _council(code, name, official, lat, lon, org_type="NMD", tier="district"):
    org = Organisation.objects.create(
        code=code,
        name=name,
        official_name=official,
        org_type=org_type,
        tier=tier,
        nation="England",
        region="East of England",
        latitude=lat,
        longitude=lon,
        population=100_000,
    )
    OrganisationName.objects.create(organisation=org, name=official)
    return org


@pytest.fixture
def testshire(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run(SERVICE_DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))
    north = _council("NTT", "Northtown", "Northtown District Council", 52.4, 0.1)
    south = _council("SVL", "Southvale", "Southvale District Council", 52.0, 0.1)
    _council("FAR", "Farport", "Farport District Council", 50.4, -4.1)
    _council("EHM", "Eastham", "Eastham District Council", 52.3, 0.5)
    Neighbour.objects.create(organisation=north, neighbour=south, border_km=23.4)
    Neighbour.objects.create(organisation=south, neighbour=north, border_km=23.4)
    editor = User.objects.create_user("south.editor", password=PASSWORD)
    Membership.objects.create(user=editor, organisation=south, role=Role.EDITOR)
    return {"north": north, "south": south, "editor": editor}


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url}: {violations}"


def test_find_partners_adjust_weights_and_compare(page, testshire):
    page.goto("/partners/")
    assert_accessible(page)
    page.get_by_label("Your organisation").fill("Northtown DC")
    page.get_by_label("Service category").select_option(label="Legal services")
    page.get_by_role("button", name="Find partners").click()
    expect(page.get_by_role("heading", name="Partners for Northtown: legal services")).to_be_visible()
    names = page.locator("#candidates h3 a").all_inner_texts()
    assert names[0] == "Southvale" and names[-1] == "Farport"  # the neighbour first, the far one last
    expect(page.get_by_text("Shares a 23 km border")).to_be_visible()
    page.wait_for_selector("#partners-map[data-points-drawn='4']")
    assert_accessible(page)

    # The map is one tab stop: its points are labels, not controls.
    assert page.locator("#partners-map [tabindex]").count() == 0

    # A wrong weight opens the weights panel, with the error named in the summary.
    page.get_by_text("Change what matters (weights)").click()
    expect(page.get_by_label("Distance (optional)", exact=True)).to_have_value(re.compile(r"^1(\.0)?$"))  # the default
    page.get_by_label("Distance (optional)", exact=True).fill("-1")
    page.get_by_role("button", name="Find partners").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ensure this value is greater than or equal to 0")
    expect(page.locator("details[open]").get_by_label("Distance (optional)", exact=True)).to_be_visible()
    assert_accessible(page)

    # Weights: with geography switched off, the border is no longer a reason.
    for label in ("Shared border", "Distance", "Same wider areas"):
        page.get_by_label(f"{label} (optional)", exact=True).fill("0")
    page.get_by_role("button", name="Find partners").click()
    expect(page.get_by_text("Shares a 23 km border")).to_have_count(0)

    for name in ("Southvale", "Farport", "Eastham"):
        page.get_by_label(f"Compare {name}").check()
    page.get_by_role("button", name="Compare the ones you ticked").click()
    expect(page.get_by_role("heading", name="Compare partners")).to_be_visible()
    for name in ("Southvale", "Farport", "Eastham"):
        expect(page.locator("thead").first).to_contain_text(name)
    expect(page.get_by_role("link", name="download the shortlist as CSV")).to_be_visible()
    assert_accessible(page)


def test_post_on_the_board_and_be_found(page, testshire, live_server):
    SignInPage(page).sign_in("south.editor", PASSWORD, next_url="/partners/board/new/")
    expect(page.get_by_role("heading", name="Say you are looking for partners")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Post").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what you are looking for")
    expect(summary).to_contain_text("Choose service category")
    expect(summary).not_to_contain_text("This field is required")
    assert_accessible(page)
    page.get_by_label("Posting for").select_option(label="Southvale")
    page.get_by_label("Service category").select_option(label="Legal services")
    page.get_by_label("What you are looking for").fill("A partner for our legal team")
    page.get_by_label("More about it").fill("Our legal team is small and we want resilience.")
    page.get_by_label("Contact name").fill("A. Officer")
    page.get_by_label("Contact email").fill("legal@southvale.example")
    expires = timezone.localdate() + dt.timedelta(days=60)
    page.get_by_label("Take the post down after").fill(expires.isoformat())
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text("Your post is on the board.")).to_be_visible()
    assert_accessible(page)
    page.goto("/partners/board/")
    expect(page.get_by_role("link", name="A partner for our legal team")).to_be_visible()
    assert_accessible(page)
    page.goto("/partners/?organisation=NTT&category=legal")
    expect(page.get_by_text("A partner for our legal team").first).to_be_visible()  # interest is a reason
