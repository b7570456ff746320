"""Boundary geometry, tested without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box, shape

from organisations import geometry
from organisations.geometry import Feature

# One degree of longitude along the equator on the WGS84 ellipsoid (6378.137 km × π/180).
EQUATOR_KM_PER_DEGREE = 111.3195
# One degree of latitude along a meridian: 110.574 km at the equator, 111.694 km at the poles.
MERIDIAN_KM_PER_DEGREE = (110.57, 111.70)


def square(code: str, west: float, south: float, size: float = 1.0) -> Feature:
    return Feature(code, code, box(west, south, west + size, south + size))


# --- TopoJSON ------------------------------------------------------------------


def two_squares_topology(transform: dict | None = None, arcs: list | None = None) -> dict:
    """North square [0,1]×[1,2] and south square [0,1]×[0,1] sharing the arc y = 1."""
    topology = {
        "type": "Topology",
        "arcs": arcs
        or [
            [[0, 1], [1, 1]],  # 0: the shared border
            [[1, 1], [1, 2], [0, 2], [0, 1]],  # 1: the rest of the north square
            [[0, 1], [0, 0], [1, 0], [1, 1]],  # 2: the rest of the south square
        ],
        "objects": {
            "areas": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"AREACD": "N1", "AREANM": "North"}},
                    {"type": "Polygon", "arcs": [[~0, 2]], "properties": {"AREACD": "S1", "AREANM": "South"}},
                    {"type": None, "properties": {"AREACD": "X1", "AREANM": "No shape"}},
                ],
            }
        },
    }
    if transform:
        topology["transform"] = transform
    return topology


def test_topojson_decodes_features_with_codes_names_and_shared_arcs():
    features = geometry.features_from_topojson(two_squares_topology())

    assert [(f.code, f.name) for f in features] == [("N1", "North"), ("S1", "South")]
    north, south = (f.geometry for f in features)
    assert north.bounds == (0.0, 1.0, 1.0, 2.0)
    assert south.bounds == (0.0, 0.0, 1.0, 1.0)
    assert north.area == pytest.approx(1.0)
    assert south.area == pytest.approx(1.0)
    assert north.is_valid and south.is_valid


def test_topojson_quantized_arcs_are_delta_decoded_and_scaled():
    # The same shapes quantized on a grid of 0.5 with an offset, arcs delta-encoded.
    quantized = [
        [[0, 2], [2, 0]],
        [[2, 2], [0, 2], [-2, 0], [0, -2]],
        [[0, 2], [0, -2], [2, 0], [0, 2]],
    ]
    topology = two_squares_topology({"scale": [0.5, 0.5], "translate": [10.0, 50.0]}, quantized)

    north, south = (f.geometry for f in geometry.features_from_topojson(topology))

    assert north.bounds == (10.0, 51.0, 11.0, 52.0)
    assert south.bounds == (10.0, 50.0, 11.0, 51.0)


def test_topojson_multipolygon_and_collapsed_islands():
    topology = {
        "arcs": [
            [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
            [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]],
            [[9, 9], [9, 9]],  # an island quantized away to two points
        ],
        "objects": {
            "areas": {
                "geometries": [
                    {
                        "type": "MultiPolygon",
                        "arcs": [[[0]], [[1]], [[2]]],
                        "properties": {"AREACD": "M1", "AREANM": "Two islands"},
                    },
                    {"type": "Polygon", "arcs": [[2]], "properties": {"AREACD": "Z1", "AREANM": "Nothing left"}},
                ]
            }
        },
    }

    [feature] = geometry.features_from_topojson(topology)

    assert feature.code == "M1"
    assert isinstance(feature.geometry, MultiPolygon)
    assert len(feature.geometry.geoms) == 2
    assert feature.geometry.area == pytest.approx(2.0)


def test_topojson_other_property_names():
    topology = two_squares_topology()
    for obj in topology["objects"]["areas"]["geometries"]:
        obj["properties"] = {"CODE": obj["properties"]["AREACD"], "NAME": obj["properties"]["AREANM"]}

    features = geometry.features_from_topojson(topology, code_field="CODE", name_field="NAME")

    assert [f.code for f in features] == ["N1", "S1"]


# --- shared borders ----------------------------------------------------------


def test_squares_sharing_an_edge_on_the_equator():
    [(a, b, km)] = geometry.shared_borders([square("A", 0, 0), square("B", 0, -1)])

    assert (a, b) == ("A", "B")
    assert km == pytest.approx(EQUATOR_KM_PER_DEGREE, rel=1e-4)


@pytest.mark.parametrize(
    "other, expected_pairs",
    [
        pytest.param(square("B", 1, 1), [], id="corner only: no border"),
        pytest.param(square("B", 3, 3), [], id="apart"),
        pytest.param(square("B", 1, 0), [("A", "B")], id="side by side"),
        pytest.param(square("B", 1, 0.5), [("A", "B")], id="half an edge"),
    ],
)
def test_which_squares_share_a_border(other, expected_pairs):
    pairs = geometry.shared_borders([square("A", 0, 0), other])

    assert [(a, b) for a, b, _km in pairs] == expected_pairs


def test_half_an_edge_is_half_the_length():
    [(_, _, whole)] = geometry.shared_borders([square("A", 0, 0), square("B", 1, 0)])
    [(_, _, half)] = geometry.shared_borders([square("A", 0, 0), square("B", 1, 0.5)])

    assert half == pytest.approx(whole / 2, rel=0.01)


def test_min_km_drops_short_borders_and_progress_is_reported():
    features = [square("A", 0, 0), square("B", 1, 0), square("C", 0, 1, size=0.01)]
    calls = []

    pairs = geometry.shared_borders(features, progress=lambda done, total: calls.append((done, total)), min_km=5.0)

    assert [(a, b) for a, b, _ in pairs] == [("A", "B")]  # C's 1 km border with A is below 5 km
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_a_row_of_squares_borders_only_its_neighbours():
    row = [square(f"S{i}", i, 50) for i in range(5)]

    pairs = {(a, b) for a, b, _ in geometry.shared_borders(row)}

    assert pairs == {("S0", "S1"), ("S1", "S2"), ("S2", "S3"), ("S3", "S4")}


latitudes = st.floats(min_value=-70, max_value=70, allow_nan=False)
longitudes = st.floats(min_value=-170, max_value=170, allow_nan=False)
sizes = st.floats(min_value=0.01, max_value=2.0, allow_nan=False)


@given(west=longitudes, south=latitudes, size=sizes)
def test_shared_borders_is_symmetric(west, south, size):
    a, b = square("A", west, south, size), square("B", west + size, south, size)

    [(a1, b1, km1)] = geometry.shared_borders([a, b])
    [(b2, a2, km2)] = geometry.shared_borders([b, a])

    assert {a1, b1} == {a2, b2} == {"A", "B"}
    assert km1 == pytest.approx(km2, rel=1e-9)


@given(west=longitudes, south=latitudes, size=sizes)
def test_a_shared_meridian_edge_is_its_length_in_km(west, south, size):
    """Two squares side by side share an edge of `size` degrees of latitude."""
    [(_, _, km)] = geometry.shared_borders([square("A", west, south, size), square("B", west + size, south, size)])

    low, high = MERIDIAN_KM_PER_DEGREE
    assert low * size <= km <= high * size


@given(west=longitudes, size=sizes)
def test_a_shared_equator_edge_is_its_length_in_km(west, size):
    [(_, _, km)] = geometry.shared_borders([square("A", west, 0, size), square("B", west, -size, size)])

    assert km == pytest.approx(EQUATOR_KM_PER_DEGREE * size, rel=1e-4)


# --- overlaps, area, centroid ----------------------------------------------------


def test_overlaps_give_the_share_of_the_inner_area():
    council = square("C", 0, 0)
    bodies = [
        Feature("HALF", "half", box(0.5, -1, 3, 3)),
        Feature("ALL", "all", box(-1, -1, 2, 2)),
        Feature("SLIVER", "sliver", box(0.98, 0, 3, 1)),  # 2% of the council: an artefact
        Feature("EDGE", "edge", box(1, 0, 2, 1)),  # touches only
        Feature("FAR", "far", box(10, 10, 11, 11)),
    ]

    result = {(c, b): share for c, b, share in geometry.overlaps([council], bodies)}

    assert set(result) == {("C", "HALF"), ("C", "ALL")}
    assert result[("C", "HALF")] == pytest.approx(0.5)
    assert result[("C", "ALL")] == pytest.approx(1.0)


def test_overlaps_min_share_is_adjustable():
    council = square("C", 0, 0)
    sliver = Feature("SLIVER", "sliver", box(0.98, 0, 3, 1))

    assert geometry.overlaps([council], [sliver], min_share=0.01)[0][2] == pytest.approx(0.02)


@pytest.mark.parametrize(
    "south, expected_km2",
    [
        (0, 12_309),  # 111.32 km × 110.57 km
        (60, 6_110),  # about 111.41 km × 111.32 km × cos 60.5°
    ],
)
def test_area_of_a_one_degree_square(south, expected_km2):
    assert geometry.area_km2(square("A", 0, south).geometry) == pytest.approx(expected_km2, rel=0.01)


def test_area_is_positive_whatever_the_ring_orientation():
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    anticlockwise = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])

    assert geometry.area_km2(clockwise) > 0
    assert geometry.area_km2(clockwise) == pytest.approx(geometry.area_km2(anticlockwise))


def test_length_of_a_degree_along_the_equator():
    assert geometry.length_km(box(0, 0, 1, 1).exterior) == pytest.approx(
        2 * EQUATOR_KM_PER_DEGREE + 2 * 110.57, rel=1e-3
    )


def test_centroid_is_latitude_then_longitude_and_inside_the_shape():
    # An L shape, whose centre of mass lies outside it.
    l_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)])

    latitude, longitude = geometry.centroid(l_shape)

    assert l_shape.contains(shape({"type": "Point", "coordinates": (longitude, latitude)}))
    assert geometry.centroid(box(10, 50, 10.2, 50.2)) == pytest.approx((50.1, 10.1))


def test_to_geojson_rounds_to_about_ten_metres():
    geojson = geometry.to_geojson(box(0.123456789, 52.0, 0.2, 52.987654321))

    assert geojson["type"] == "Polygon"
    coordinates = [c for ring in geojson["coordinates"] for point in ring for c in point]
    assert all(round(c, 4) == pytest.approx(c, abs=1e-12) for c in coordinates)
    assert shape(geojson).bounds == pytest.approx((0.1235, 52.0, 0.2, 52.9877))


def test_union_of_adjacent_squares_is_one_polygon():
    union = geometry.union_all([box(0, 0, 1, 1), box(1, 0, 2, 1)])

    assert isinstance(union, Polygon)
    assert union.area == pytest.approx(2.0)


def test_centre_is_always_inside_the_shape():
    l_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)])

    latitude, longitude, how = geometry.centre(l_shape)

    assert l_shape.contains(shape({"type": "Point", "coordinates": (longitude, latitude)}))
    assert how == "point on the surface of its boundary"
    assert geometry.centre(box(10, 50, 10.2, 50.2))[2] == "centroid of its boundary"


def test_centre_is_weighted_by_population_when_that_lies_inside():
    square = box(0, 0, 10, 10)
    # Two districts (latitude, longitude, people): the weighted centre is nearer the bigger one.
    latitude, longitude, how = geometry.centre(square, [(2.0, 2.0, 300.0), (8.0, 8.0, 100.0)])
    assert (latitude, longitude) == pytest.approx((3.5, 3.5))
    assert how == "population-weighted centre of its districts"
    # Weighted centre outside the L: fall back to a point on its surface.
    l_shape = Polygon([(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)])
    latitude, longitude, how = geometry.centre(l_shape, [(0.5, 2.5, 1.0), (2.5, 0.5, 1.0)])
    assert l_shape.contains(shape({"type": "Point", "coordinates": (longitude, latitude)}))
    assert how != "population-weighted centre of its districts"
