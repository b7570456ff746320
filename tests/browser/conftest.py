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


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text()


PASSWORD = "a-long-test-password-9"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def register(transactional_db):
    """The register's test data (as arrangements/tests/conftest.py builds it), committed so the
    live server sees it: Testshire and its districts, a Welsh council, the service list, an editor
    of Northtown, a moderator, and three published arrangements."""
    from django.conf import settings as django_settings

    from accounts.models import Membership, Role, User
    from arrangements import importing
    from arrangements.tests.conftest import HEADER, _organisation
    from reference.core import Context, run
    from services.importers import DECLARATIONS as SERVICE_DECLARATIONS

    county = _organisation(
        "TST",
        "Testshire",
        "Testshire County Council",
        "CTY",
        gss_code="E10099991",
        tier="county",
        region="East of England",
        latitude=52.2,
        longitude=0.1,
    )
    north = _organisation(
        "NTT",
        "Northtown",
        "Northtown District Council",
        "NMD",
        gss_code="E07099991",
        tier="district",
        region="East of England",
        parent_county=county,
        latitude=52.4,
        longitude=0.1,
    )
    south = _organisation(
        "SVL",
        "Southvale",
        "Southvale District Council",
        "NMD",
        gss_code="E07099992",
        tier="district",
        region="East of England",
        parent_county=county,
        latitude=52.0,
        longitude=0.1,
    )
    _organisation(
        "CWM",
        "Cwmtest",
        "Cwmtest County Borough Council",
        "WPA",
        gss_code="W06099991",
        tier="unitary",
        nation="Wales",
        region="Wales",
        latitude=51.7,
        longitude=-3.3,
    )
    run(SERVICE_DECLARATIONS, Context(data_dir=django_settings.REFERENCE_DATA_DIR, verbose=False))
    editor = User.objects.create_user("north.editor", password=PASSWORD)
    Membership.objects.create(user=editor, organisation=north, role=Role.EDITOR)
    moderator = User.objects.create_user("moderator", password=PASSWORD, is_moderator=True)
    rows = [
        # Legal, in the East of England: the one the filters should find.
        "Shared legal,One legal team,legal,lead authority delegation,live,2016-04-01,,Northtown District Council,"
        "Southvale,2000000,150000,300000,250000,2018/19,,https://example.org/r",
        # Legal, but in Wales.
        "Cwmtest legal,Legal for the valleys,legal,joint committee,live,2017,,Cwmtest,,,,,,,Not set up to save money,",
        # East of England, but waste.
        "Testshire waste partnership,Joint waste collection,waste,joint committee,under review,2019,,"
        "Testshire County Council,Northtown DC,,,,,,Not set up to save money,",
    ]
    report = importing.run((HEADER + "\n".join(rows) + "\n").encode(), "register.csv", moderator, publish=True)
    assert not report.problems, report.problems
    return {"north": north, "south": south, "county": county, "editor": editor, "moderator": moderator}
