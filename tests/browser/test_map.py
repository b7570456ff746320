"""The map journey and the dashboard in the real browser, with an accessibility check on each.

The map draws the real ONS boundaries served as static files, so the councils here are
made up but carry real GSS codes (Cambridge, South Cambridgeshire, Cambridgeshire)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from arrangements.models import Arrangement, Partnership
from arrangements.tests.factories import LedgerEntryFactory
from organisations.models import Organisation
from services.models import ServiceCategory
from tests.browser.conftest import axe_violations
from tests.browser.pages import DashboardPage, MapPage

CAMBRIDGE, SOUTH_CAMBS, CAMBS = "E07000008", "E07000012", "E10000003"


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe found WCAG 2.2 AA violations on {page.url}: {violations}"


def _arrangement(title, partners, lead, category, **extra):
    arrangement = Arrangement.objects.create(
        title=title,
        description=f"About {title}",
        status="live",
        delivery_model="lead_authority",
        published=True,
        **extra,
    )
    for organisation in partners:
        Partnership.objects.create(
            arrangement=arrangement, organisation=organisation, role="lead" if organisation == lead else "member"
        )
    arrangement.categories.set([category])
    return arrangement


@pytest.fixture
def shared_services(transactional_db):
    legal = ServiceCategory.objects.create(key="legal", label="Legal services", family="Corporate", sort_order=1)
    waste = ServiceCategory.objects.create(
        key="environment-waste", label="Environment and waste", family="Environment", sort_order=2
    )
    county = Organisation.objects.create(
        code="CAM",
        gss_code=CAMBS,
        name="Cambridgeshire",
        org_type="CTY",
        official_name="Cambridgeshire County Council",
        nation="England",
        region="East of England",
        latitude=52.33,
        longitude=0.07,
    )
    city = Organisation.objects.create(
        code="CAB",
        gss_code=CAMBRIDGE,
        name="Cambridge",
        org_type="NMD",
        official_name="Cambridge City Council",
        nation="England",
        region="East of England",
        latitude=52.2,
        longitude=0.13,
        parent_county=county,
    )
    south = Organisation.objects.create(
        code="SCA",
        gss_code=SOUTH_CAMBS,
        name="South Cambridgeshire",
        org_type="NMD",
        official_name="South Cambridgeshire District Council",
        nation="England",
        region="East of England",
        latitude=52.17,
        longitude=0.08,
        parent_county=county,
    )
    fire = Organisation.objects.create(
        code="E31000008",
        gss_code="E31000008",
        name="Cambridgeshire Fire",
        official_name="Cambridgeshire and Peterborough Fire Authority",
        org_type="FRA",
        nation="England",
        region="East of England",
    )
    shared_legal = _arrangement(
        "Testshire Shared Legal Practice", [county, city, south], county, legal, start_year=2016
    )
    LedgerEntryFactory(arrangement=shared_legal, measure="expected_saving", period="2016/17", amount=250_000)
    LedgerEntryFactory(
        arrangement=shared_legal,
        measure="achieved_saving",
        period="2016/17",
        amount=180_000,
        standing="signed_off",
        signed_off_by="A Finance Lead",
        signed_off_on=dt.date(2017, 6, 1),
    )
    _arrangement(
        "Greater Testshire Waste Service",
        [city, south],
        city,
        waste,
        start_year=2018,
        no_savings_reason="Set up for resilience",
    )
    _arrangement("County Fire Collaboration", [county, fire], county, legal, start_year=2019)
    return shared_legal


def test_the_map_journey(page, shared_services):
    map_page = MapPage(page).open("region=East+of+England")
    # The real UK boundaries are drawn; the two districts with arrangements are shaded.
    assert map_page.wait_for_boundaries() > 300
    assert map_page.shaded_areas() == [CAMBRIDGE, SOUTH_CAMBS]
    expect(page.get_by_role("heading", name="3 arrangements match these filters")).to_be_visible()
    assert map_page.council_counts() == {
        "Cambridgeshire": "2",
        "Cambridge": "2",
        "South Cambridgeshire": "2",
        "Cambridgeshire Fire": "1",
    }
    assert_accessible(page)

    # In two-tier areas the county can be shaded instead: its own arrangements, not its districts'.
    map_page.shade_two_tier_areas_by("County councils")
    expect(map_page.map.locator(f'path.sw-council--county[data-area="{CAMBS}"]')).to_have_attribute(
        "fill", re.compile(r"^#(?!ffffff)")
    )
    map_page.shade_two_tier_areas_by("District councils")

    # An arrangement in the list: lines from the lead to each other partner.
    map_page.show_partners_of("Testshire Shared Legal Practice")
    expect(map_page.map.locator("path.sw-partner-line")).to_have_count(2)
    expect(page.locator("#map-panel-status")).to_contain_text("Lines join Cambridgeshire, the lead, to each other")
    assert re.search(r"#arrangement=\d+$", page.url)  # the choice can be shared too

    # A council on the map: the list narrows to its arrangements.
    page.get_by_role("button", name="Show all arrangements").click()
    expect(map_page.map.locator("path.sw-partner-line")).to_have_count(0)
    map_page.click_area(CAMBRIDGE)
    expect(page.locator("#map-panel-heading")).to_have_text("Arrangements involving Cambridge (2)")
    assert sorted(map_page.listed_arrangements()) == [
        "Greater Testshire Waste Service",
        "Testshire Shared Legal Practice",
    ]
    expect(page.locator("#map-panel-status")).to_contain_text("Cambridge takes part in 2 arrangements")
    assert_accessible(page)

    # Keyboard users choose a council from the table, and get the same list.
    page.locator("#council-counts").get_by_role("button", name="Show on the map for Cambridgeshire", exact=True).click()
    expect(page.locator("#map-panel-heading")).to_have_text("Arrangements involving Cambridgeshire (2)")
    expect(page.locator("#map-panel-heading")).to_be_focused()
    assert page.get_by_label("County councils", exact=True).is_checked()

    # Following an arrangement opens its page.
    page.get_by_role("link", name="Testshire Shared Legal Practice").click()
    expect(page).to_have_url(re.compile(rf"/arrangements/{shared_services.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Testshire Shared Legal Practice"


def test_a_shared_link_opens_the_same_view(page, shared_services):
    map_page = MapPage(page).open(f"category=legal#arrangement={shared_services.pk}")
    map_page.wait_for_boundaries()
    expect(map_page.map.locator("path.sw-partner-line")).to_have_count(2)
    assert map_page.listed_arrangements() == ["County Fire Collaboration", "Testshire Shared Legal Practice"]
    expect(page.get_by_label("Service category (optional)")).to_have_value("legal")
    link = page.get_by_role("link", name="See these arrangements as a table")
    expect(link).to_have_attribute("href", "/arrangements/?category=legal")


def test_the_map_page_has_its_facts_without_javascript(browser, live_server, shared_services):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    map_page = MapPage(page).open("category=environment-waste")
    assert map_page.listed_arrangements() == ["Greater Testshire Waste Service"]
    assert map_page.council_counts() == {"Cambridge": "1", "South Cambridgeshire": "1"}
    expect(page.locator("#arrangements-map")).to_be_hidden()
    assert page.locator("#arrangements-map path").count() == 0
    context.close()


def test_the_dashboard(page, shared_services):
    dashboard = DashboardPage(page).open()
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert dashboard.figure("arrangements") == "3"
    assert dashboard.figure("expected") == "£250k"  # the exact figure is in the table
    assert dashboard.figure("achieved") == "£180k"
    assert dashboard.table_rows("nations") == [["England", "3", "3", "100%"]]
    assert dashboard.table_rows("no-savings") == [["No reason given", "1"], ["Set up for resilience", "1"]]
    expect(
        page.get_by_text(re.compile("Source: Sharewell register, published arrangements, as at")).first
    ).to_be_visible()
    assert_accessible(page)
    # The same filters as the map, from the URL.
    dashboard.open("category=environment-waste")
    assert dashboard.figure("arrangements") == "1"
    assert dashboard.figure("achieved") == "£0"
    assert_accessible(page)
