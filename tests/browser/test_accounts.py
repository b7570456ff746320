"""Joining in the real browser: a new officer asks for an account, confirms the emailed link,
and their organisation's admin approves them on the members page; axe checks each page at 1280
and 320 pixels wide."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, Role, User
from tests import world
from tests.browser.conftest import assert_no_sideways_scrolling, axe_violations
from tests.browser.pages import SignInPage

PASSWORD = world.PASSWORD
NEW_PASSWORD = "a-new-officers-long-passphrase-31"


def assert_accessible(page, widths=(1280, 320)):
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        violations = axe_violations(page)
        assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url} at {width}px: {violations}"
        assert_no_sideways_scrolling(page)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def northtown(transactional_db):
    north = world.build(geography=False).northtown
    world.person(
        "north.admin", north, Role.ADMIN, email="admin@northtown.example", first_name="Nell", last_name="Admin"
    )
    return north


def test_a_new_officer_asks_for_an_account_and_their_admin_approves_them(browser, live_server, page, northtown):
    page.goto("/account/sign-in/")
    page.get_by_role("link", name="Ask for an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for an account")
    assert_accessible(page)

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Clerk")
    page.get_by_label("Work email address").fill("ada.clerk@northtown.example")
    page.get_by_label("Username").fill("ada.clerk")
    page.get_by_label("Your organisation").fill("NTT")
    page.get_by_label("Your job title").fill("Shared services officer")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ask for an account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    assert_accessible(page)
    verification = next(m for m in mail.outbox if m.to == ["ada.clerk@northtown.example"])
    (link,) = re.findall(r"https?://\S+/account/confirm-email/\S+", verification.body)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # The admin was emailed, signs in and approves Ada as an editor.
    assert any(m.to == ["admin@northtown.example"] and "asks to join Northtown" in m.subject for m in mail.outbox)
    admin_context = browser.new_context(base_url=live_server.url)
    try:
        admin = admin_context.new_page()
        admin.set_default_timeout(15_000)
        SignInPage(admin).sign_in("north.admin", PASSWORD, next_url="/account/members/NTT/")
        expect(admin.get_by_role("heading", level=1)).to_have_text("Members")
        expect(admin.get_by_role("cell", name="Shared services officer")).to_be_visible()
        assert_accessible(admin)
        admin.get_by_label("Role for Ada Clerk").select_option(Role.EDITOR)
        admin.get_by_role("button", name="Approve Ada Clerk").click()
        expect(admin.get_by_text("Ada Clerk is now a member.")).to_be_visible()
        assert_accessible(admin)
    finally:
        admin_context.close()

    ada = User.objects.get(username="ada.clerk")
    assert Membership.objects.get(user=ada, organisation=northtown).role == Role.EDITOR

    # Ada signs in with her email address and sees her organisation.
    SignInPage(page).sign_in("ada.clerk@northtown.example", NEW_PASSWORD, next_url="/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("cell", name="Northtown")).to_be_visible()
    assert_accessible(page)
