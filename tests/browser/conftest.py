"""Browser tests: Playwright driving Debian's Chromium against the live test server.

They run with `make test`. Without a browser they skip with a clear message, except
under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

from tests import world

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Playwright's sync API runs an event loop in this thread; the test's own database
# work is still synchronous, so tell Django that is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _browser_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
    if not AXE_SCRIPT.exists():
        return f"axe-core not found at {AXE_SCRIPT} (run npm ci)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Browser tests are required in CI: {reason}")
        pytest.skip(f"Browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content-Security-Policy blocked (an inline script, a style, a request to
    # another site) is a page that does not work as written: every journey checks for it.
    blocked: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    yield page
    context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list[dict]:
    """Run axe-core on the page and return WCAG 2.2 AA violations (empty list if none).

    axe is evaluated by the test driver rather than added as a <script>: the site's
    Content-Security-Policy rightly refuses inline scripts, and the tests keep it on.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_no_sideways_scrolling(page) -> None:
    """The whole page, header and footer included, fits the window's width (WCAG 1.4.10
    reflow); on failure, names the first few elements that stick out."""
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " widest: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +"
        " Math.round(e.getBoundingClientRect().right))})"
    )
    assert sizes["scroll"] <= sizes["inner"], f"{page.url} scrolls sideways at {sizes['inner']} px: {sizes}"


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text()


# The register's people sign in with this (the `register` fixture is the root conftest's).
PASSWORD = world.PASSWORD
