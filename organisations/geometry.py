"""Boundary geometry: decode TopoJSON, find shared borders and overlaps.

Pure Python over shapely and pyproj (no Django), so it is tested without a database.
TopoJSON is decoded here rather than with a package: the decoding is a short, fixed
part of the TopoJSON specification, and the Python ports are unmaintained.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon
from shapely.strtree import STRtree

_GEOD = Geod(ellps="WGS84")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry: Polygon | MultiPolygon


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:  # quantized arcs are delta-encoded
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [tuple(p[:2]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(arc_indexes: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point: drop the duplicate.
        points.extend(arc if not points else arc[1:])
    return points


def _polygon(ring_arcs: list, arcs) -> Polygon | None:
    # Quantization can collapse a tiny island to fewer than four points: drop it.
    rings = [ring for ring in (_ring(r, arcs) for r in ring_arcs) if len(ring) >= 4]
    if not rings:
        return None
    return Polygon(rings[0], rings[1:])


def _geometry(obj: dict, arcs) -> Polygon | MultiPolygon | None:
    if obj["type"] == "Polygon":
        polygons = [_polygon(obj["arcs"], arcs)]
    elif obj["type"] == "MultiPolygon":
        polygons = [_polygon(p, arcs) for p in obj["arcs"]]
    else:
        return None
    found = [p for p in polygons if p is not None]
    if not found:
        return None
    geometry = found[0] if len(found) == 1 else MultiPolygon(found)
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def features_from_topojson(topology: dict, code_field: str = "AREACD", name_field: str = "AREANM") -> list[Feature]:
    """Every polygon feature of the topology's objects, with its code and name."""
    arcs = _decode_arcs(topology)
    features = []
    for collection in topology["objects"].values():
        for obj in collection.get("geometries", []):
            geometry = _geometry(obj, arcs)
            if geometry is None or geometry.is_empty:
                continue
            properties = obj.get("properties", {})
            features.append(Feature(properties[code_field], properties[name_field], geometry))
    return features


def length_km(geometry) -> float:
    return _GEOD.geometry_length(geometry) / 1000.0


def area_km2(geometry) -> float:
    area, _perimeter = _GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1_000_000.0


def shared_borders(
    features: Sequence[Feature], progress: Progress | None = None, min_km: float = 0.0
) -> list[tuple[str, str, float]]:
    """Each unordered pair of features that share a border, with its length in km.

    Features from one topology share their arcs exactly, so the intersection of two
    boundaries is the common border; a meeting at a single point has no length and
    is not a border.
    """
    geometries = [f.geometry for f in features]
    tree = STRtree(geometries)
    pairs = []
    for i, feature in enumerate(features):
        for j in tree.query(feature.geometry, predicate="intersects"):
            if j <= i:
                continue
            common = feature.geometry.boundary.intersection(geometries[j].boundary)
            km = length_km(common) if not common.is_empty else 0.0
            if km > min_km:
                pairs.append((feature.code, features[j].code, km))
        if progress:
            progress(i + 1, len(features))
    return pairs


def overlaps(
    inner: Sequence[Feature], outer: Sequence[Feature], min_share: float = 0.05, progress: Progress | None = None
) -> list[tuple[str, str, float]]:
    """(inner code, outer code, share of the inner area inside the outer) for real overlaps.

    Below `min_share` an overlap is taken as an artefact of generalised boundaries.
    Shares are computed on lat/long areas: the ratio of two areas at the same place
    hardly depends on the projection, and this keeps the step fast.
    """
    outer_geometries = [f.geometry for f in outer]
    tree = STRtree(outer_geometries)
    result = []
    for i, feature in enumerate(inner):
        own_area = feature.geometry.area
        for j in tree.query(feature.geometry, predicate="intersects"):
            share = feature.geometry.intersection(outer_geometries[j]).area / own_area
            if share >= min_share:
                result.append((feature.code, outer[j].code, min(share, 1.0)))
        if progress:
            progress(i + 1, len(inner))
    return result


def centroid(geometry) -> tuple[float, float]:
    """(latitude, longitude) of a point inside the shape."""
    point = geometry.representative_point()
    return point.y, point.x


def centre(geometry, parts: Sequence[tuple[float, float, float]] = ()) -> tuple[float, float, str]:
    """(latitude, longitude, how) of a centre that lies inside the shape.

    With `parts` ((latitude, longitude, population) of the districts it is made of), the
    population-weighted centre of the districts, if that lies inside; otherwise the
    shape's centroid if inside, otherwise a point on its surface (always inside). A
    county's centroid can fall outside it (Lancashire's would be in the sea or, taken
    from a wrong source, in another county), so the test is made, never assumed.
    """
    if parts:
        total = sum(w for _, _, w in parts if w and w > 0)
        if total > 0:
            lat = sum(la * w for la, _, w in parts if w and w > 0) / total
            lon = sum(lo * w for _, lo, w in parts if w and w > 0) / total
            if geometry.contains(shapely.Point(lon, lat)):
                return lat, lon, "population-weighted centre of its districts"
    point = geometry.centroid
    if geometry.contains(point):
        return point.y, point.x, "centroid of its boundary"
    point = geometry.representative_point()
    return point.y, point.x, "point on the surface of its boundary"


def to_geojson(geometry, precision: int = 4) -> dict:
    """GeoJSON geometry rounded to about 10 m, small enough to send to a browser."""
    # Through JSON text, so it compares equal to what the database gives back.
    return json.loads(shapely.to_geojson(shapely.set_precision(geometry, 10**-precision, mode="pointwise")))


def union_all(geometries: Iterable) -> Polygon | MultiPolygon:
    return shapely.union_all(list(geometries))
