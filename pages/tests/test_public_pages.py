"""The pages a UK public service must have: accessibility statement, privacy, cookies, contact,
a feedback link, and a favicon; each linked from every page's footer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "pages:accessibility": "Accessibility statement for Sharewell",
    "pages:privacy": "Privacy notice",
    "pages:cookies": "Cookies",
    "pages:contact": "Contact Sharewell",
}


def h1(html: str) -> str:
    (heading,) = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return heading.strip()


@pytest.mark.parametrize("name, heading", PAGES.items())
def test_each_page_answers_with_its_heading(db, name, heading):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert h1(response.content.decode()) == heading


@pytest.mark.parametrize("url", ["/", "/about/data/", "/contact/", "/api/v1/docs", "/no-such-page/"])
def test_every_page_links_to_them_in_its_footer_and_the_beta_banner_asks_for_feedback(db, url):
    html = Client().get(url).content.decode()
    footer = html[html.index("<footer") :]
    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer, f"{url}: no footer link to {name}"
    banner = html[html.index("govuk-phase-banner") : html.index("</div>", html.index("govuk-phase-banner"))]
    assert f'href="{reverse("pages:contact")}">feedback</a>' in banner


def test_the_contact_address_comes_from_the_settings(db, settings):
    settings.CONTACT_EMAIL = "sharewell@example.org"
    settings.SERVICE_OPERATOR = "the Example Improvement Agency"
    for name in ("pages:contact", "pages:privacy", "pages:accessibility"):
        html = Client().get(reverse(name)).content.decode()
        assert 'href="mailto:sharewell@example.org"' in html
        assert "Example Improvement Agency" in html
    settings.CONTACT_EMAIL = ""
    assert "No contact email address has been published" in Client().get(reverse("pages:contact")).content.decode()


def test_the_accessibility_statement_follows_the_model_and_says_how_it_was_tested(db):
    html = Client().get(reverse("pages:accessibility")).content.decode()
    sections = re.findall(r'<h2 class="govuk-heading-l">(.*?)</h2>', html)
    assert sections == [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    assert "Web Content Accessibility Guidelines version 2.2</a> AA standard" in html
    axe = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    assert f"axe-core</a> accessibility checker (version {axe})" in html  # the version the tests run
    assert "320 pixels" in html and "API documentation" in html


def test_the_privacy_notice_names_the_personal_data_and_how_long_it_is_kept(db):
    html = Client().get(reverse("pages:privacy")).content.decode()
    for held in (
        "your name and your work email address",
        "your role in each",
        "API tokens",
        "contact name and email address you give with a post",
        "IP) address",
    ):
        assert held in html
    for section in ("Why we hold it", "How long we keep it", "Your rights", "Information Commissioner"):
        assert section in html


def test_the_cookies_page_lists_the_cookies_the_site_sets_and_no_tracking(db, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    html = Client().get(reverse("pages:cookies")).content.decode()
    assert f"<code>{settings.SESSION_COOKIE_NAME}</code>" in html
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in html
    assert "<code>messages</code>" in html
    assert "After 8 hours without use, or when you sign out" in html  # read from the settings, so it stays true
    assert "We do not use analytics cookies" in html
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    assert "When you close your browser" in Client().get(reverse("pages:cookies")).content.decode()


def test_the_favicon(db):
    page = Client().get("/contact/").content.decode()
    assert '<link rel="icon" href="/static/pages/favicon.svg" type="image/svg+xml">' in page
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/pages/favicon.svg"
    icon = Client().get("/static/pages/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
