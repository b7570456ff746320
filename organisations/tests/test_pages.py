"""The register's pages, on the fictional county of Testshire."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from indicators.models import IndicatorGroup
from organisations import services
from organisations.tests.factories import IndicatorFactory, IndicatorValueFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_page_counts_councils_and_bodies(client, testshire):
    page = html(client.get("/"))

    assert "Browse 7 public bodies" in page
    assert "all 4 principal councils" in page
    assert 'action="/organisations/"' in page


def test_home_page_ignores_abolished_bodies(client, testshire):
    OrganisationFactory(end_date=dt.date(2020, 1, 1))

    assert "all 4 principal councils" in html(client.get("/"))


def test_about_data_lists_the_register_sources_and_licences(client):
    page = html(client.get("/about/data/"))

    assert "About the data" in page
    assert "Neighbours (shared borders)" in page
    assert "register/uk_local_authorities.csv" in page
    assert "CC BY 4.0" in page and "OGL v3" in page


def test_directory_page(client, testshire):
    page = html(client.get("/organisations/"))

    assert "7 organisations" in page
    for code in ("TST", "NTT", "SVL", "CWM", "E31999999", "E23999999", "E54999999"):
        assert f'href="/organisations/{code}/"' in page
    assert 'name="q"' in page and 'name="org_type"' in page and 'name="nation"' in page


def test_county_profile_shows_its_facts_bodies_and_districts(client, testshire):
    page = html(client.get("/organisations/TST/"))

    assert '<h1 class="govuk-heading-xl">Testshire</h1>' in page
    assert "Testshire County Council" in page
    assert "E10099991" in page
    assert "500,000" in page  # population
    assert 'href="https://www.testshire.example/"' in page
    overlapping = page[page.index('id="overlapping-bodies"') :]
    assert "Testshire Fire and Rescue Authority" in overlapping
    assert "Testshire Police" in overlapping
    covers = page[page.index('id="councils-covered"') :]
    assert 'href="/organisations/NTT/">Northtown</a>' in covers
    assert 'href="/organisations/SVL/">Southvale</a>' in covers


def test_district_profile_shows_its_neighbour_with_the_border_length(client, testshire):
    page = html(client.get("/organisations/NTT/"))

    neighbours = page[page.index('id="neighbours"') : page.index('id="overlapping-bodies"')]
    assert 'href="/organisations/SVL/">Southvale</a>' in neighbours
    [km] = re.findall(r"([\d.]+) km", neighbours)
    assert float(km) == pytest.approx(6.85, abs=0.06)  # 0.1° of longitude at 52.1°N
    overlapping = page[page.index('id="overlapping-bodies"') :]
    assert 'href="/organisations/TST/">Testshire</a>' in overlapping
    assert "named in the council register" in overlapping
    assert "computed from the boundaries" in overlapping
    assert "100%" in overlapping


def test_profile_map_has_the_council_and_its_neighbours(client, testshire):
    page = html(client.get("/organisations/NTT/"))

    data = json.loads(
        re.search(r'<script id="map-features" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    roles = {f["properties"]["code"]: f["properties"]["role"] for f in data["features"]}
    assert roles == {"NTT": "self", "SVL": "neighbour"}
    assert all(f["geometry"]["type"] == "Polygon" for f in data["features"])


def test_profile_without_boundary_or_neighbours_says_so(client, testshire):
    island = OrganisationFactory(code="ISL", name="Islandia")

    page = html(client.get(island.get_absolute_url()))

    assert "No boundary is available" in page
    assert "No land borders" in page
    assert "organisation-map" not in page


def test_profile_shows_indicator_values_and_not_available(client, testshire):
    with_value = IndicatorFactory(label="Share of adults in work", unit="%", group=IndicatorGroup.ECONOMY)
    IndicatorValueFactory(organisation=testshire.county, indicator=with_value, value=74.25, period="2023")
    without_value = IndicatorFactory(label="Median weekly pay", unit="£", group=IndicatorGroup.ECONOMY)
    IndicatorValueFactory(organisation=testshire.northtown, indicator=without_value, value=700, period="2024")

    page = html(client.get("/organisations/TST/"))

    indicators = page[page.index('id="indicators"') :]
    rows = re.findall(r'<tr class="govuk-table__row">\s*(.*?)</tr>', indicators, re.S)
    by_label = {re.search(r">([^<]+)</th>", row).group(1): row for row in rows if "font-weight-regular" in row}
    assert "74.2%" in by_label["Share of adults in work"] or "74.3%" in by_label["Share of adults in work"]
    assert "2023" in by_label["Share of adults in work"]
    assert "Not available" in by_label["Median weekly pay"]
    assert "£" not in by_label["Median weekly pay"].split("Not available")[0]


def test_wider_bodies_show_no_indicator_table(client, testshire):
    IndicatorFactory()

    assert 'id="indicators"' not in html(client.get(testshire.fire.get_absolute_url()))


def test_profile_lists_other_names(client, testshire):
    page = html(client.get("/organisations/NTT/"))

    assert "Other names (1)" in page
    assert "Northtown District Council" in page


@pytest.mark.parametrize("path", ["/organisations/E10099991/", "/organisations/tst/", "/organisations/e10099991/"])
def test_profile_by_gss_code_or_other_case_redirects_to_the_stable_code(client, testshire, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/organisations/TST/"


def test_abolished_profile_names_its_successor(client, testshire):
    old = OrganisationFactory(code="OLT", name="Oldtown", end_date=dt.date(2023, 4, 1))
    old.successors.add(testshire.northtown)

    page = html(client.get("/organisations/OLT/"))
    successor = html(client.get("/organisations/NTT/"))

    assert "Abolished 1 April 2023" in page
    assert 'Replaced by\n    <a class="govuk-link" href="/organisations/NTT/">Northtown</a>' in page
    assert 'href="/organisations/OLT/">Oldtown</a>' in successor


def test_history_page_without_changes(client, testshire):
    page = html(client.get("/organisations/TST/history/"))

    # Only the record of its creation, by no person.
    assert "History of changes" in page
    rows = re.findall(r'<tr class="govuk-table__row">\s*<td(.*?)</tr>', page, re.S)
    assert len(rows) == 1
    assert ">Sharewell</td>" in rows[0] and ">Created</td>" in rows[0]


@pytest.mark.parametrize(
    "path",
    ["/organisations/NOPE/", "/organisations/NOPE/history/", "/organisations/E99999999/", "/no-such-page/"],
)
def test_unknown_pages_are_a_govuk_404(client, testshire, path):
    response = client.get(path)

    assert response.status_code == 404
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "govuk-template" in page
    assert "Traceback" not in page


def test_map_features_service_only_includes_bodies_with_boundaries(testshire):
    OrganisationFactory(code="NOB", name="No boundary")
    profile = services.profile("NTT")

    features = services.map_features(profile)

    assert features["type"] == "FeatureCollection"
    assert [f["properties"]["url"] for f in features["features"]] == ["/organisations/NTT/", "/organisations/SVL/"]
