"""Moderation in the real browser: an editor's change to a published arrangement waits, a
moderator reads it in words, rejects one change with a reason and approves another, and the
editor's organisation reads the reason; axe checks each page at 1280 and 320 pixels wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from arrangements import writes
from arrangements.models import Arrangement
from tests import world
from tests.browser.conftest import assert_no_sideways_scrolling, axe_violations
from tests.browser.pages import AddArrangementPage, ModerationQueuePage, SignInPage

PASSWORD = world.PASSWORD


def assert_accessible(page, widths=(1280, 320), fits=True):
    """No WCAG 2.2 AA violations at each width and, with `fits`, nothing wider than the window."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url} at {width}px: {violations}"
        if fits:
            assert_no_sideways_scrolling(page)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def register(transactional_db):
    """Two published arrangements led by Northtown, its editor, and a moderator, committed so the
    live server sees them."""
    testshire = world.build(geography=False)
    world.load_service_list()
    editor = world.person("north.editor", testshire.northtown, Role.EDITOR, first_name="Nia", last_name="North")
    moderator = world.person("moderator", moderator=True)
    world.import_rows(
        moderator,
        "Shared legal,One legal team,legal,lead authority delegation,live,2016-04-01,,Northtown District Council,"
        "Southvale,,,,,,Not set up to save money,",
        "Shared payroll,One payroll team,payroll,lead authority delegation,live,2018,,Northtown District Council,"
        "Southvale,,,,,,Not set up to save money,",
    )
    return {"editor": editor, "moderator": moderator}


def test_a_moderator_rejects_one_change_with_a_reason_and_approves_another(browser, live_server, page, register):
    legal = Arrangement.objects.get(title="Shared legal")
    payroll = Arrangement.objects.get(title="Shared payroll")

    # The editor changes a published arrangement on the site: it waits for a moderator.
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url=f"/arrangements/{legal.pk}/change/")
    AddArrangementPage(page).choose(Status="Ended").save()
    expect(page.get_by_text("Your change is waiting for a moderator")).to_be_visible()
    expect(page.get_by_role("heading", name="A change is waiting for a moderator")).to_be_visible()
    assert_accessible(page, fits=False)  # the partners table is wider than 320px: the page's own matter
    legal.refresh_from_db()
    assert legal.status == "live"
    # A second change, to the other arrangement, through the API door.
    assert writes.change(register["editor"], payroll, {"status": "under review"}, writes.api(), partial=True).revision

    moderator_context = browser.new_context(base_url=live_server.url)
    try:
        moderator = moderator_context.new_page()
        moderator.set_default_timeout(15_000)
        SignInPage(moderator).sign_in("moderator", PASSWORD)
        moderator.get_by_role("link", name="Moderation", exact=True).click()
        queue = ModerationQueuePage(moderator)
        expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
        expect(moderator.get_by_role("heading", name="Changes waiting for a decision (2)")).to_be_visible()
        assert queue.changes_of("Shared legal") == ["Status: Live → Ended"]
        assert queue.changes_of("Shared payroll") == ["Status: Live → Under review"]
        expect(queue.card("Shared legal")).to_contain_text("Nia North")  # moderators see the person
        expect(queue.card("Shared legal")).to_contain_text("Edited on the site")
        assert_accessible(moderator)

        # A rejection needs a reason.
        queue.reject("Shared payroll", "")
        expect(moderator.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(moderator).to_have_title("Error: Moderation queue – Sharewell")
        assert_accessible(moderator)
        moderator.get_by_role("link", name="Give the reason, for the editor's organisation").click()
        expect(queue.card("Shared payroll").get_by_label("Why are you rejecting it?")).to_be_focused()

        reason = "The joint committee has not met: it is not under review yet"
        queue.reject("Shared payroll", reason)
        expect(moderator.locator(".govuk-notification-banner--success")).to_contain_text(
            "Change to “Shared payroll” rejected. Northtown can read the reason on its changes page."
        )
        queue.approve("Shared legal")
        expect(moderator.locator(".govuk-notification-banner--success")).to_contain_text(
            "Change to “Shared legal” approved"
        )
        expect(moderator.get_by_role("heading", name="Changes waiting for a decision (0)")).to_be_visible()
        assert_accessible(moderator)
    finally:
        moderator_context.close()

    legal.refresh_from_db()
    payroll.refresh_from_db()
    assert (legal.status, payroll.status) == ("ended", "live")

    # The editor's organisation reads the decision and the reason.
    page.get_by_role("link", name="Changes sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes sent for moderation")
    expect(page.locator("#main-content")).to_contain_text(reason)
    rejected = page.locator(".govuk-summary-card").filter(has_text="Shared payroll")
    expect(rejected.locator(".govuk-tag")).to_have_text("Rejected")
    approved = page.locator(".govuk-summary-card").filter(has_text="Shared legal")
    expect(approved.locator(".govuk-tag")).to_have_text("Approved")
    assert_accessible(page)
