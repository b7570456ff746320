"""Benefits realisation in the real browser: a partner's editor builds a benefits plan with a
baseline, one financial and two non-financial measures and actuals for two periods, and sees
the RAG and the chart; the partner's finance lead signs off the achieved saving, which only then
counts as achieved on the dashboard; the organisation's profile shows the arrangement; the
committee report opens as HTML and as a PDF. axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role, User
from arrangements.models import Arrangement
from tests.browser.conftest import PASSWORD
from tests.browser.pages import DashboardPage, SignInPage
from tests.browser.test_register import assert_accessible

pytestmark = pytest.mark.browser


def _add_measure(page, name: str, kind: str, unit: str, better: str, baseline: str) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add measure"))
    form.get_by_label("Measure", exact=True).fill(name)
    form.get_by_label("Kind").select_option(label=kind)
    if unit:
        form.get_by_label("Unit").fill(unit)
    form.get_by_label("Which way is better?").select_option(label=better)
    form.get_by_label("Owner organisation").select_option(label="Northtown")
    form.get_by_label("Baseline value").fill(baseline)
    form.get_by_label("Baseline date").fill("2016-03-31")
    form.get_by_role("button", name="Add measure").click()
    expect(page.get_by_text(f"Measure added: {name}.")).to_be_visible()


def _record(page, period: str, planned: str, actual: str) -> None:
    page.get_by_role("textbox", name="Period").fill(period)
    page.get_by_role("textbox", name="Planned value").fill(planned)
    page.get_by_role("textbox", name="Actual").fill(actual)
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_text(f"Saved {period}")).to_be_visible()


def test_a_plan_its_rag_a_sign_off_the_dashboard_the_profile_and_the_report(page, register):
    legal = Arrangement.objects.get(title="Shared legal")
    finance = User.objects.create_user("north.finance", password=PASSWORD, first_name="Nia", last_name="Patel")
    Membership.objects.create(user=finance, organisation=register["north"], role=Role.VIEWER, can_sign_off=True)

    SignInPage(page).sign_in("north.editor", PASSWORD, next_url=f"/arrangements/{legal.pk}/benefits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits plan")
    assert_accessible(page)
    _add_measure(page, "Savings", "Financial (savings)", "", "Higher is better", "0")
    page.goto(f"/arrangements/{legal.pk}/benefits/")
    _add_measure(page, "Customer satisfaction", "Non-financial", "%", "Higher is better", "72")
    _record(page, "2016/17", "75", "76")
    _record(page, "2017/18", "80", "73")  # 8.75% short of plan: amber
    page.goto(f"/arrangements/{legal.pk}/benefits/")
    _add_measure(page, "Staff sickness", "Non-financial", "days per person", "Lower is better", "9")
    _record(page, "2016/17", "8.5", "8.4")
    _record(page, "2017/18", "8", "8.2")  # 2.5% worse: amber
    expect(page.locator("#measure-rag")).to_have_text("Amber")
    assert_accessible(page)

    page.goto(f"/arrangements/{legal.pk}/benefits/")
    # The financial measure reads the ledger: £250,000 achieved against £300,000 expected is 16.7% short.
    expect(page.locator("#plan-rag")).to_have_text("Red")
    expect(page.locator("svg.sw-benefit-chart__svg")).to_have_count(3)
    expect(page.get_by_text("worse than plan by up to 10% of the planned value")).to_be_visible()
    expect(page.get_by_text("reported, not yet signed off").first).to_be_visible()
    assert_accessible(page)

    # Before the sign-off nothing counts as achieved.
    page.context.clear_cookies()
    dashboard = DashboardPage(page).open()
    assert dashboard.figure("achieved") == "£0"

    SignInPage(page).sign_in("north.finance", PASSWORD, next_url=f"/arrangements/{legal.pk}/")
    page.get_by_role("link", name="Sign off the achieved saving for 2018/19").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the achieved saving for 2018/19")
    assert_accessible(page)
    page.get_by_label("Note").fill("Agreed to the 2018/19 outturn report")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text("Signed off the achieved saving for 2018/19.")).to_be_visible()
    expect(page.locator("#table-ledger")).to_contain_text("Signed off by Northtown’s finance lead")
    expect(page.locator("#table-ledger")).to_contain_text("Nia Patel")  # a partner's member sees the name
    assert_accessible(page)

    page.context.clear_cookies()
    dashboard = DashboardPage(page).open()
    assert dashboard.figure("achieved") == "£250k"
    assert_accessible(page)

    page.goto("/organisations/NTT/")
    portfolio = page.locator("#table-portfolio")
    expect(portfolio).to_contain_text("Shared legal")
    expect(portfolio).to_contain_text("£250,000")
    assert_accessible(page)

    page.goto(f"/arrangements/{legal.pk}/benefits/")
    page.set_viewport_size({"width": 320, "height": 900})  # the plan, its charts and tables at 320 px
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/arrangements/{legal.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared legal: committee report")
    expect(page.get_by_role("heading", name="4. Financial implications")).to_be_visible()
    assert_accessible(page)
    pdf = page.request.get(page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
