"""Committee reports: sections in a committee report's order, the PDF (tagged, titled, its text the
report's), the figures behind it, and the pages' permissions."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from arrangements import writes
from benefits import writes as benefit_writes
from reports.models import Recommendations
from reports.sections import ARRANGEMENT_SECTIONS, ORGANISATION_SECTIONS

ORDER = [
    "Summary",
    "Recommendations",
    "Background",
    "Financial implications",
    "Risks",
    "Options considered",
    "Appendices",
]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# An arrangement's report adds its business case to the money, and its readiness to the risks.
ARRANGEMENT_ORDER = [*ORDER[:4], "Business case", "Risks", "Readiness", *ORDER[5:]]


def test_sections_are_in_a_committee_reports_order():
    assert [s.title for s in ARRANGEMENT_SECTIONS] == ARRANGEMENT_ORDER
    assert [s.title for s in ORGANISATION_SECTIONS] == ORDER


def test_the_arrangement_report_as_html(arrangement, finance):
    assert writes.sign_off(finance["north"], arrangement.ledger.get(measure="achieved_saving"), "Checked").ok
    html = Client().get(f"/arrangements/{arrangement.pk}/report/").content.decode()
    positions = [html.index(f"{n}. {title}</h2>") for n, title in enumerate(ARRANGEMENT_ORDER, start=1)]
    assert positions == sorted(positions)
    assert "Shared legal: committee report" in html
    assert "£250,000 of achieved savings signed off by a partner’s finance lead, against £300,000 expected" in html
    assert "Signed off by Northtown’s finance lead" in html and "Fin north.finance" not in html


def test_the_pdf_is_tagged_titled_and_holds_the_title_and_figures(arrangement, users):
    benefit_writes.save_measure(
        users["editor"],
        arrangement,
        {
            "name": "Customer satisfaction",
            "kind": "non_financial",
            "unit": "%",
            "owner": "NTT",
            "baseline_value": "70",
            "baseline_on": "2016-03-31",
        },
    )
    response = Client().get(f"/arrangements/{arrangement.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Shared legal: committee report" in text
    assert "£300,000" in text and "Customer satisfaction" in text
    assert reader.metadata.title == "Shared legal: committee report"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog


def test_the_figures_behind_it_as_csv_and_xlsx(arrangement):
    csv_text = Client().get(f"/arrangements/{arrangement.pk}/report/figures.csv").content.decode()
    assert csv_text.splitlines()[0] == "section,figure,period,value,unit_or_standing,source"
    assert 'Summary,"Expected savings, all years",,300000,£,Sharewell register' in csv_text
    response = Client().get(f"/arrangements/{arrangement.pk}/report/figures.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("section", "figure", "period", "value", "unit_or_standing", "source")
    assert ("Summary", "Expected savings, all years", None, 300000, "£", "Sharewell register") in rows
    assert Client().get(f"/arrangements/{arrangement.pk}/report/figures.doc").status_code == 404


def test_reports_follow_the_pages_permissions(arrangement, users):
    arrangement.published = False
    arrangement.save(update_fields=["published"])
    for url in ("report/", "report.pdf", "report/figures.csv"):
        assert Client().get(f"/arrangements/{arrangement.pk}/{url}").status_code == 404
        assert client_for(users["other_editor"]).get(f"/arrangements/{arrangement.pk}/{url}").status_code == 404
        assert client_for(users["viewer"]).get(f"/arrangements/{arrangement.pk}/{url}").status_code == 200
    # A draft is left out of the organisation's report for the public, and in it for its members.
    assert "Shared legal" not in Client().get("/organisations/NTT/report/").content.decode()
    assert "Shared legal" in client_for(users["viewer"]).get("/organisations/NTT/report/").content.decode()


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("viewer", 403), ("other_editor", 403), ("editor", 302)])
def test_only_editors_change_the_recommendations(arrangement, users, who, expected):
    url = f"/arrangements/{arrangement.pk}/report/recommendations/"
    response = client_for(users.get(who)).post(url, {"text": "That the committee approves the extension."})
    assert response.status_code == expected
    assert Recommendations.objects.filter(arrangement=arrangement).exists() == (who == "editor")
    if who == "editor":
        html = Client().get(f"/arrangements/{arrangement.pk}/report/").content.decode()
        assert "That the committee approves the extension." in html


def test_the_organisation_report_and_its_pdf(arrangement):
    html = Client().get("/organisations/SVL/report/").content.decode()
    assert "Southvale: shared services portfolio, committee report" in html and "Shared legal" in html
    response = Client().get("/organisations/SVL/report.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Southvale: shared services portfolio" in text and "Shared legal" in text


def test_a_large_portfolios_pdf_is_written_by_a_background_job(arrangement, monkeypatch):
    from reports import jobs

    monkeypatch.setattr(jobs, "INLINE_LIMIT", 0)
    client = Client()
    response = client.get("/organisations/NTT/report.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/reports/")
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page  # jobs run inline in the tests
    pdf = client.get(response["Location"] + "report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Northtown: shared services portfolio" in text and "Shared legal" in text
    # Only whoever asked for it can open it.
    assert Client().get(response["Location"]).status_code == 404


def test_the_business_case_and_readiness_sections_follow_their_own_permissions(arrangement, users):
    """A draft case and unpublished answers are the partners' own: the public report says none is shared."""
    from appraisal import writes as case_writes
    from appraisal.tests.factories import case_data
    from readiness.tests.factories import AnswerFactory, RoundFactory

    assert case_writes.save(users["moderator"], arrangement, case_data(), writes.site()).ok
    round_ = RoundFactory(arrangement=arrangement, number=1, stage="operate")
    AnswerFactory(round=round_, organisation=users["editor"].memberships.get().organisation, value=4)
    url = f"/arrangements/{arrangement.pk}/report/"

    partner = client_for(users["viewer"]).get(url).content.decode()
    assert "Net present value" in partner and "Draft, not shared" in partner
    assert "Readiness by factor" in partner and "round 1" in partner
    public = Client().get(url).content.decode()
    assert "Net present value" not in public and "No business case has been shared" in public
    assert "Readiness by factor" not in public and "No readiness assessment has been published" in public

    assert case_writes.share(users["editor"], arrangement).ok
    public = Client().get(url).content.decode()
    assert "Net present value" in public and "Version 1" in public
    figures = Client().get(f"/arrangements/{arrangement.pk}/report/figures.csv").content.decode()
    assert "Net present value,," in figures and "Business case, version 1" in figures
