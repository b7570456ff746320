"""The register importer on the real reference files in data/.

The import takes a few seconds, so it runs twice per module (the second run proves it
is idempotent) and every test reads the result inside its own rolled-back transaction.
What the module loaded is deleted at the end, so other modules start from an empty register.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from organisations import services
from organisations.importers import DECLARATIONS, GSS_ALIASES
from organisations.models import (
    Boundary,
    GssCode,
    Neighbour,
    Organisation,
    OrganisationName,
    OrganisationType,
    Overlap,
)
from organisations.tests.openapi import errors, response_schema
from reference.core import Context, run

pytestmark = pytest.mark.django_db

LOWER_TIER_TYPES = ("NMD", "UA", "MD", "LBO", "CC", "SCO", "WPA", "NID")
UPPER_TIER_TYPES = ("CTY", "UA", "MD", "LBO", "CC", "SCO", "WPA", "NID")


def context() -> Context:
    return Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False)


def derived(name: str) -> list[dict[str, str]]:
    with open(Path(settings.REFERENCE_DATA_DIR) / "derived" / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Results of a first and a second import of the real register (committed data)."""
    with django_db_blocker.unblock():
        assert not Organisation.objects.exists(), "the register tests need an empty database"
        first = run(DECLARATIONS, context())
        second = run(DECLARATIONS, context())
    yield {"first": first, "second": second}
    with django_db_blocker.unblock():
        for model in (Neighbour, Overlap, Boundary, GssCode, OrganisationName):
            model.objects.all().delete()
        Organisation.objects.all().delete()
        Organisation.history.all().delete()


@pytest.fixture
def current_by_gss(imported) -> dict[str, Organisation]:
    return {o.gss_code: o for o in Organisation.objects.current().exclude(gss_code="")}


# --- what was loaded -----------------------------------------------------------


def test_current_principal_councils_by_type(imported):
    counts = Counter(Organisation.objects.current().principal_councils().values_list("org_type", flat=True))

    assert sum(counts.values()) == 382
    assert counts == {"NMD": 164, "UA": 63, "MD": 36, "LBO": 32, "CC": 1, "SCO": 32, "WPA": 22, "NID": 11, "CTY": 21}


def test_current_fire_police_and_nhs_bodies(imported):
    counts = Counter(Organisation.objects.current().values_list("org_type", flat=True))

    # England and Wales's bodies from the ONS boundaries, plus the national police and fire
    # services of Scotland and Northern Ireland from data/register/national_bodies.csv.
    assert (counts["FRA"], counts["PFA"], counts["ICB"], counts["LHB"]) == (47 + 2, 43 + 2, 42, 7)


@pytest.mark.parametrize(
    "council, bodies",
    [
        ("GLG", {"POLICE-SCOTLAND", "SFRS"}),
        ("BFS", {"PSNI", "NIFRS"}),
    ],
)
def test_councils_in_scotland_and_northern_ireland_sit_in_their_national_services(imported, council, bodies):
    overlapping = set(Overlap.objects.filter(organisation__code=council).values_list("body__code", flat=True))

    assert bodies <= overlapping


def test_a_national_service_covers_its_whole_nation(imported):
    scottish = Organisation.objects.current().filter(org_type="SCO")
    police = Organisation.objects.get(code="POLICE-SCOTLAND")

    assert police.covered.count() == scottish.count() == 32
    assert police.population == sum(scottish.values_list("population", flat=True))
    assert police.area_km2 == pytest.approx(sum(scottish.values_list("area_km2", flat=True)), abs=0.1)


def test_combined_authorities_and_the_gla_are_present(imported):
    current = Organisation.objects.current()
    combined = set(current.filter(org_type=OrganisationType.COMBINED_AUTHORITY).values_list("name", flat=True))

    assert len(combined) >= 14
    assert {
        "Cambridgeshire and Peterborough",
        "Greater Manchester",
        "West Midlands",
        "West Yorkshire",
        "Devon and Torbay",
    } <= combined  # Devon and Torbay is only in the 2025 boundaries
    assert current.get(org_type=OrganisationType.STRATEGIC_REGIONAL_AUTHORITY).code == "GLA"
    assert Organisation.objects.get(code="CAB").combined_authority.code == "CPCA"


def test_every_current_council_has_a_boundary_and_every_body_a_population(imported):
    current = Organisation.objects.current()

    assert not current.principal_councils().filter(boundary__isnull=True).exists()
    for org_type in ("FRA", "PFA", "ICB", "LHB"):
        # The national services have no ONS boundary of their own: their nation is their area.
        assert not current.filter(org_type=org_type, boundary__isnull=True).exclude(gss_code="").exists()
        assert not current.filter(org_type=org_type, population__isnull=True).exists(), org_type


def test_no_gss_code_is_blank(imported):
    # The register's GSS lookup has rows with no code (abolished NI councils): they are
    # not codes, and must not be stored as one.
    blank = list(GssCode.objects.filter(code="").values_list("organisation__code", flat=True))

    assert blank == []


# --- rerunnable --------------------------------------------------------------------


def test_first_run_creates_the_register(imported):
    created = {r.name: r.created for r in imported["first"]}

    assert created["Councils, combined authorities and the GLA"] == 470
    assert created["Fire, police and NHS bodies"] == 47 + 43 + 42 + 7
    assert created["Neighbours (shared borders)"] == Neighbour.objects.count()
    assert created["Overlapping bodies"] == Overlap.objects.count()


def test_second_run_changes_nothing(imported):
    changes = [(r.name, r.created, r.updated, r.removed) for r in imported["second"]]

    assert changes == [(d.name, 0, 0, 0) for d in DECLARATIONS]
    assert all(r.unchanged > 0 for r in imported["second"])


def test_rerun_keeps_user_edits_and_restores_everything_else(imported, client, member_of):
    cambridgeshire = Organisation.objects.get(code="CAM")
    reference_homepage = cambridgeshire.homepage
    client.force_login(member_of(cambridgeshire, "editor"))
    edited = client.post("/organisations/CAM/edit/", {"homepage": "https://www.cambridgeshire.example/sharing"})
    assert edited.status_code == 302
    Organisation.objects.filter(code="CAM").update(population=1)  # not a user's field: the source wins
    cardiff = Organisation.objects.get(code="CRF")
    cardiff_homepage = cardiff.homepage
    # A user-maintained field changed without being marked as edited is restored.
    Organisation.objects.filter(code="CRF").update(homepage="https://tampered.example/")

    results = {r.name: r for r in run(DECLARATIONS, context())}

    cambridgeshire.refresh_from_db()
    cardiff.refresh_from_db()
    assert reference_homepage and cardiff_homepage
    assert cambridgeshire.homepage == "https://www.cambridgeshire.example/sharing"
    assert cambridgeshire.user_edited_fields == ["homepage"]
    assert cambridgeshire.population > 100_000
    assert cardiff.homepage == cardiff_homepage
    assert results["Councils, combined authorities and the GLA"].updated == 2


# --- codes, aliases and abolished councils -------------------------------------


@pytest.mark.parametrize("gss, code", sorted(GSS_ALIASES.items()))
def test_new_gss_codes_of_barnsley_and_sheffield_are_aliases(imported, client, gss, code):
    assert (gss, code) in {("E08000038", "BNS"), ("E08000039", "SHF")}
    assert services.get_organisation(gss).code == code
    assert GssCode.objects.get(code=gss).status == GssCode.Status.ALIAS

    response = client.get(f"/api/v1/organisations/{gss}")

    assert response.status_code == 200
    assert response.json()["code"] == code
    assert {"code": gss, "status": "alias"} in response.json()["gss_codes"]


def test_aliases_page_redirects_to_the_stable_code(imported, client):
    response = client.get("/organisations/E08000038/")

    assert response.status_code == 302
    assert response["Location"] == "/organisations/BNS/"


@pytest.mark.parametrize(
    "gss, code",
    [
        ("E08000020", "GAT"),  # Gateshead's code before 2013: a former code of a current council
        ("E07000026", "ALL"),  # Allerdale, merged into Cumberland in 2023
        ("E10000006", "CMA"),  # Cumbria County Council, abolished in 2023
        ("e10000003", "CAM"),  # any case
    ],
)
def test_former_gss_codes_resolve(imported, client, gss, code):
    assert services.get_organisation(gss).code == code
    assert client.get(f"/api/v1/organisations/{gss}").json()["code"] == code


@pytest.mark.parametrize(
    "code, successors",
    [("ALL", {"CBD"}), ("CAR", {"CBD"}), ("CMA", {"CBD", "WAF"}), ("NTCA", {"E47000014"})],
)
def test_abolished_bodies_are_kept_with_end_date_and_successors(imported, code, successors):
    organisation = Organisation.objects.get(code=code)

    assert organisation.end_date is not None
    assert organisation.end_date <= dt.date.today()
    assert not Organisation.objects.current().filter(code=code).exists()
    assert set(organisation.successors.values_list("code", flat=True)) == successors
    for successor in organisation.successors.all():
        assert successor.is_current
        assert organisation in successor.predecessors.all()


def test_cumbrian_councils_ended_on_1_april_2023(imported):
    ended = dict(Organisation.objects.filter(code__in=["ALL", "CMA"]).values_list("code", "end_date"))

    assert ended == {"ALL": dt.date(2023, 4, 1), "CMA": dt.date(2023, 4, 1)}


def test_abolished_council_profile_links_to_its_successors(imported, client):
    response = client.get("/organisations/CMA/")

    assert response.status_code == 200
    assert "Abolished 1 April 2023" in response.content.decode()
    assert 'href="/organisations/CBD/"' in response.content.decode()
    assert 'href="/organisations/WAF/"' in response.content.decode()


# --- neighbours ----------------------------------------------------------------------


def neighbour_pairs(types) -> set[tuple[str, str]]:
    return set(
        Neighbour.objects.filter(
            organisation__org_type__in=types,
            neighbour__org_type__in=types,
            organisation__end_date__isnull=True,
            neighbour__end_date__isnull=True,
        ).values_list("organisation__gss_code", "neighbour__gss_code")
    )


def test_lower_tier_neighbours_equal_the_derived_adjacency(imported, current_by_gss):
    expected = {(r["areacd"], r["neighbour_cd"]) for r in derived("lad24_adjacency_derived.csv")}
    assert {code for pair in expected for code in pair} <= set(current_by_gss)

    assert neighbour_pairs(LOWER_TIER_TYPES) == expected


def test_upper_tier_neighbours_equal_the_derived_adjacency(imported, current_by_gss):
    expected = {(r["areacd"], r["neighbour_cd"]) for r in derived("ctyua24_adjacency_derived.csv")}
    assert {code for pair in expected for code in pair} <= set(current_by_gss)
    computed = {
        (a, b)
        for a, b in neighbour_pairs(UPPER_TIER_TYPES)
        if current_by_gss[a].tier != "district" and current_by_gss[b].tier != "district"
    }

    assert computed == expected


def test_neighbours_are_stored_both_ways_with_the_same_length(imported):
    links = {(a, b): km for a, b, km in Neighbour.objects.values_list("organisation", "neighbour", "border_km")}

    assert links
    assert all(links.get((b, a)) == km for (a, b), km in links.items())
    assert all(km > 0 for km in links.values())


@pytest.mark.parametrize(
    "a, b, km",
    [
        ("CAB", "SCA", 30),  # Cambridge is an island in South Cambridgeshire
        ("CAM", "SFK", 86),  # Cambridgeshire and Suffolk (counties)
        ("CRF", "VGL", 16),  # Cardiff and the Vale of Glamorgan
    ],
)
def test_border_lengths_are_plausible(imported, a, b, km):
    border = Neighbour.objects.get(organisation__code=a, neighbour__code=b).border_km

    assert border == pytest.approx(km, rel=0.25)


def test_island_councils_have_no_neighbours(imported):
    islands = Organisation.objects.filter(code__in=["IOS", "ORK", "ZET"])

    assert islands.count() == 3
    assert not Neighbour.objects.filter(organisation__in=islands).exists()


# --- overlapping bodies --------------------------------------------------------------


def bodies(code: str) -> dict[str, str]:
    return {o.body.org_type: o.body.name for o in Organisation.objects.get(code=code).overlaps.all()}


def test_cambridgeshire_sits_in_its_fire_police_icb_and_combined_authority(imported):
    assert bodies("CAM") == {
        "COMB": "Cambridgeshire and Peterborough",
        "FRA": "Cambridgeshire Fire and Rescue Authority",
        "PFA": "Cambridgeshire Police",
        "ICB": "NHS Cambridgeshire and Peterborough Integrated Care Board",
    }


def test_cambridge_sits_in_its_county_too(imported):
    assert bodies("CAB")["CTY"] == "Cambridgeshire"
    assert bodies("CAB")["COMB"] == "Cambridgeshire and Peterborough"


def test_cardiff_sits_in_south_wales_fire_and_police_and_its_health_board(imported):
    assert bodies("CRF") == {
        "FRA": "South Wales Fire and Rescue Authority",
        "PFA": "South Wales Police",
        "LHB": "Cardiff and Vale University Health Board",
    }


def test_a_wider_body_lists_the_councils_it_covers(imported, client):
    fire = Organisation.objects.get(name="Cambridgeshire Fire and Rescue Authority")

    covered = set(fire.covered.values_list("organisation__code", flat=True))

    assert {"CAM", "CAB", "SCA", "ECA", "FEN", "HUN", "PTE"} <= covered
    assert "Councils it covers" in client.get(fire.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "org_type, column",
    [("FRA", "fra_cd"), ("PFA", "pfa_cd"), ("ICB", "icb_cd"), ("LHB", "lhb_cd")],
)
def test_largest_body_of_each_council_matches_the_derived_file(imported, current_by_gss, org_type, column):
    largest = {}
    for council, body, share in Overlap.objects.filter(body__org_type=org_type).values_list(
        "organisation__gss_code", "body__gss_code", "share"
    ):
        if share > largest.get(council, ("", 0.0))[1]:
            largest[council] = (body, share)
    rows = derived("lad24_to_service_areas_derived.csv")
    assert len(rows) == 361

    mismatches = [
        (r["lad24cd"], r["lad24nm"], largest.get(r["lad24cd"], ("",))[0], r[column])
        for r in rows
        if largest.get(r["lad24cd"], ("",))[0] != r[column]
    ]

    assert mismatches == []


def test_parent_counties_match_the_derived_file(imported, current_by_gss):
    mismatches = []
    for row in derived("lad24_to_service_areas_derived.csv"):
        county = current_by_gss[row["lad24cd"]].parent_county
        if (county.gss_code if county else "") != row["cty_cd"]:
            mismatches.append((row["lad24nm"], county, row["cty_nm"]))

    assert mismatches == []


def test_councils_inside_a_combined_authority_area_list_it_as_an_overlapping_body(imported, current_by_gss):
    """A district inside a combined county authority (East Midlands, Devon and Torbay,
    Lancashire, Greater Lincolnshire) sits in it, even though its county is the member."""
    missing = []
    for row in derived("lad24_to_service_areas_derived.csv"):
        if row["cauth_cd"] and float(row["cauth_share"]) >= 0.5:
            council = current_by_gss[row["lad24cd"]]
            body_codes = set(council.overlaps.values_list("body__gss_code", flat=True))
            if row["cauth_cd"] not in body_codes:
                missing.append((council.code, row["cauth_nm"]))

    assert missing == []


# --- finding organisations -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cambridgeshire County Council",
        "cambridgeshire county",
        "CAMBRIDGESHIRE COUNTY COUNCIL",
        "Cambs CC",
        "CAM",
        "cam",
        "E10000003",
    ],
)
def test_cambridgeshire_is_found_by_any_name_or_code(imported, client, text):
    found = services.directory(services.DirectoryFilters(q=text))

    assert "CAM" in set(found.values_list("code", flat=True))
    assert "CAM" in {o["code"] for o in client.get("/api/v1/organisations", {"q": text}).json()["results"]}
    assert 'href="/organisations/CAM/"' in client.get("/organisations/", {"q": text}).content.decode()


def test_a_search_for_a_place_finds_every_body_named_after_it(imported):
    found = set(Organisation.objects.search("Cambridgeshire").values_list("code", flat=True))

    assert {"CAM", "SCA", "ECA", "CPCA"} <= found
    assert "CAB" not in found  # Cambridge is not Cambridgeshire
    assert "NFK" not in found


def test_directory_hides_abolished_councils_unless_asked(imported, client):
    assert not services.directory(services.DirectoryFilters(q="Allerdale")).exists()
    assert services.directory(services.DirectoryFilters(q="Allerdale", include_former=True)).get().code == "ALL"

    page = client.get("/organisations/", {"q": "Allerdale", "include_former": "on"}).content.decode()

    assert "Abolished 2023" in page


def test_api_detail_of_a_real_council(imported, client):
    body = client.get("/api/v1/organisations/CAB").json()

    assert body["name"] == "Cambridge"
    assert body["parent_county"] == {"code": "CAM", "name": "Cambridgeshire", "type": "CTY"}
    neighbours = {n["code"]: n["border_km"] for n in body["neighbours"]}
    assert set(neighbours) == {"SCA"}
    assert neighbours["SCA"] == pytest.approx(30, rel=0.25)
    overlapping = {o["type"] for o in body["overlapping_bodies"]}
    assert {"CTY", "COMB", "FRA", "PFA", "ICB"} <= overlapping


def test_api_responses_for_every_kind_of_body_match_the_openapi_document(imported, client):
    document = client.get("/api/v1/openapi.json").json()
    detail_schema = response_schema(document, "/api/v1/organisations/{code}", 200)
    sample = [Organisation.objects.filter(org_type=t).order_by("code").first() for t, _ in OrganisationType.choices]
    sample += list(Organisation.objects.filter(end_date__isnull=False).order_by("code")[:3])
    sample = [o for o in sample if o is not None]
    assert len(sample) >= 18

    for organisation in sample:
        body = client.get(f"/api/v1/organisations/{organisation.code}").json()
        assert errors(body, detail_schema, document) == [], organisation.code

    listing = client.get("/api/v1/organisations", {"page_size": 500, "include_former": "true"}).json()
    assert listing["count"] == Organisation.objects.count()
    assert errors(listing, response_schema(document, "/api/v1/organisations", 200), document) == []


def test_home_page_counts_the_real_register(imported, client):
    page = client.get("/").content.decode()

    assert "all 382 principal councils" in page


# --- places right ----------------------------------------------------------------


def test_every_centre_lies_inside_its_own_boundary(imported):
    import shapely
    from shapely.geometry import shape

    outside = []
    for boundary in Boundary.objects.select_related("organisation"):
        o = boundary.organisation
        if o.latitude is None:
            outside.append((o.code, "no centre"))
            continue
        area = shape(boundary.geojson)
        # The stored boundary is rounded to about 10 m: allow that much.
        if not area.buffer(1e-4).contains(shapely.Point(o.longitude, o.latitude)):
            outside.append((o.code, o.name))
    assert Boundary.objects.count() > 500
    assert outside == []


def test_every_english_council_is_in_the_region_of_the_ons_lookup(imported):
    import json

    with open(Path(settings.REFERENCE_DATA_DIR) / "register" / "ons_geo_metadata.json", encoding="utf-8") as handle:
        areas = json.load(handle)
    names = {a["areacd"]: a["areanm"] for a in areas.values()}
    expected = {a["areacd"]: names[p] for a in areas.values() for p in a.get("parents", []) if p.startswith("E12")}
    councils = Organisation.objects.current().principal_councils().filter(nation="England")
    wrong = [(o.name, o.region, expected[o.gss_code]) for o in councils if o.region != expected.get(o.gss_code)]
    assert councils.count() > 300
    assert wrong == []


def test_combined_authorities_carry_their_current_ons_names(imported):
    import json

    with open(
        Path(settings.REFERENCE_DATA_DIR) / "boundaries" / "CAUTH_MAY_2025_EN_BUC.json", encoding="utf-8"
    ) as handle:
        topology = json.load(handle)
    current = {
        g["properties"]["AREACD"]: g["properties"]["AREANM"]
        for collection in topology["objects"].values()
        for g in collection["geometries"]
    }
    names = dict(Organisation.objects.current().filter(gss_code__in=current).values_list("gss_code", "name"))
    assert names == current


def test_english_and_welsh_populations_are_census_2021_with_their_period(imported):
    with open(
        Path(settings.REFERENCE_DATA_DIR) / "indicators" / "census2021" / "census2021-ts007a-ltla.csv",
        encoding="utf-8-sig",
        newline="",
    ) as handle:
        census = {row["geography code"]: int(row["Age: Total"]) for row in csv.DictReader(handle)}
    councils = Organisation.objects.current().principal_councils().filter(nation__in=["England", "Wales"])
    for o in councils:
        assert "Census 2021" in o.population_source, o.name
        if o.gss_code in census:
            assert o.population == census[o.gss_code], o.name
    others = Organisation.objects.current().principal_councils().filter(nation__in=["Scotland", "Northern Ireland"])
    assert all("mid-2020" in o.population_source for o in others)


def test_every_scottish_council_is_in_exactly_one_nhs_board(imported):
    councils = Organisation.objects.current().filter(org_type=OrganisationType.SCOTTISH_COUNCIL)
    boards = Organisation.objects.current().filter(org_type=OrganisationType.NHS_BOARD)
    assert boards.count() == 14
    for council in councils:
        mine = Overlap.objects.filter(organisation=council, body__org_type=OrganisationType.NHS_BOARD)
        assert [o.share for o in mine] == [1.0], council.name
    # Each board's boundary is the union of its councils' and its population their sum.
    tayside = boards.get(name="NHS Tayside")
    members = Organisation.objects.filter(overlaps__body=tayside).order_by("name")
    assert [o.name for o in members] == ["Angus", "Dundee City", "Perth and Kinross"]
    assert tayside.population == sum(o.population for o in members)
    assert Boundary.objects.filter(organisation=tayside).exists()
    assert "Health Boards (Scotland) Order" in tayside.source
