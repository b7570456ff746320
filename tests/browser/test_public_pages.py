"""The public-service pages and the API documentation in the real browser, at desktop width and
at 320 px, with axe; the documentation page makes no request to any other site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sharewell.api import api
from tests.browser.test_register import assert_accessible

pytestmark = pytest.mark.browser
WIDTHS = [1280, 320]


def _watch(page) -> dict[str, list[str]]:
    """Every request the page makes, and anything the browser refused or failed to run."""
    seen: dict[str, list[str]] = {"requests": [], "problems": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("pageerror", lambda error: seen["problems"].append(f"script error: {error}"))
    page.on("console", lambda message: message.type == "error" and seen["problems"].append(message.text))
    return seen


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path, heading",
    [
        ("/accessibility/", "Accessibility statement for Sharewell"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
        ("/contact/", "Contact Sharewell"),
    ],
)
def test_the_public_service_pages_are_accessible(page, db, path, heading, width):
    page.set_viewport_size({"width": width, "height": 900})
    seen = _watch(page)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    footer = page.get_by_role("contentinfo")
    for link in ("Accessibility statement", "Privacy", "Cookies", "Contact"):
        expect(footer.get_by_role("link", name=link, exact=True)).to_be_visible()
    assert_accessible(page)
    assert seen["problems"] == []  # GOV.UK Frontend's scripts run under the policy


def test_the_beta_banner_leads_to_the_contact_page(page, db):
    page.goto("/cookies/")
    page.get_by_role("link", name="feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact Sharewell")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_documentation_draws_every_operation_from_this_site_alone(page, live_server, db, width):
    page.set_viewport_size({"width": width, "height": 900})
    seen = _watch(page)
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("API documentation")
    expect(page.get_by_role("link", name="Back to Sharewell")).to_be_visible()
    operations = sum(len(item) for item in api.get_openapi_schema()["paths"].values())
    # Swagger UI has drawn each operation from the OpenAPI document.
    expect(page.locator("#swagger-ui .opblock")).to_have_count(operations)
    expect(page.locator("#swagger-ui .opblock-summary-path").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    here = urlsplit(live_server.url).netloc
    elsewhere = [url for url in seen["requests"] if urlsplit(url).scheme != "data" and urlsplit(url).netloc != here]
    assert elsewhere == [], f"the docs page asked other sites for {elsewhere}"
    assert any(url.endswith("/static/swagger-ui-dist/swagger-ui-bundle.js") for url in seen["requests"])
    assert any(url.endswith("/api/v1/openapi.json") for url in seen["requests"])
    assert seen["problems"] == []

    # Opening an operation shows its parameters, request body and answers: axe checks the
    # page with every one of them open, and the "Try it out" form of the first.
    for control in page.locator("#swagger-ui .opblock-summary-control").all():
        control.click()
    expect(page.locator("#swagger-ui .opblock-body")).to_have_count(operations)
    page.locator("#swagger-ui .try-out__btn").first.click()
    expect(page.locator("#swagger-ui .execute").first).to_be_visible()
    assert_accessible(page)
