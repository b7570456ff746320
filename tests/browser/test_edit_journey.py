"""Changing an arrangement in the real browser: the grouped form, a second year of money,
every error at once, history in words and restore after a confirmation, at desktop width
and at 320 px, with axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from arrangements.models import Arrangement
from tests.browser.conftest import PASSWORD
from tests.browser.pages import SignInPage
from tests.browser.test_register import assert_accessible

pytestmark = pytest.mark.browser


def _figure(page, number: int):
    return page.get_by_role("group", name=f"Figure {number}")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_moderator_adds_a_second_year_sees_it_in_the_history_and_restores_the_first_version(page, register, width):
    page.set_viewport_size({"width": width, "height": 900})
    legal = Arrangement.objects.get(title="Shared legal")
    SignInPage(page).sign_in("moderator", PASSWORD, next_url=f"/arrangements/{legal.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change “Shared legal”")
    for section in (
        "About the arrangement",
        "Partners and roles",
        "Services",
        "Dates and status",
        "Money",
        "Benefits",
        "Governance",
    ):
        expect(page.get_by_role("heading", name=section)).to_be_visible()
    assert_accessible(page)

    # Four figures and one blank row; "Add another figure" works without JavaScript.
    expect(_figure(page, 5)).to_be_visible()
    page.get_by_role("button", name="Add another figure").click()
    expect(_figure(page, 6)).to_be_visible()
    _figure(page, 6).get_by_label("Financial year").fill("2019/20")
    _figure(page, 6).get_by_label("What the figure is").select_option(label="Achieved saving")
    _figure(page, 6).get_by_label("Amount (£)").fill("lots")
    _figure(page, 5).get_by_label("Financial year").fill("2031/32")
    page.get_by_role("button", name="Save", exact=True).click()

    # Every problem at once, each linked to its field, and what was typed is kept.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Money entry")
    # Row 5 has a year but no measure or amount; row 6's amount is not money.
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(summary).to_contain_text("Enter an amount in pounds, like 250000 or £1.2m")
    assert_accessible(page)
    _figure(page, 5).get_by_label("Financial year").fill("")
    _figure(page, 6).get_by_label("Amount (£)").fill("£260,000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    ledger = page.locator("#table-ledger")
    expect(ledger).to_contain_text("2018/19")
    expect(ledger).to_contain_text("2019/20")
    expect(ledger).to_contain_text("£260,000")
    assert_accessible(page)

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_text("Achieved saving 2019/20 added: £260,000")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Restore version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restore the version of")
    expect(page.get_by_text("Achieved saving 2019/20 removed (was £260,000)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_text("Restored the version of")).to_be_visible()
    expect(page.locator("#table-ledger")).not_to_contain_text("2019/20")
    legal.refresh_from_db()
    assert legal.published and legal.ledger.count() == 4


def test_an_editors_change_to_a_published_arrangement_waits_and_their_organisation_sees_it(page, register):
    legal = Arrangement.objects.get(title="Shared legal")
    SignInPage(page).sign_in("north.editor", PASSWORD, next_url=f"/arrangements/{legal.pk}/change/")
    expect(page.get_by_text("your change will wait for a moderator")).to_be_visible()
    page.get_by_role("group", name="Status").get_by_label("Under review", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your change is waiting for a moderator.")).to_be_visible()
    expect(page.get_by_role("region", name="A change is waiting for a moderator")).to_contain_text(
        "Status: Live → Under review"
    )
    assert_accessible(page)
    legal.refresh_from_db()
    assert legal.status == "live"
