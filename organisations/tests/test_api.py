"""The organisations API: the directory's search and the profile, as JSON, as documented."""

from __future__ import annotations

import datetime as dt

import pytest

from organisations.models import Nation, OrganisationType
from organisations.tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    OrganisationNameFactory,
)
from organisations.tests.openapi import errors, response_schema

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations"
DETAIL = "/api/v1/organisations/{code}"


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api(client, openapi):
    """get(path, status, **params) -> the JSON body, checked against the OpenAPI document."""

    def get(path: str, status: int = 200, **params):
        response = client.get(path, params)
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/json")
        documented = LIST if path == LIST else DETAIL
        body = response.json()
        assert errors(body, response_schema(openapi, documented, status), openapi) == []
        return body

    return get


def codes(body: dict) -> list[str]:
    return [o["code"] for o in body["results"]]


# --- the document ---------------------------------------------------------------------


def test_openapi_lists_both_organisation_paths(openapi):
    assert {LIST, DETAIL} <= set(openapi["paths"])
    parameters = {p["name"] for p in openapi["paths"][LIST]["get"]["parameters"]}
    assert {"q", "type", "nation", "region", "page", "page_size", "include_former"} <= parameters
    assert set(openapi["paths"][DETAIL]["get"]["responses"]) == {"200", "404"}


def test_documented_fields_include_what_the_issue_promises(openapi):
    detail = openapi["components"]["schemas"]["OrganisationDetail"]["properties"]
    neighbour = openapi["components"]["schemas"]["NeighbourOut"]["properties"]

    assert {"neighbours", "overlapping_bodies", "indicators", "gss_codes", "successors"} <= set(detail)
    assert "border_km" in neighbour
    assert {"count", "page", "page_size", "results"} <= set(
        openapi["components"]["schemas"]["OrganisationPage"]["properties"]
    )


# --- listing and searching ------------------------------------------------------------------

# Testshire's current bodies (tests/world.py) in name order: Cwmtest, the NHS ICB, Northtown,
# Southvale, Testshire and its fire and police bodies.
EVERY_CURRENT_CODE = ["CWM", "E54999999", "NTT", "SVL", "TST", "E31999999", "E23999999"]


def test_list_everything(api, testshire):
    body = api(LIST)

    assert body["count"] == 7
    assert (body["page"], body["page_size"]) == (1, 50)
    assert codes(body) == EVERY_CURRENT_CODE
    county = body["results"][4]
    assert county == {
        "code": "TST",
        "gss_code": "E10099991",
        "name": "Testshire",
        "official_name": "Testshire County Council",
        "type": "CTY",
        "type_label": "County council",
        "tier": "county",
        "nation": "England",
        "region": "East of England",
        "current": True,
        "url": "http://testserver/organisations/TST/",
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "Testshire County Council"}, ["TST"]),
        ({"q": "testshire cc"}, ["TST"]),
        ({"q": "E10099991"}, ["TST"]),
        ({"q": "ntt"}, ["NTT"]),
        ({"q": "Southern Vale"}, ["SVL"]),  # a name variant
        ({"type": "FRA"}, ["E31999999"]),
        ({"type": "NMD", "q": "south"}, ["SVL"]),
        ({"nation": "Wales"}, ["CWM", "WLS"]),
        ({"region": "Wales"}, ["CWM", "WLS"]),
        ({"q": "Atlantis"}, []),
    ],
)
def test_list_search_and_filters(api, testshire, params, expected):
    OrganisationNameFactory(organisation=testshire.southvale, name="Southern Vale")
    OrganisationFactory(
        code="WLS", name="Westvale", nation=Nation.WALES, region="Wales", org_type=OrganisationType.WELSH_COUNCIL
    )

    body = api(LIST, **params)

    assert codes(body) == expected
    assert body["count"] == len(expected)


def test_list_pages(api, testshire):
    first = api(LIST, page_size=3)
    second = api(LIST, page_size=3, page=2)
    last = api(LIST, page_size=3, page=3)

    assert [first["count"], second["count"], last["count"]] == [7, 7, 7]
    assert codes(first) + codes(second) + codes(last) == EVERY_CURRENT_CODE
    assert second["page"] == 2
    assert len(codes(last)) == 1


def test_list_page_beyond_the_last_gives_the_last(api, testshire):
    assert api(LIST, page_size=3, page=99)["page"] == 3


def test_page_size_is_kept_within_limits(api, settings, testshire):
    settings.API_MAX_PAGE_SIZE = 3

    assert api(LIST, page_size=100)["page_size"] == 3
    assert len(api(LIST, page_size=100)["results"]) == 3
    assert api(LIST, page_size=0)["page_size"] == 1


def test_list_includes_abolished_bodies_on_request(api, testshire):
    OrganisationFactory(code="OLT", name="Oldtown", end_date=dt.date(2023, 4, 1))

    assert "OLT" not in codes(api(LIST))
    former = api(LIST, include_former="true", q="Oldtown")
    assert codes(former) == ["OLT"]
    assert former["results"][0]["current"] is False


def test_page_and_api_agree(client, api, testshire):
    """One search behind both doors."""
    for q in ("testshire", "town", "E31999999"):
        page = client.get("/organisations/", {"q": q}).content.decode()
        for code in codes(api(LIST, q=q)):
            assert f'href="/organisations/{code}/"' in page


# --- one organisation ---------------------------------------------------------------------


def test_detail_of_a_district(api, testshire):
    body = api(DETAIL.format(code="NTT"))

    assert body["name"] == "Northtown"
    assert body["parent_county"] == {"code": "TST", "name": "Testshire", "type": "CTY"}
    assert body["combined_authority"] is None
    assert body["neighbours"] == [{"code": "SVL", "name": "Southvale", "type": "NMD", "border_km": testshire.border_km}]
    assert body["neighbours"][0]["border_km"] == pytest.approx(6.85, abs=0.05)
    assert {(o["code"], o["share"], o["method"]) for o in body["overlapping_bodies"]} == {
        ("TST", 1.0, "register"),
        ("E31999999", 1.0, "boundary"),
        ("E23999999", 1.0, "boundary"),
        ("E54999999", 1.0, "boundary"),
    }
    assert body["gss_codes"] == [{"code": "E07099991", "status": "current"}]
    assert body["names"] == ["Northtown District Council"]
    assert body["density"] == pytest.approx(250_000 / 76)


def test_detail_indicators_say_null_when_not_available(api, testshire):
    pay = IndicatorFactory(key="median-pay", label="Median weekly pay", unit="£")
    work = IndicatorFactory(key="employment", label="Employment rate", unit="%")
    IndicatorValueFactory(organisation=testshire.county, indicator=work, value=74.2, period="2023")
    IndicatorValueFactory(organisation=testshire.northtown, indicator=pay, value=700, period="2024")

    body = api(DETAIL.format(code="TST"))

    indicators = {i["key"]: i for i in body["indicators"]}
    assert indicators["employment"]["value"] == 74.2
    assert indicators["employment"]["period"] == "2023"
    assert indicators["median-pay"]["value"] is None
    assert indicators["median-pay"]["period"] is None
    assert indicators["median-pay"]["source"] == "Test Office for Statistics"


def test_detail_of_an_abolished_body_links_successors_both_ways(api, testshire):
    old = OrganisationFactory(code="OLT", name="Oldtown", start_date=dt.date(1974, 4, 1), end_date=dt.date(2023, 4, 1))
    old.successors.add(testshire.northtown)

    body = api(DETAIL.format(code="OLT"))

    assert body["current"] is False
    assert (body["start_date"], body["end_date"]) == ("1974-04-01", "2023-04-01")
    assert body["successors"] == [{"code": "NTT", "name": "Northtown", "type": "NMD"}]
    assert api(DETAIL.format(code="NTT"))["predecessors"] == [
        {"code": "OLD", "name": "Oldborough", "type": "NMD"},
        {"code": "OLT", "name": "Oldtown", "type": "NMD"},
    ]


@pytest.mark.parametrize("code", ["TST", "tst", "E10099991"])
def test_detail_by_code_in_any_case_or_gss_code(api, testshire, code):
    assert api(DETAIL.format(code=code))["code"] == "TST"


@pytest.mark.parametrize("code", ["NOPE", "E99999999", "ts"])
def test_unknown_code_is_a_json_404(api, testshire, code):
    body = api(DETAIL.format(code=code), status=404)

    assert set(body) == {"detail"}
    assert body["detail"]


def test_wider_body_has_no_indicators_and_no_county(api, testshire):
    IndicatorFactory()

    body = api(DETAIL.format(code="E31999999"))

    assert body["indicators"] == []
    assert body["parent_county"] is None
    assert body["type_label"] == "Fire and rescue authority"
