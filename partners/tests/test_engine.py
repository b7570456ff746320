"""The partner finder's engine, on a fictional county and its neighbours: no database.

Testshire is a county council (TST) with three districts (North and South Testdale, East
Testshire). Testbury is a big unitary next door; Llantest is a Welsh council over the
border; Farshire (a district, FAR, in its county FCC) is far to the north; Scotton in
Scotland has only one indicator recorded; Nowhere has nothing recorded at all. A fire
authority and a combined authority are there too.
"""

from __future__ import annotations

import dataclasses
import math
import re
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners import engine
from partners.engine import (
    AREA_KINDS,
    DEFAULT_WEIGHTS,
    FACTORS,
    JOINABLE_PER_MATCH,
    ArrangementFact,
    IndicatorSpec,
    PoliticalControl,
    Query,
    SharedRecord,
    UnknownOrganisation,
    build_matching_data,
    distances_km,
    effective_weights,
    find_partners,
    service_facts,
    shared_history,
    similarity_scores,
)

# --- The fictional place set ------------------------------------------------------------------

TESTSHIRE = {"county": "TST", "fire": "TFR", "police": "TPO", "health": "TIC"}
ORGANISATIONS = [
    {
        "code": "TST",
        "name": "Testshire",
        "org_type": "CTY",
        "nation": "England",
        "lat": 52.10,
        "lon": -1.50,
        "population": 600_000,
        "areas": TESTSHIRE,
    },
    {
        "code": "NTD",
        "name": "North Testdale",
        "org_type": "NMD",
        "nation": "England",
        "lat": 52.30,
        "lon": -1.50,
        "population": 100_000,
        "areas": TESTSHIRE,
    },
    {
        "code": "STD",
        "name": "South Testdale",
        "org_type": "NMD",
        "nation": "England",
        "lat": 51.95,
        "lon": -1.55,
        "population": 110_000,
        "areas": TESTSHIRE | {"combined": "WTC"},
    },
    {
        "code": "ETS",
        "name": "East Testshire",
        "org_type": "NMD",
        "nation": "England",
        "lat": 52.10,
        "lon": -1.10,
        "population": 95_000,
        "areas": TESTSHIRE | {"health": "EIC"},
    },
    {
        "code": "TBY",
        "name": "Testbury",
        "org_type": "UA",
        "nation": "England",
        "lat": 52.05,
        "lon": -1.95,
        "population": 700_000,
        "areas": {"combined": "WTC", "fire": "TFR", "police": "TPO", "health": "TIC"},
    },
    {
        "code": "LLN",
        "name": "Llantest",
        "org_type": "WPA",
        "nation": "Wales",
        "lat": 52.00,
        "lon": -3.00,
        "population": 90_000,
        "areas": {"fire": "WFR", "police": "WPO", "health": "LHB"},
    },
    {
        "code": "FAR",
        "name": "Farshire Borough",
        "org_type": "NMD",
        "nation": "England",
        "lat": 55.00,
        "lon": -2.00,
        "population": 105_000,
        "areas": {"county": "FCC"},
    },
    {
        "code": "FCC",
        "name": "Farshire",
        "org_type": "CTY",
        "nation": "England",
        "lat": 55.10,
        "lon": -2.10,
        "population": 500_000,
        "areas": {"county": "FCC"},
    },
    {
        "code": "SCX",
        "name": "Scotton",
        "org_type": "SCO",
        "nation": "Scotland",
        "lat": 56.00,
        "lon": -3.50,
        "population": 100_000,
    },
    {"code": "NOL", "name": "Nowhere", "org_type": "UA", "nation": "England"},
    {
        "code": "TFR",
        "name": "Testshire Fire and Rescue",
        "org_type": "FRA",
        "nation": "England",
        "lat": 52.10,
        "lon": -1.50,
    },
    {"code": "WTC", "name": "West Testshire Combined Authority", "org_type": "COMB", "nation": "England"},
]
AREA_NAMES = {"TPO": "Testshire Police", "TIC": "Testshire ICB", "WPO": "Dyfed-Powys Police"}
INDICATORS = [
    IndicatorSpec("aged-65-and-over", "Residents aged 65 and over", "people", short="older residents"),
    IndicatorSpec("aged-under-15", "Residents aged under 15", "people"),
    IndicatorSpec("rural", "Residents in rural areas", "place", short="rural share"),
    IndicatorSpec("population-density", "Population density", "place", log=True),
    IndicatorSpec("deprivation-score", "Deprivation score", "deprivation"),
    IndicatorSpec("employment-rate", "Employment rate", "economy"),
]
KEYS = [s.key for s in INDICATORS]
VALUES = {
    code: dict(zip(KEYS, row, strict=True))
    for code, row in {
        "NTD": (26, 15, 62, 120, 12, 78),
        "STD": (25.5, 15.2, 60, 130, 12.5, 77.5),
        "ETS": (21, 17, 40, 300, 18, 75),
        "TBY": (14, 21, 3, 2500, 33, 68),
        "LLN": (27, 14, 70, 40, 20, 72),
        "FAR": (26, 15, 61.5, 125, 12.2, 78),
        "FCC": (22, 16.5, 45, 150, 16, 76),
        "TST": (23, 16, 48, 200, 15, 76),
    }.items()
} | {"SCX": {"rural": 62}}
BORDERS = [("NTD", "STD", 23.4), ("NTD", "ETS", 12.0), ("STD", "ETS", 8.0), ("STD", "TBY", 15.0), ("TBY", "LLN", 30.0)]
HISTORY = [
    ("NTD", "STD", SharedRecord("Building control", 2016, "live")),
    ("NTD", "ETS", SharedRecord("Revenues and benefits", 2012, "disaggregated", end_year=2019)),
    ("NTD", "TBY", SharedRecord("Waste collection", 2010, "ended", end_year=2019)),
    ("NTD", "LLN", SharedRecord("Procurement", 2024, "business_case")),
]
ARRANGEMENTS = [
    ArrangementFact(1, "Testdale Waste Partnership", ("STD", "ETS")),
    ArrangementFact(2, "Three Rivers Recycling", ("ETS", "TBY")),
    ArrangementFact(3, "Old Waste Compact", ("TBY", "FAR"), status="ended"),
    ArrangementFact(4, "North Testdale Waste", ("NTD", "STD")),
]
END_YEARS = {"NTD": 2026, "STD": 2027, "ETS": 2031, "TBY": 2026}
INTEREST = {"NTD": "We want to share waste collection from 2026", "STD": "Looking for a partner for waste collection"}
SOURCE = "Open Council Data"
CONTROL = {
    "NTD": PoliticalControl("Labour", "2025-05", SOURCE),
    "STD": PoliticalControl("Labour", "2025-05", SOURCE),
    "ETS": PoliticalControl("Conservative", "2025-05", SOURCE),
    "TBY": PoliticalControl("No overall control", "2025-05", SOURCE),
}
DISTRICT_UNITARY_TYPES = {"NMD", "UA", "MD", "LBO", "CC", "SCO", "WPA", "NID"}


@pytest.fixture(scope="module")
def data():
    return build_matching_data(ORGANISATIONS, INDICATORS, VALUES, BORDERS, HISTORY, AREA_NAMES)


def waste_query(organisation: str = "NTD", **changes) -> Query:
    query = Query(
        organisation,
        service_key="waste-collection",
        service_label="waste collection",
        tier_rule="district",
        arrangements=ARRANGEMENTS,
        contract_end_years=END_YEARS,
        interest=INTEREST,
        political_control=CONTROL,
        limit=None,
        year=2025,
    )
    return dataclasses.replace(query, **changes)


def by_code(result) -> dict:
    return {m.code: m for m in result.matches}


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def location(code: str) -> tuple[float, float]:
    org = next(o for o in ORGANISATIONS if o["code"] == code)
    return org["lat"], org["lon"]


# --- Who can be a candidate --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "tier_rule", "expected"),
    [
        # District services go to districts and unitaries (Welsh, Scottish councils are unitary).
        ("NTD", "district", {"STD", "ETS", "TBY", "LLN", "FAR", "SCX", "NOL"}),
        # County services go to counties and unitaries.
        ("TST", "county", {"FCC", "TBY", "LLN", "SCX", "NOL"}),
        # Not recorded: any principal council.
        ("NTD", "", {"TST", "STD", "ETS", "TBY", "LLN", "FAR", "FCC", "SCX", "NOL"}),
        # All: fire, police, NHS bodies and combined authorities too.
        ("NTD", "all", {"TST", "STD", "ETS", "TBY", "LLN", "FAR", "FCC", "SCX", "NOL", "TFR", "WTC"}),
    ],
)
def test_tier_rules(data, organisation, tier_rule, expected):
    result = find_partners(data, waste_query(organisation, tier_rule=tier_rule))
    assert set(by_code(result)) == expected
    assert result.candidates == len(expected)


def test_a_district_service_never_offers_a_county(data):
    codes = {m.code for m in find_partners(data, waste_query("STD")).matches}
    assert not codes & {"TST", "FCC"}
    assert {data.org_type[data.index[c]] for c in codes} <= DISTRICT_UNITARY_TYPES


def test_an_unknown_organisation_is_an_error(data):
    with pytest.raises(UnknownOrganisation):
        find_partners(data, waste_query("XXX"))


def test_an_unknown_tier_rule_is_an_error(data):
    with pytest.raises(ValueError, match="tier rule"):
        find_partners(data, waste_query(tier_rule="parish"))


# --- Filters -------------------------------------------------------------------------------------


def test_maximum_distance(data):
    result = find_partners(data, waste_query(max_distance_km=50))
    here = location("NTD")
    expected = {
        o["code"]
        for o in ORGANISATIONS
        if o.get("lat") is not None
        and o["code"] != "NTD"
        and o["org_type"] in DISTRICT_UNITARY_TYPES
        and haversine_km(*here, o["lat"], o["lon"]) <= 50
    }
    assert expected == {"STD", "ETS", "TBY"}  # the place set is what the test thinks it is
    assert set(by_code(result)) == expected  # and Nowhere (no location) is left out
    assert all(m.distance_km <= 50 for m in result.matches)


def test_the_distance_filter_needs_a_location(data):
    result = find_partners(data, waste_query("NOL", max_distance_km=50))
    assert result.notes == ("The distance filter was not applied: your location is not recorded.",)
    assert result.candidates == 7


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"nations": {"Wales"}}, {"LLN"}),
        ({"nations": {"Wales", "Scotland"}}, {"LLN", "SCX"}),
        ({"org_types": {"UA"}}, {"TBY", "NOL"}),
        ({"org_types": {"NMD"}, "nations": {"England"}}, {"STD", "ETS", "FAR"}),
        ({"nations": {"Atlantis"}}, set()),
    ],
)
def test_nation_and_type_filters(data, filters, expected):
    assert set(by_code(find_partners(data, waste_query(**filters)))) == expected


def test_limit_keeps_the_best(data):
    everyone = find_partners(data, waste_query())
    top3 = find_partners(data, waste_query(limit=3))
    assert [m.code for m in top3.matches] == [m.code for m in everyone.matches[:3]]
    assert top3.candidates == everyone.candidates
    assert find_partners(data, waste_query(limit=0)).matches == ()


# --- Each factor's reason ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "candidate", "factor", "reason"),
    [
        ("NTD", "STD", "border", "Shares a 23 km border"),
        ("NTD", "TBY", "border", "No shared border"),
        ("NTD", "STD", "areas", "In the same county (Testshire), fire, police and health areas"),
        ("NTD", "ETS", "areas", "In the same county (Testshire), fire and police areas"),
        ("NTD", "TBY", "areas", "In the same fire, police and health areas"),
        (
            "STD",
            "TBY",
            "areas",
            "In the same combined authority (West Testshire Combined Authority), fire, police and health areas",
        ),
        ("NTD", "LLN", "areas", "Not in the same county, fire, police or health area"),
        ("NTD", "STD", "track_record", "Already shares building control with you since 2016"),
        (
            "NTD",
            "ETS",
            "track_record",
            "A shared revenues and benefits service with you was taken back in-house (disaggregated, 2019)",
        ),
        ("NTD", "TBY", "track_record", "Shared waste collection with you from 2010 to 2019"),
        ("NTD", "LLN", "track_record", "Working with you towards sharing procurement (business case)"),
        ("NTD", "FAR", "track_record", "No shared arrangements on record"),
        (
            "NTD",
            "ETS",
            "joinable",
            "In 2 live arrangements for waste collection you could join: Testdale Waste Partnership and "
            "Three Rivers Recycling, 35 km from you",
        ),
        # South Testdale is also in North Testdale's own arrangement: not one to join.
        (
            "NTD",
            "STD",
            "joinable",
            "In a live arrangement for waste collection you could join: Testdale Waste Partnership, 39 km from you",
        ),
        ("NTD", "FAR", "joinable", "Not in a live arrangement for waste collection that you could join"),
        ("NTD", "STD", "timing", "Its waste collection contract ends in 2027, a year after yours"),
        ("NTD", "TBY", "timing", "Its waste collection contract ends in 2026, the same year as yours"),
        ("NTD", "ETS", "timing", "Its waste collection contract ends in 2031, 5 years after yours"),
        ("STD", "NTD", "timing", "Its waste collection contract ends in 2026, a year before yours"),
        ("NTD", "LLN", "timing", "No end date recorded for its waste collection contract"),
        (
            "NTD",
            "STD",
            "interest",
            "Posted on the matchmaking board for waste collection: “Looking for a partner for waste collection”",
        ),
        ("NTD", "ETS", "interest", "Has not posted on the matchmaking board for waste collection"),
        ("NTD", "STD", "political", f"Both under Labour control (recorded 2025-05, source: {SOURCE})"),
        (
            "NTD",
            "ETS",
            "political",
            f"Under Conservative control; you are under Labour control (recorded 2025-05, source: {SOURCE})",
        ),
        (
            "NTD",
            "TBY",
            "political",
            f"Under no overall control; you are under Labour control (recorded 2025-05, source: {SOURCE})",
        ),
        ("NTD", "LLN", "political", "Its political control is not recorded"),
    ],
)
def test_reasons(data, organisation, candidate, factor, reason):
    result = find_partners(data, waste_query(organisation, weights={"political": 1}))
    assert by_code(result)[candidate].factor(factor).reason == reason


def test_distance_reason_and_value(data):
    match = by_code(find_partners(data, waste_query()))["STD"]
    expected = haversine_km(*location("NTD"), *location("STD"))
    assert match.distance_km == pytest.approx(expected, rel=1e-9)
    factor = match.factor("distance")
    assert factor.reason == f"Centres are {expected:.0f} km apart"
    assert factor.value == pytest.approx(math.exp(-expected / 60))
    assert by_code(find_partners(data, waste_query()))["NOL"].factor("distance").reason == (
        "Distance not known: its location is not recorded"
    )


@given(st.floats(-60, 60), st.floats(-180, 180), st.floats(-60, 60), st.floats(-180, 180))
def test_distances_are_great_circle_distances(lat1, lon1, lat2, lon2):
    data = build_matching_data([{"code": "A", "lat": lat1, "lon": lon1}, {"code": "B", "lat": lat2, "lon": lon2}])
    assert distances_km(data, 0)[1] == pytest.approx(haversine_km(lat1, lon1, lat2, lon2), rel=1e-6, abs=1e-3)


def test_similarity_reason_names_what_is_alike(data):
    factor = by_code(find_partners(data, waste_query()))["STD"].factor("similarity")
    assert re.fullmatch(r"A very similar place \(\d\d% match\): alike on .+", factor.reason), factor.reason
    assert "older residents (both high)" in factor.reason
    assert "deprivation score (both low)" in factor.reason
    assert len(factor.details["alike"]) == 3
    assert factor.value >= 0.85
    assert set(factor.details["groups"]) == {"people", "place", "deprivation", "economy"}
    assert factor.details["compared"] == factor.details["available"] == 6


def test_a_different_place_is_not_called_similar(data):
    factor = by_code(find_partners(data, waste_query()))["TBY"].factor("similarity")
    assert factor.reason.startswith("Not a very similar place (")
    assert factor.value < 0.4
    assert "rural" in factor.details["different"]  # 3% rural against 62%


def test_missing_indicators_give_no_false_similarity(data):
    matches = by_code(find_partners(data, waste_query()))
    # Scotton is known on the rural share only (the same as North Testdale's): no claim
    # about anything else, and it cannot be a good match on one indicator of six.
    scotton = matches["SCX"].factor("similarity")
    assert scotton.reason.endswith("alike on rural share (both high) (compared on 1 of your 6 indicators)")
    assert scotton.value <= 1 / 6
    assert scotton.details["alike"] == ["rural"]
    # Nowhere has nothing recorded.
    nowhere = matches["NOL"].factor("similarity")
    assert nowhere.value == 0
    assert nowhere.reason == "Cannot compare: none of your indicators are recorded for it"


def test_factors_the_organisation_cannot_use_are_reported(data):
    result = find_partners(data, waste_query("NOL"))
    assert {n.key: n.reason for n in result.not_used} == {
        "distance": "Your location is not recorded.",
        "areas": "Your county, fire, police and health areas are not recorded.",
        "similarity": "None of your indicators are recorded.",
        "timing": "Your contract end date for waste collection is not recorded.",
    }
    assert set(result.weights) == {"border", "track_record", "joinable", "interest"}
    assert all({f.key for f in m.factors} == set(result.weights) for m in result.matches)


def test_no_posts_and_nothing_to_join(data):
    result = find_partners(data, waste_query(arrangements=(), interest={"NTD": "Looking"}))
    assert {n.key for n in result.not_used} == {"joinable", "interest"}
    assert result.joinable == () and result.joinable_count == 0


# --- Scores --------------------------------------------------------------------------------------


def test_score_is_the_weighted_mean_of_the_factors(data):
    for match in find_partners(data, waste_query(weights={"political": 0.5, "border": 3})).matches:
        weighted = sum(f.weight * f.value for f in match.factors) / sum(f.weight for f in match.factors)
        assert match.score == pytest.approx(weighted)
        assert 0 <= match.score <= 1


def test_the_neighbour_that_already_shares_comes_first(data):
    result = find_partners(data, waste_query())
    assert result.matches[0].code == "STD"
    assert [m.score for m in result.matches] == sorted((m.score for m in result.matches), reverse=True)


def test_border_value_grows_with_length(data):
    matches = by_code(find_partners(data, waste_query()))
    assert matches["STD"].factor("border").value == pytest.approx(0.3 + 0.7 * (1 - math.exp(-23.4 / 20)))
    assert matches["STD"].factor("border").value > matches["ETS"].factor("border").value > 0.3
    assert matches["TBY"].factor("border").value == 0


def test_track_record_disaggregation_counts_against(data):
    matches = by_code(find_partners(data, waste_query()))
    values = {code: matches[code].factor("track_record").value for code in ("STD", "ETS", "TBY", "FAR")}
    # Live > ended > nothing on record > taken back in-house.
    assert values["STD"] > values["TBY"] > values["FAR"] > values["ETS"]


def test_timing_is_high_within_two_years(data):
    matches = by_code(find_partners(data, waste_query()))
    assert matches["TBY"].factor("timing").value == 1
    assert matches["STD"].factor("timing").value == pytest.approx(0.9)
    assert matches["ETS"].factor("timing").value == pytest.approx(0.2)
    assert matches["LLN"].factor("timing").value == 0


def test_political_control_is_off_by_default(data):
    assert DEFAULT_WEIGHTS["political"] == 0
    result = find_partners(data, waste_query())
    assert "political" not in result.weights
    assert all(m.factor("political") is None for m in result.matches)
    on = by_code(find_partners(data, waste_query(weights={"political": 1})))
    assert on["STD"].factor("political").label == "Political control (recorded by users)"
    assert on["STD"].factor("political").value == 1
    assert on["ETS"].factor("political").value == 0
    assert on["STD"].factor("political").details == {"control": "Labour", "as_of": "2025-05", "source": SOURCE}


def test_ties_are_broken_by_code():
    twins = [{"code": code, "org_type": "NMD", "lat": 52.0, "lon": -1.0} for code in ("ZED", "ABE", "MID")]
    data = build_matching_data([{"code": "ME", "org_type": "NMD", "lat": 52.1, "lon": -1.0}, *twins])
    result = find_partners(data, Query("ME", tier_rule="district", limit=None))
    assert [m.code for m in result.matches] == ["ABE", "MID", "ZED"]
    assert len({m.score for m in result.matches}) == 1
    assert [m.code for m in find_partners(data, Query("ME", tier_rule="district", limit=2)).matches] == ["ABE", "MID"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"charm": 1}, "unknown factor 'charm'"), ({"border": -1}, "0 or more"), ({"border": math.nan}, "0 or more")],
)
def test_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        effective_weights(weights)


# --- Flags and the list of arrangements to join ---------------------------------------------------


def test_very_different_size_is_flagged_not_scored(data):
    matches = by_code(find_partners(data, waste_query()))
    assert [f.text for f in matches["TBY"].flags if f.key == "size"] == ["Very different size: 7 times your population"]
    assert not [f for f in matches["STD"].flags if f.key == "size"]
    assert not [f for f in matches["NOL"].flags if f.key == "size"]  # population unknown
    back = by_code(find_partners(data, waste_query("TBY")))
    assert [f.text for f in back["NTD"].flags if f.key == "size"] == [
        "Very different size: your population is 7 times its"
    ]


def test_mutual_interest_is_flagged(data):
    matches = by_code(find_partners(data, waste_query()))
    assert [f.text for f in matches["STD"].flags if f.key == "mutual-interest"] == [
        "Mutual interest: you have both posted on the matchmaking board for waste collection"
    ]
    assert matches["STD"].factor("interest").details["mutual"] is True
    assert not [f for f in matches["ETS"].flags if f.key == "mutual-interest"]
    # If North Testdale has not posted, South Testdale's post still counts, but it is not mutual.
    one_way = by_code(find_partners(data, waste_query(interest={"STD": "Looking"})))
    assert one_way["STD"].factor("interest").value == 1
    assert not [f for f in one_way["STD"].flags if f.key == "mutual-interest"]


def test_joinable_arrangements_are_listed_separately(data):
    result = find_partners(data, waste_query())
    # Not the ended one, not North Testdale's own.
    assert [a.title for a in result.joinable] == ["Testdale Waste Partnership", "Three Rivers Recycling"]
    assert result.joinable_count == 2
    assert result.joinable[0].member_names == ("South Testdale", "East Testshire")
    assert [a.id for a in by_code(result)["ETS"].joinable] == [1, 2]
    # Listed even when the factor is switched off.
    assert len(find_partners(data, waste_query(weights={"joinable": 0})).joinable) == 2


def test_a_match_lists_its_first_joinable_arrangements_and_counts_them_all(data):
    many = [ArrangementFact(100 + n, f"Waste partnership {n:02d}", ("ETS", "TBY")) for n in range(12)]
    result = find_partners(data, waste_query(arrangements=(*ARRANGEMENTS, *many)))
    ets = by_code(result)["ETS"]
    assert ets.joinable_count == 14 and ets.joinable_more == 14 - JOINABLE_PER_MATCH
    assert [a.title for a in ets.joinable] == [
        "Testdale Waste Partnership",
        "Three Rivers Recycling",
        "Waste partnership 00",
        "Waste partnership 01",
        "Waste partnership 02",
    ]
    assert ets.factor("joinable").reason.startswith(
        "In 14 live arrangements for waste collection you could join: Testdale Waste Partnership, "
        "Three Rivers Recycling and 12 more"
    )
    assert result.joinable_count == 14  # the organisation's own list still counts them all


def test_prepared_facts_give_the_same_answer(data):
    facts = service_facts(data, ARRANGEMENTS, END_YEARS, INTEREST, CONTROL)
    prepared = Query(
        "NTD",
        service_label="waste collection",
        tier_rule="district",
        facts=facts,
        limit=None,
        year=2025,
        weights={"political": 1},
    )
    assert find_partners(data, prepared) == find_partners(data, waste_query(weights={"political": 1}))
    with pytest.raises(ValueError, match="not both"):
        find_partners(data, dataclasses.replace(prepared, interest=INTEREST))


def test_shared_history_pairs_every_member():
    pairs = shared_history([(("A", "B", "C", "B"), SharedRecord("ICT", 2020, "live"))])
    assert [(a, b) for a, b, _ in pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    assert {r.members for _, _, r in pairs} == {3}


# --- Similarity against a plain implementation of its definition ----------------------------------


def reference_similarity(raw: np.ndarray, groups: list[str], i: int) -> np.ndarray:
    """The documented method, the slow way: z-scores ignoring missing values; each
    indicator weighs 1 / (indicators in its group); weighted mean squared gap over the
    indicators both have; exp(-D²/2) times the share of i's indicators the other has."""
    z = (raw - np.nanmean(raw, axis=0)) / np.nanstd(raw, axis=0)
    size = {g: groups.count(g) for g in groups}
    w = np.array([1 / size[g] for g in groups])
    out = np.zeros(len(raw))
    mine = ~np.isnan(z[i])
    for c in range(len(raw)):
        both = mine & ~np.isnan(z[c])
        if both.any():
            d2 = (w[both] * (z[c, both] - z[i, both]) ** 2).sum() / w[both].sum()
            out[c] = math.exp(-d2 / 2) * both.sum() / mine.sum()
    return out


cell = st.one_of(st.none(), st.floats(-50, 50, allow_subnormal=False).map(lambda v: round(v, 3)))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(3, 12).flatmap(lambda n: st.lists(st.lists(cell, min_size=5, max_size=5), min_size=n, max_size=n)),
    st.data(),
)
def test_similarity_matches_its_definition(rows, draw):
    groups = ["people", "people", "place", "economy", "economy"]
    specs = [IndicatorSpec(f"k{j}", f"Indicator {j}", g) for j, g in enumerate(groups)]
    raw = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    # Columns that do not vary (or have fewer than two values) are left out, by definition.
    known = ~np.isnan(raw)
    useful = np.array([known[:, c].sum() >= 2 and np.nanstd(raw[:, c]) > 1e-9 for c in range(raw.shape[1])])
    if not useful.any():
        return
    data = build_matching_data([{"code": f"O{n}"} for n in range(len(rows))], specs, raw)
    i = draw.draw(st.integers(0, len(rows) - 1))
    expected = reference_similarity(raw[:, useful], [g for g, u in zip(groups, useful, strict=True) if u], i)
    assert similarity_scores(data, i) == pytest.approx(expected, abs=2e-5)
    # Worked in slices on several threads (any slice size), the answer is the same.
    with mock.patch.object(engine, "SIMILARITY_SLICE_MIN", 1):
        for threads in (2, 3, len(rows) + 5):
            assert similarity_scores(data, i, threads=threads) == pytest.approx(expected, abs=2e-5)


def test_similarity_of_an_organisation_with_itself_is_full(data):
    scores = similarity_scores(data, "NTD")
    assert scores[data.index["NTD"]] == pytest.approx(1, abs=1e-5)
    assert scores[data.index["NOL"]] == 0
    assert similarity_scores(data, "NOL").max() == 0


# --- Properties ----------------------------------------------------------------------------------

N_MAX = 8
TYPES = ["CTY", "NMD", "UA", "MD", "WPA", "SCO", "FRA", "COMB"]
STATUSES = ["live", "ended", "disaggregated", "business_case", "under_review", "idea"]
# Which inputs each factor reads: changing them must not matter when its weight is 0.
FACTOR_INPUTS = {
    "border": "borders",
    "distance": "locations",
    "areas": "areas",
    "similarity": "values",
    "track_record": "history",
    "joinable": "arrangements",
    "timing": "contract_end_years",
    "interest": "interest",
    "political": "political_control",
}


def components(n: int):
    codes = st.sampled_from([f"O{i}" for i in range(n)])
    location = st.one_of(st.none(), st.tuples(st.floats(49, 60), st.floats(-8, 2)))
    record = st.builds(
        SharedRecord,
        st.sampled_from(["ICT", "Waste", "Legal services"]),
        st.none() | st.integers(1995, 2025),
        st.sampled_from(STATUSES),
        st.none() | st.integers(1995, 2025),
    )
    return st.fixed_dictionaries(
        {
            "locations": st.lists(location, min_size=n, max_size=n),
            "populations": st.lists(st.none() | st.floats(1e3, 1e7), min_size=n, max_size=n),
            "areas": st.lists(
                st.fixed_dictionaries({k: st.sampled_from(["", "X", "Y"]) for k in AREA_KINDS}), min_size=n, max_size=n
            ),
            "values": st.lists(st.lists(cell, min_size=len(KEYS), max_size=len(KEYS)), min_size=n, max_size=n),
            "borders": st.lists(st.tuples(codes, codes, st.floats(0, 80)), max_size=2 * n),
            "history": st.lists(st.tuples(codes, codes, record), max_size=n),
            "arrangements": st.lists(
                st.builds(
                    ArrangementFact,
                    st.integers(1, 99),
                    st.just("Arrangement"),
                    st.lists(codes, min_size=1, max_size=3).map(tuple),
                    st.sampled_from(["live", "ended", "expanded"]),
                ),
                max_size=4,
            ),
            "contract_end_years": st.dictionaries(codes, st.integers(2024, 2034), max_size=n),
            "interest": st.dictionaries(codes, st.just("Looking"), max_size=n),
            "political_control": st.dictionaries(
                codes,
                st.sampled_from(["Labour", "Conservative", "No overall control"]).map(
                    lambda c: PoliticalControl(c, "2025-05", "users")
                ),
                max_size=n,
            ),
        }
    )


@st.composite
def worlds(draw, twin: bool = False):
    """A random place set: types and nations, and every input the factors read. With
    `twin`, a second, independent draw of those inputs for the same organisations."""
    n = draw(st.integers(2, N_MAX))
    base = {
        "types": draw(st.lists(st.sampled_from(TYPES), min_size=n, max_size=n)),
        "nations": draw(st.lists(st.sampled_from(["England", "Wales", "Scotland"]), min_size=n, max_size=n)),
    }
    first = base | draw(components(n))
    if not twin:
        return first
    return first, base | draw(components(n))


def build(world):
    organisations = [
        {
            "code": f"O{i}",
            "name": f"Organisation {i}",
            "org_type": world["types"][i],
            "nation": world["nations"][i],
            "lat": loc[0] if loc else None,
            "lon": loc[1] if loc else None,
            "population": world["populations"][i],
            "areas": world["areas"][i],
        }
        for i, loc in enumerate(world["locations"])
    ]
    values = np.array([[np.nan if v is None else v for v in row] for row in world["values"]], dtype=float)
    return build_matching_data(organisations, INDICATORS, values, world["borders"], world["history"])


def query_for(world, organisation: str, tier_rule: str, weights: dict) -> Query:
    return Query(
        organisation,
        service_label="waste",
        tier_rule=tier_rule,
        weights=weights,
        limit=None,
        year=2025,
        arrangements=world["arrangements"],
        contract_end_years=world["contract_end_years"],
        interest=world["interest"],
        political_control=world["political_control"],
    )


def ranking(result) -> list[tuple[str, float]]:
    return [(m.code, m.score) for m in result.matches]


weights_strategy = st.fixed_dictionaries({k: st.sampled_from([0, 0.5, 1, 2, 5]) for k in FACTORS})
tier_rules = st.sampled_from(["district", "county", "all", ""])
PROPERTY = settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(worlds(), st.data(), tier_rules, weights_strategy)
def test_an_organisation_is_never_its_own_candidate(world, draw, tier_rule, weights):
    data = build(world)
    code = draw.draw(st.sampled_from(data.codes))
    result = find_partners(data, query_for(world, code, tier_rule, weights))
    assert code not in {m.code for m in result.matches}
    for match in result.matches:
        assert 0 <= match.score <= 1
        assert all(0 <= f.value <= 1 and f.reason for f in match.factors)


@PROPERTY
@given(worlds(twin=True), st.data(), tier_rules, weights_strategy, st.sampled_from(FACTORS))
def test_a_factor_with_weight_zero_does_not_change_the_ranking(twins, draw, tier_rule, weights, factor):
    first, second = twins
    # The same place set, except for everything the switched-off factor reads.
    changed = first | {FACTOR_INPUTS[factor]: second[FACTOR_INPUTS[factor]]}
    # Every factor that reads the changed input is switched off: the joinable factor
    # reads the locations too (an arrangement is worth less the further its member is).
    weights = weights | {f: 0 for f, source in FACTOR_INPUTS.items() if source == FACTOR_INPUTS[factor]}
    if factor == "distance":
        weights["joinable"] = 0
    code = draw.draw(st.sampled_from([f"O{i}" for i in range(len(first["types"]))]))
    before = find_partners(build(first), query_for(first, code, tier_rule, weights))
    after = find_partners(build(changed), query_for(changed, code, tier_rule, weights))
    assert ranking(after) == ranking(before)


@PROPERTY
@given(worlds(twin=True), st.data(), tier_rules, weights_strategy)
def test_size_is_flagged_never_scored(twins, draw, tier_rule, weights):
    first, second = twins
    changed = first | {"populations": second["populations"]}
    code = draw.draw(st.sampled_from([f"O{i}" for i in range(len(first["types"]))]))
    before = find_partners(build(first), query_for(first, code, tier_rule, weights))
    after = find_partners(build(changed), query_for(changed, code, tier_rule, weights))
    assert ranking(after) == ranking(before)


@PROPERTY
@given(worlds(), st.data(), tier_rules, weights_strategy, st.floats(0, 100))
def test_adding_a_shared_border_never_lowers_a_score(world, draw, tier_rule, weights, km):
    codes = [f"O{i}" for i in range(len(world["types"]))]
    a, b = draw.draw(st.lists(st.sampled_from(codes), min_size=2, max_size=2, unique=True))
    code = draw.draw(st.sampled_from(codes))
    with_border = world | {"borders": [*world["borders"], (a, b, km)]}
    before = dict(ranking(find_partners(build(world), query_for(world, code, tier_rule, weights))))
    after = dict(ranking(find_partners(build(with_border), query_for(with_border, code, tier_rule, weights))))
    assert after.keys() == before.keys()
    assert all(after[c] >= before[c] for c in before)


@PROPERTY
@given(worlds(), st.data(), tier_rules, weights_strategy)
def test_scores_are_deterministic(world, draw, tier_rule, weights):
    code = draw.draw(st.sampled_from([f"O{i}" for i in range(len(world["types"]))]))
    query = query_for(world, code, tier_rule, weights)
    data = build(world)
    first = find_partners(data, query)
    assert find_partners(data, query) == first  # the same data, again
    assert find_partners(build(world), query) == first  # rebuilt from the same inputs
    # And the order is the documented one: score descending, then code.
    assert ranking(first) == sorted(ranking(first), key=lambda cs: (-cs[1], cs[0]))


@PROPERTY
@given(worlds(), st.data())
def test_reasons_never_claim_similarity_on_missing_indicators(world, draw):
    data = build(world)
    code = draw.draw(st.sampled_from(data.codes))
    i = data.index[code]
    for match in find_partners(data, query_for(world, code, "all", {})).matches:
        factor = match.factor("similarity")
        if factor is None:
            continue
        j = data.index[match.code]
        column = {s.key: c for c, s in enumerate(data.indicators)}  # the engine orders columns by group
        for key in factor.details.get("alike", []):
            assert not np.isnan(data.values[i, column[key]]) and not np.isnan(data.values[j, column[key]])
        for spec in INDICATORS:
            if spec.words in factor.reason:
                assert not np.isnan(data.values[j, column[spec.key]]), (
                    f"{factor.reason!r} names {spec.words}, which {match.code} lacks"
                )


def test_a_record_inherited_from_an_abolished_council_says_so():
    inherited = ("STD", "TBY", SharedRecord("ICT", 2018, "live", through=("Old Testdale District Council",)))
    data = build_matching_data(ORGANISATIONS, INDICATORS, VALUES, BORDERS, [*HISTORY, inherited], AREA_NAMES)
    for organisation, candidate in (("STD", "TBY"), ("TBY", "STD")):
        match = by_code(find_partners(data, waste_query(organisation)))[candidate]
        assert match.factor("track_record").reason == (
            "Already shares ICT with you since 2018 (through Old Testdale District Council, since replaced)"
        )


def test_an_area_can_have_its_own_word_for_its_kind():
    data = build_matching_data(
        ORGANISATIONS,
        INDICATORS,
        VALUES,
        BORDERS,
        HISTORY,
        {**AREA_NAMES, "WTC": "West Testshire"},
        area_words={"WTC": "strategic authority"},
    )
    match = by_code(find_partners(data, waste_query("STD")))["TBY"]
    assert match.factor("areas").reason == (
        "In the same strategic authority (West Testshire), fire, police and health areas"
    )


def test_only_the_inherited_record_names_the_council_it_came_through():
    inherited = (
        "NTD",
        "STD",
        SharedRecord("Audit", 2005, "disaggregated", end_year=2009, through=("Old Testdale District Council",)),
    )
    data = build_matching_data(ORGANISATIONS, INDICATORS, VALUES, BORDERS, [*HISTORY, inherited], AREA_NAMES)
    match = by_code(find_partners(data, waste_query()))["STD"]
    assert match.factor("track_record").reason == (
        "Already shares building control with you since 2016; a shared audit service with you was taken back "
        "in-house (disaggregated, 2009) (through Old Testdale District Council, since replaced)"
    )


# --- The service matters, reach, other sectors ----------------------------------------------


def _pair_world(records=(), coverage=(), extra=()):
    organisations = [
        {
            "code": "HOM",
            "name": "Homeshire",
            "org_type": "UA",
            "nation": "England",
            "lat": 52.0,
            "lon": -1.0,
            "areas": {"fire": "FIR"},
        },
        {"code": "NXT", "name": "Nextdale", "org_type": "UA", "nation": "England", "lat": 52.1, "lon": -1.1},
        {"code": "OTH", "name": "Otherby", "org_type": "UA", "nation": "England", "lat": 52.1, "lon": -0.9},
        {"code": "FAR", "name": "Farland", "org_type": "UA", "nation": "England", "lat": 56.0, "lon": -4.0},
        {"code": "FIR", "name": "Homeshire Fire", "org_type": "FRA", "nation": "England", "lat": 52.05, "lon": -1.0},
        {"code": "POL", "name": "Wide Police", "org_type": "PFA", "nation": "England", "lat": 52.5, "lon": -1.5},
        *extra,
    ]
    return build_matching_data(organisations, history=records, coverage=coverage)


def test_track_record_for_the_service_asked_for_counts_more():
    hr = SharedRecord("human resources", 2015, "live", keys=("category:hr",))
    legal = SharedRecord("legal services", 2015, "live", keys=("category:legal",))
    data = _pair_world([("HOM", "NXT", hr), ("HOM", "OTH", legal)])

    def ranking(category):
        result = find_partners(data, Query("HOM", service_key=category, category_key=category, limit=None))
        return [m.code for m in result.matches]

    assert ranking("category:hr")[0] == "NXT"
    assert ranking("category:legal")[0] == "OTH"
    result = find_partners(data, Query("HOM", "category:finance", "finance", category_key="category:finance"))
    reason = next(m for m in result.matches if m.code == "NXT").factor("track_record").reason
    assert reason == "Already shares human resources with you since 2015; nothing on record for finance"


def test_one_lgsl_service_counts_its_own_record_above_its_category():
    same = SharedRecord("household waste collection", 2015, "live", keys=("lgsl:524", "category:environment-waste"))
    category = SharedRecord("street cleaning", 2015, "live", keys=("lgsl:580", "category:environment-waste"))
    records = [("HOM", "NXT", same), ("HOM", "OTH", category)]
    query = Query("HOM", "lgsl:524", category_key="category:environment-waste", limit=None)
    values = {m.code: m.factor("track_record").value for m in find_partners(_pair_world(records), query).matches}
    assert values["NXT"] > values["OTH"] > engine.TRACK_RECORD_NEUTRAL


def test_a_joinable_arrangement_far_away_counts_little_unless_a_trading_provider_is_included():
    near = ArrangementFact(1, "Near partnership", ("NXT", "OTH"))
    far = ArrangementFact(2, "Far legal practice", ("FAR",), trading=True)
    data = _pair_world()
    result = find_partners(data, Query("HOM", arrangements=[near, far], limit=None))
    value = {m.code: m.factor("joinable").value for m in result.matches}
    assert value["NXT"] > 0.5 and value["FAR"] < 0.001
    assert {a.title: round(a.distance_km) for a in result.joinable} == {
        "Near partnership": 13,
        "Far legal practice": 486,
    }
    far_match = next(m for m in result.matches if m.code == "FAR")
    assert far_match.factor("joinable").reason.endswith("Far legal practice, 486 km from you")
    included = find_partners(data, Query("HOM", arrangements=[near, far], limit=None, include_trading=True))
    assert next(m for m in included.matches if m.code == "FAR").factor("joinable").value == pytest.approx(0.8)


def test_other_sectors_are_candidates_only_when_the_service_allows_them():
    data = _pair_world(coverage=[("HOM", "FIR", 1.0), ("HOM", "POL", 0.4)])
    assert {m.code for m in find_partners(data, Query("HOM", limit=None)).matches} == {"NXT", "OTH", "FAR"}
    result = find_partners(data, Query("HOM", other_types=("FRA", "PFA"), limit=None))
    assert {"FIR", "POL"} <= {m.code for m in result.matches}


def test_a_body_is_scored_on_how_much_of_the_council_it_covers():
    data = _pair_world(coverage=[("HOM", "FIR", 1.0), ("HOM", "POL", 0.4)])
    result = find_partners(data, Query("HOM", other_types=("FRA", "PFA"), limit=None, org_types=("FRA", "PFA")))
    fire, police = result.matches
    assert (fire.code, police.code) == ("FIR", "POL")
    assert fire.factor("border").reason == "Covers all of Homeshire"
    assert fire.factor("areas").reason == "Covers all of Homeshire: your fire and rescue authority"
    assert police.factor("border").reason == "Covers part of Homeshire (40% of its area)"
    assert police.factor("border").value == pytest.approx(0.4)


def test_an_indicator_group_with_weight_zero_is_as_if_it_were_not_there():
    rng = np.random.default_rng(3)
    specs = [IndicatorSpec(f"k{c}", f"K{c}", group) for c, group in enumerate(["people", "people", "place", "economy"])]
    organisations = [{"code": f"O{i}", "name": f"O{i}", "org_type": "UA"} for i in range(30)]
    values = rng.normal(size=(30, 4))
    full = build_matching_data(organisations, specs, values)
    without_place = build_matching_data(organisations, [s for s in specs if s.group != "place"], values[:, [0, 1, 3]])
    for i in (0, 7, 29):
        np.testing.assert_allclose(
            similarity_scores(full, i, group_weights={"place": 0}), similarity_scores(without_place, i), rtol=1e-5
        )
    # Counting a group twice is not the same as once, and weights of 1 change nothing.
    assert not np.allclose(similarity_scores(full, 0, group_weights={"place": 2}), similarity_scores(full, 0))
    np.testing.assert_array_equal(similarity_scores(full, 0, group_weights={"place": 1}), similarity_scores(full, 0))
    with pytest.raises(ValueError, match="indicator group"):
        similarity_scores(full, 0, group_weights={"place": -1})


def test_a_body_without_an_area_is_offered_only_where_it_serves_or_its_board_covers():
    extra = [
        {"code": "ICB", "name": "Homeshire ICB", "org_type": "ICB", "lat": 52.0, "lon": -1.0},
        {"code": "TRS", "name": "Served Trust", "org_type": "NHST", "arealess": True, "lat": 52.0, "lon": -1.0},
        {"code": "BRD", "name": "Board Trust", "org_type": "NHST", "arealess": True, "lat": 52.0, "lon": -1.0},
        {"code": "NOB", "name": "Nobody Trust", "org_type": "NHST", "arealess": True, "lat": 52.0, "lon": -1.0},
    ]
    organisations = build_matching_data(
        [
            {"code": "HOM", "name": "Homeshire", "org_type": "UA", "lat": 52.0, "lon": -1.0},
            {"code": "NXT", "name": "Nextdale", "org_type": "UA", "lat": 52.1, "lon": -1.1},
            *extra,
        ],
        coverage=[("HOM", "ICB", 0.6)],
        served=[("HOM", "TRS", "an editor of Served Trust")],
        through={"BRD": "ICB", "TRS": "ICB"},
    )
    query = Query("HOM", other_types=("ICB", "NHST"), org_types=("ICB", "NHST"), limit=None)
    result = find_partners(organisations, query)
    by = {m.code: m for m in result.matches}
    assert set(by) == {"ICB", "TRS", "BRD"}
    assert by["TRS"].factor("border").reason == "Serves Homeshire (recorded by an editor of Served Trust)"
    assert by["TRS"].factor("border").value == pytest.approx(1.0)
    assert by["BRD"].factor("border").reason == "Its ICB (Homeshire ICB) covers most of Homeshire (60% of its area)"
    assert by["BRD"].factor("border").value == pytest.approx(0.6)
    assert by["TRS"].score > by["BRD"].score
    assert not find_partners(organisations, Query("NXT", other_types=("NHST",), org_types=("NHST",))).matches
