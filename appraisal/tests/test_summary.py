"""The committee report's view of a business case: `for_report` and its template include."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from appraisal import summary, writes


def test_none_without_a_case_one_may_see(arrangement, draft, users):
    assert summary.for_report(arrangement, AnonymousUser()) is None
    assert summary.for_report(arrangement, users["other_editor"]) is None


def test_the_headline_figures_and_their_section(arrangement, draft, users):
    writes.share(users["editor"], arrangement)
    found = summary.for_report(arrangement, AnonymousUser())
    assert found is not None and found["version"] == 1
    assert found["risk"]["p10"] <= found["risk"]["p50"] <= found["risk"]["p90"]
    assert [row["code"] for row in found["split"]] == ["NTT", "SVL"]
    html = render_to_string("appraisal/_report_section.html", {"case": found})
    assert "Net present value" in html and found["reality_check"][:40] in html
    assert "Northtown" in html and "version 2026.1" in html
