"""Every kind of page at 320 px and at 1280 px: nothing scrolls sideways (WCAG 1.4.10), axe
finds nothing (WCAG 2.2 AA, target size included), and on a phone the navigation folds
behind GOV.UK Frontend's menu button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_sideways_scrolling
from tests.browser.test_register import assert_accessible

pytestmark = pytest.mark.browser
WIDTHS = [320, 1280]
PAGES = [
    ("register", "/arrangements/"),
    ("map", "/map/"),
    ("directory", "/organisations/"),
    ("dashboard", "/dashboard/"),
    ("finder", "/partners/"),
    ("organisation", "/organisations/NTT/"),
    ("arrangement", None),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_every_page_reflows_and_is_accessible(page, register, name, path, width):
    from arrangements.models import Arrangement

    if path is None:
        path = f"/arrangements/{Arrangement.objects.get(title='Shared legal').pk}/"
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if name == "map":  # the boundaries are drawn, so the map's own controls are checked too
        expect(page.locator("#arrangements-map")).to_have_attribute("data-councils-drawn", re.compile(r"\d+"))
    menu = page.get_by_role("button", name="Menu")
    navigation = page.locator("#navigation")
    if width == 320:
        expect(menu).to_be_visible()
        expect(navigation).to_be_hidden()
        assert menu.bounding_box()["height"] >= 24
        menu.click()
        expect(navigation).to_be_visible()
        expect(navigation.get_by_role("link", name="Map")).to_be_visible()
    else:
        expect(menu).to_be_hidden()
        expect(navigation).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


def test_the_map_comes_first_shows_the_whole_uk_and_resets(page, register):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/map/")
    drawn = page.locator("#arrangements-map")
    expect(drawn).to_have_attribute("data-councils-drawn", re.compile(r"\d+"))
    top = drawn.bounding_box()["y"]
    assert top < 900, "the map starts below the fold"
    assert page.locator("form.sw-filters").bounding_box()["y"] > top  # the filters after it
    reset = page.get_by_role("button", name="Show the whole UK")
    expect(reset).to_be_visible()
    whole = page.evaluate("() => document.querySelector('#arrangements-map').getBoundingClientRect().height")
    assert whole > 0
    reset.click()
    expect(page.locator("#map-panel-status")).to_have_text("The map shows the whole UK again.")


def test_the_register_becomes_cards_with_removable_filters_at_320(page, register):
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/arrangements/?organisation=Northtown&sort=-savings")
    tags = page.locator(".sw-applied__tag")
    expect(tags).to_have_count(1)
    expect(tags.first).to_contain_text("Organisation: Northtown")
    expect(page.locator(".sw-register thead")).to_have_css("position", "absolute")  # headers hidden, cards shown
    expect(page.locator(".sw-register td[data-label=Savings]").first).to_contain_text("Expected")
    assert_no_sideways_scrolling(page)
    tags.first.click()
    expect(page.locator(".sw-applied__tag")).to_have_count(0)
    assert "sort=-savings" in page.url
