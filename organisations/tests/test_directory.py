"""Finding organisations: one search behind the directory page and the API."""

from __future__ import annotations

import datetime as dt

import pytest

from organisations import services
from organisations.models import Nation, Organisation, OrganisationType
from organisations.tests.factories import GssCodeFactory, OrganisationFactory, OrganisationNameFactory

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def search(q: str = "", **filters) -> set[str]:
    return codes(services.directory(services.DirectoryFilters(q=q, **filters)))


@pytest.mark.parametrize(
    "text",
    [
        "Testshire County Council",
        "testshire county council",
        "TESTSHIRE COUNTY",
        "Testshire CC",
        "TST",
        "tst",
        "E10099991",
        "e10099991",
        "  Testshire  ",
    ],
)
def test_testshire_is_found_by_any_name_or_code(testshire, text):
    assert "TST" in search(text)


@pytest.mark.parametrize("text", ["Westshire", "TSX", "E10999998", "Testshire Borough of Nowhere"])
def test_other_text_does_not_find_testshire(testshire, text):
    assert "TST" not in search(text)


def test_a_search_for_a_place_finds_the_bodies_named_after_it(testshire):
    assert search("Testshire") == {"TST", "E31999999", "E23999999", "E54999999"}
    assert search("Northtown") == {"NTT"}
    assert search("Northtown District Council") == {"NTT"}


def test_a_name_variant_is_found(testshire):
    assert "SVL" not in search("Vale of the South")

    OrganisationNameFactory(organisation=testshire.southvale, name="Vale of the South D.C.")

    assert search("Vale of the South") == {"SVL"}
    assert search("vale of the south dc") == {"SVL"}


def test_a_former_gss_code_is_found(testshire):
    GssCodeFactory(organisation=testshire.northtown, code="E07000999")

    assert search("E07000999") == {"NTT"}
    assert services.get_organisation("E07000999") == testshire.northtown


def test_an_organisation_matching_several_ways_is_listed_once(testshire):
    OrganisationNameFactory(organisation=testshire.county, name="Testshire County")

    results = list(services.directory(services.DirectoryFilters(q="testshire")))

    assert len(results) == len(set(results)) == 4


def test_empty_search_lists_every_current_organisation_in_name_order(testshire):
    results = list(services.directory(services.DirectoryFilters()))

    assert [o.code for o in results] == ["CWM", "E54999999", "NTT", "SVL", "TST", "E31999999", "E23999999"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"org_type": OrganisationType.DISTRICT}, {"NTT", "SVL"}),
        ({"org_type": OrganisationType.FIRE}, {"E31999999"}),
        ({"nation": Nation.WALES}, {"CWM", "WLS"}),
        ({"nation": Nation.ENGLAND, "org_type": OrganisationType.COUNTY}, {"TST"}),
        ({"region": "East of England"}, {"NTT", "SVL", "TST"}),
        ({"region": "Wales"}, {"CWM", "WLS"}),
        ({"q": "town", "org_type": OrganisationType.DISTRICT}, {"NTT"}),
    ],
)
def test_filters(testshire, filters, expected):
    OrganisationFactory(
        code="WLS", name="Westvale", nation=Nation.WALES, region="Wales", org_type=OrganisationType.WELSH_COUNCIL
    )

    assert search(**filters) == expected


def test_abolished_bodies_are_listed_only_on_request(testshire):
    old = OrganisationFactory(code="OLT", name="Oldtown", end_date=dt.date(2023, 4, 1))
    old.successors.add(testshire.northtown)

    assert "OLT" not in search()
    assert "OLT" not in search("Oldtown")
    assert search("Oldtown", include_former=True) == {"OLT"}


def test_region_choices_are_the_current_regions(testshire):
    OrganisationFactory(region="Gone Region", end_date=dt.date(2020, 1, 1))
    OrganisationFactory(region="Another Region")

    assert services.region_choices() == ["Another Region", "East of England", "Wales"]


def test_queryset_search_of_nothing_is_everything(testshire):
    assert Organisation.objects.search("").count() == Organisation.objects.count()
    assert Organisation.objects.search("   ").count() == Organisation.objects.count()


# --- the directory page ---------------------------------------------------------------


def test_directory_page_shows_a_name_variant_match(client, testshire):
    OrganisationNameFactory(organisation=testshire.southvale, name="Vale of the South")

    response = client.get("/organisations/", {"q": "vale of the south"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 organisation<" in page
    assert 'href="/organisations/SVL/">Southvale</a>' in page
    assert "Northtown" not in page


def test_directory_page_filters_by_type(client, testshire):
    page = client.get("/organisations/", {"org_type": "FRA"}).content.decode()

    assert "Testshire Fire and Rescue Authority" in page
    assert 'href="/organisations/NTT/"' not in page


def test_directory_page_filters_by_nation_and_region(client, testshire):
    OrganisationFactory(
        code="WLS", name="Westvale", nation=Nation.WALES, region="Wales", org_type=OrganisationType.WELSH_COUNCIL
    )

    wales = client.get("/organisations/", {"nation": "Wales"}).content.decode()
    region = client.get("/organisations/", {"region": "East of England"}).content.decode()

    assert "Westvale" in wales and "Northtown" not in wales
    assert "Northtown" in region and "Westvale" not in region
    assert '<option value="East of England" selected>' in region


def test_directory_page_says_when_nothing_matches(client, testshire):
    page = client.get("/organisations/", {"q": "Atlantis"}).content.decode()

    assert "0 organisations" in page
    assert "No organisations match" in page


def test_directory_page_survives_an_unknown_filter_value(client, testshire):
    response = client.get("/organisations/", {"org_type": "NOPE", "page": "not a number"})

    assert response.status_code == 200
    assert 'href="/organisations/NTT/"' in response.content.decode()


def test_directory_is_paginated(client, settings, testshire):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(3):
        OrganisationFactory(name=f"Zedtown {n}")  # 10 organisations: 5 pages

    first = client.get("/organisations/").content.decode()
    second = client.get("/organisations/", {"page": 2}).content.decode()
    last = client.get("/organisations/", {"page": 5}).content.decode()
    beyond = client.get("/organisations/", {"page": 99})

    assert "10 organisations" in first
    assert 'href="/organisations/CWM/"' in first and 'href="/organisations/E54999999/"' in first
    assert 'href="/organisations/NTT/"' not in first
    assert 'aria-label="Page 2"' in first and 'rel="next"' in first
    assert 'href="/organisations/NTT/"' in second and 'href="/organisations/CWM/"' not in second
    assert 'aria-current="page">2<' in second
    assert "Zedtown 2" in last and 'rel="next"' not in last
    assert beyond.status_code == 200 and "Zedtown 2" in beyond.content.decode()


def test_pagination_links_keep_the_search(client, settings, testshire):
    settings.DIRECTORY_PAGE_SIZE = 1

    page = client.get("/organisations/", {"q": "testshire"}).content.decode()

    assert 'href="?q=testshire&amp;page=2"' in page
