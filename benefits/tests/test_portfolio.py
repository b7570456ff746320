"""The organisation's portfolio on its profile page and at /api/v1/organisations/{code}/portfolio."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from arrangements import writes
from arrangements.models import Contract, Partnership
from benefits import writes as benefit_writes
from services.models import ServiceCategory


def test_the_profile_shows_the_portfolio_before_the_indicators(arrangement, finance):
    assert writes.sign_off(finance["south"], arrangement.ledger.get(measure="achieved_saving"), "").ok
    html = Client().get("/organisations/SVL/").content.decode()
    assert 'id="table-portfolio"' in html
    row = html[html.index('id="table-portfolio"') :]
    assert "Shared legal" in row and "£300,000" in row and "£250,000" in row and "Recorded" in row
    if 'id="indicators"' in html:
        assert html.index('id="portfolio"') < html.index('id="indicators"')
    assert "/partners/?organisation=SVL" in html


def test_the_api_returns_the_same_with_totals_contracts_and_posts(arrangement, places, users):
    Contract.objects.create(
        organisation=places["north"],
        category=ServiceCategory.objects.get(key="legal"),
        description="Legal case system",
        ends_on=dt.date(2027, 9, 30),
    )
    benefit_writes.save_measure(
        users["editor"],
        arrangement,
        {"name": "Staff turnover", "kind": "non_financial", "unit": "%", "owner": "NTT", "higher_is_better": "false"},
    )
    body = Client().get("/api/v1/organisations/NTT/portfolio").json()
    assert body["totals"] == {
        "arrangements": 1,
        "expected": 300_000,
        "achieved": 0,
        "reported_not_signed_off": 250_000,
        "live_without_baseline": 1,  # the new measure has no baseline
    }
    (row,) = body["arrangements"]
    assert (row["title"], row["role"], row["status"], row["baseline_recorded"]) == (
        "Shared legal",
        "Lead or host",
        "live",
        False,
    )
    assert row["services"] and row["status_since"]
    assert body["contracts"] == [
        {"description": "Legal case system", "category": "Legal services", "ends_on": "2027-09-30"}
    ]
    assert body["find_partners_url"].endswith("/partners/?organisation=NTT")
    assert Client().get("/api/v1/organisations/NOPE/portfolio").status_code == 404


def test_an_abolished_councils_arrangements_stay_in_the_portfolios(arrangement, places):
    Partnership.objects.create(
        arrangement=arrangement, organisation=places["old"], role="member", left_on=dt.date(2020, 3, 31)
    )
    body = Client().get("/api/v1/organisations/OLD/portfolio").json()
    assert body["organisation"]["current"] is False
    assert [(r["title"], r["left_on"]) for r in body["arrangements"]] == [("Shared legal", "2020-03-31")]
    html = Client().get("/organisations/OLD/").content.decode()
    assert "Shared legal" in html and "left 31 Mar 2020" in html
    # And the current partner's portfolio shows the arrangement the abolished council was in.
    assert [r["title"] for r in Client().get("/api/v1/organisations/NTT/portfolio").json()["arrangements"]] == [
        "Shared legal"
    ]
    report = Client().get("/organisations/OLD/report/").content.decode()
    assert "Abolished" in report and "Shared legal" in report


def test_the_dashboard_counts_live_arrangements_without_a_baseline(arrangement, users):
    html = Client().get("/dashboard/").content.decode()
    assert 'id="figure-no-baseline">0<' in html
    benefit_writes.save_measure(
        users["editor"], arrangement, {"name": "Resilience", "kind": "non_financial", "unit": "score", "owner": "NTT"}
    )
    html = Client().get("/dashboard/").content.decode()
    assert 'id="figure-no-baseline">1<' in html
