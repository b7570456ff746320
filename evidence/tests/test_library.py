"""The evidence library: its sources and their count, an idempotent reload, quotations that are
word for word in the research, case studies linked to the register, the pages and the API."""

from __future__ import annotations

import jsonschema
import pytest
from django.test import Client

from arrangements.models import Status
from evidence import services
from evidence.importers import load, research_document
from evidence.models import CaseStudy, Checklist, Factor, Quotation, Source
from tests.world import load_evidence_library, shared_service


def test_the_library_holds_the_reviews_nineteen_works_and_the_sources_added_to_them(library):
    listed = Source.objects.filter(in_review_list=True)
    assert listed.count() == 19
    # The appendix numbers 1 to 20; its 2 and 16 are one work, merged.
    numbers = sorted(n for s in listed for n in s.review_numbers)
    assert numbers == list(range(1, 21))
    assert Source.objects.get(key="ppiw-2017").review_numbers == [2, 16]
    for key in ("ogc-2008-gateway", "coe-imc-toolkit", "audit-commission-2005"):
        assert Source.objects.filter(key=key, in_review_list=False).exists()
    assert Source.objects.count() == len(load("sources")) == 24
    assert Factor.objects.count() == 18
    assert CaseStudy.objects.count() == 15
    gateway, steps = Checklist.objects.get(key="ogc-gateway"), Checklist.objects.get(key="coe-14-steps")
    assert (gateway.items.count(), steps.items.count()) == (8, 14)


def test_a_second_load_changes_nothing(library):
    assert sum(r.created for r in library) > 0
    again = load_evidence_library()
    assert [(r.name, r.created, r.updated, r.removed) for r in again if r.created or r.updated or r.removed] == []
    assert Source.objects.count() == 24 and Quotation.objects.count() == len(
        [q for s in load("sources") for q in s["quotations"]]
    )


def test_the_library_loads_with_the_other_reference_data():
    from reference.registry import all_declarations

    names = [d.name for d in all_declarations()]
    assert "Evidence sources" in names and names.index("Evidence factors") < names.index("Evidence sources")


def test_every_quotation_is_word_for_word_in_the_research_document_it_cites(library):
    quotations = list(Quotation.objects.all())
    assert len(quotations) >= 20
    for quotation in quotations:
        assert quotation.text in research_document(quotation.document), quotation.key
        assert quotation.attribution and len(quotation.text) <= 300  # short, and always attributed


def test_a_quotation_that_is_not_in_the_research_fails_the_load(monkeypatch, db):
    from evidence import importers
    from reference.core import ImportError_

    sources = [dict(s) for s in load("sources")]
    sources[0] = {
        **sources[0],
        "quotations": [
            {"text": "shared services always save 30%", "document": "is-2020-research-review", "attribution": "nobody"}
        ],
    }
    monkeypatch.setattr(importers, "load", lambda name: sources if name == "sources" else load(name))
    with pytest.raises(ImportError_):
        load_evidence_library()


def test_every_figure_is_in_the_research_or_names_its_own_published_source(library):
    review = research_document("is-2020-research-review") + research_document("harrow-2018-scrutiny-briefing")
    for source in Source.objects.all():
        for figure in source.figures:
            if figure["document"]:
                assert figure["value"] in research_document(figure["document"]), (source.key, figure)
            else:
                assert source.title and source.author and source.year, source.key
    for case in CaseStudy.objects.all():
        for figure in case.figures:
            assert figure["value"] in review, (case.key, figure)


def test_case_studies_link_to_their_register_entries_by_title_or_partners(library, testshire):
    lgss = CaseStudy.objects.get(key="lgss")
    assert services.register_entry(lgss) is None
    entry = shared_service(
        "LGSS (Cambridgeshire and Northamptonshire county councils)", Status.LIVE, [testshire.county]
    )
    assert services.register_entry(lgss) == entry
    # By partners, when the register's title differs from the research's.
    case = CaseStudy.objects.get(key="hb-public-law")
    case.partners = [testshire.northtown.name, testshire.southvale.name]
    other = shared_service("Legal practice", Status.LIVE, [testshire.northtown, testshire.southvale])
    assert services.register_entry(case) == other
    page = Client().get("/evidence/").content.decode()
    assert f'href="{entry.get_absolute_url()}"' in page


@pytest.mark.parametrize(
    "query, included, excluded",
    [
        ("", "ppiw-2017", None),
        ("theme=definitions", "ibm-2008", "ogc-2008-gateway"),
        ("factor=exit_strategy", "harrow-2018-scrutiny", "ibm-2008"),
        ("country=New+Zealand", "nz-2011", "ogc-2008-gateway"),
        ("q=Gateway", "ogc-2008-gateway", "nz-2011"),
        ("q=proximity+creates", "iclrd-2012-international", "nz-2011"),
    ],
)
def test_search_and_filters_in_the_page_and_the_api(library, query, included, excluded):
    page = Client().get(f"/evidence/?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    ids = {s["id"] for s in Client().get(f"/api/v1/evidence?{query}").json()["sources"]}
    assert included in ids and f'href="/evidence/sources/{included}/"' in html
    if excluded:
        assert excluded not in ids and f'href="/evidence/sources/{excluded}/"' not in html


def test_bad_filters_are_no_500(library):
    assert Client().get("/evidence/?theme=nonsense&factor=%00").status_code in (200, 400)
    assert Client().get("/evidence/sources/no-such-source/").status_code == 404


def test_a_source_page_and_a_factor_page(library):
    html = Client().get("/evidence/sources/audit-commission-2005/").content.decode()
    assert "Governing partnerships: bridging the accountability gap" in html and "60% against 22%" in html
    assert "Audit Commission" in html and "October 2005" in html
    html = Client().get("/evidence/factors/written_agreement/").content.decode()
    assert "Written agreement" in html and "/evidence/sources/audit-commission-2005/" in html
    assert "The arrangement rests on a formal written agreement" in html  # its readiness question


def test_the_api_answer_matches_the_openapi_document(library):
    document = Client().get("/api/v1/openapi.json").json()
    body = Client().get("/api/v1/evidence").json()
    schema = document["paths"]["/api/v1/evidence"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    assert body["count"] == 24
    one = next(s for s in body["sources"] if s["id"] == "lga-2016-stronger-together")
    assert "success_factors" in one["themes"] and "leadership" in one["factors"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate({"count": "many"})


def test_a_wrong_token_is_refused_as_documented(library):
    document = Client().get("/api/v1/openapi.json").json()
    response = Client().get("/api/v1/evidence", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    schema = document["paths"]["/api/v1/evidence"]["get"]["responses"]["401"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(response.json())


def test_load_reference_data_loads_the_library_and_a_rerun_changes_nothing(db):
    import io

    from django.core.management import call_command

    first, second = io.StringIO(), io.StringIO()
    call_command("load_reference_data", only=["Evidence"], stdout=first)
    call_command("load_reference_data", only=["Evidence"], stdout=second)
    assert Source.objects.count() == 24
    assert "Done: 0 created, 0 updated" in second.getvalue() and "0 removed" in second.getvalue()
    assert "0 created" not in first.getvalue().splitlines()[-1]
