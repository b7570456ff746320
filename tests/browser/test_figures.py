"""Headline figures fit their boxes at every width from a small phone to a desktop."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Short figures as compact_pounds writes them, a count with commas, and one long amount
# written out in full, which may wrap but must not spill out of its box.
VALUES = ["£56.5m", "1,234,567", "−£1.34bn", "−£999tn", "100%", "£1,340,000,000"]
MUST_STAY_ON_ONE_LINE = VALUES[:5]


@pytest.fixture(scope="module")
def stylesheet(tmp_path_factory) -> str:
    # Compiled here from the source, so the test never checks a stale static_build/.
    out = tmp_path_factory.mktemp("css") / "sharewell.css"
    subprocess.run(
        [
            ROOT / "node_modules" / ".bin" / "sass",
            "--no-source-map",
            "--load-path=node_modules",
            "--quiet-deps",
            "frontend/sharewell.scss",
            str(out),
        ],
        cwd=ROOT,
        check=True,
    )
    return out.read_text()


@pytest.mark.parametrize("width", [320, 375, 640, 641, 768, 1020, 1280])
def test_figures_never_overflow_or_break_a_short_figure(browser, stylesheet, width):
    items = "".join(
        f'<li class="sw-figure"><span class="sw-figure__value">{v}</span>expected savings, all years</li>'
        for v in VALUES
    )
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        figures = _measure(page, items, stylesheet)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()
    assert [f["value"] for f in figures if f["spills"]] == []
    assert [f["value"] for f in figures if f["lines"] > 1 and f["value"] in MUST_STAY_ON_ONE_LINE] == []


def _measure(page, items: str, stylesheet: str) -> list[dict]:
    page.set_content(
        f'<!DOCTYPE html><html class="govuk-template"><head><style>{stylesheet}</style></head>'
        f'<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper">'
        f'<ul class="sw-figures">{items}</ul></main></div></body></html>'
    )
    return page.evaluate("""() => [...document.querySelectorAll('.sw-figure')].map(box => {
        const value = box.querySelector('.sw-figure__value');
        const text = document.createRange();
        text.selectNodeContents(value);
        const inner = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
        return {
            value: value.textContent,
            spills: value.scrollWidth > value.clientWidth || text.getBoundingClientRect().right > inner + 0.5,
            lines: Math.round(value.getBoundingClientRect().height / parseFloat(getComputedStyle(value).lineHeight)),
        };
    })""")
