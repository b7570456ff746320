"""Declarations of the register's reference sources over the importer core.

Order matters: councils first, then other bodies, then what refers to them.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from organisations import geometry
from organisations.models import (
    Boundary,
    GssCode,
    Nation,
    Neighbour,
    Organisation,
    OrganisationName,
    OrganisationType,
    Overlap,
    Tier,
)
from organisations.names import normalise_name
from reference.core import Context, Declaration
from reference.files import number, read_csv, read_json

REGISTER = "register/uk_local_authorities.csv"
GOVUK = "register/govuk_local_authorities.csv"
NAME_LOOKUP = "register/lookup_name_to_registry.csv"
GSS_LOOKUP = "register/lookup_gss_to_registry.csv"
CHANGES = "register/boundary_changes.csv"
NATIONAL_BODIES = "register/national_bodies.csv"
SCOTTISH_NHS_BOARDS = "register/scottish_nhs_boards.csv"
NHS_BOARDS_SOURCE = (
    "Health Boards (Scotland) Order 1974, Schedule 1, as amended by SSI 2013/347; boundary dissolved from "
    "the councils' ONS December 2024 boundaries (OGL v3)"
)
MYSOCIETY = "mySociety, uk_local_authority_names_and_codes (CC BY 4.0)"

# ONS gave Barnsley and Sheffield new codes in 2025; the register and the December
# 2024 boundaries still use the old ones, so the new codes are aliases.
GSS_ALIASES = {"E08000038": "BNS", "E08000039": "SHF"}

LOWER_TIER_BOUNDARIES = "boundaries/Local_Authority_Districts_December_2024_Boundaries_UK_BUC.json"
UPPER_TIER_BOUNDARIES = "boundaries/Counties_and_Unitary_Authorities_December_2024_Boundaries_UK_BUC.json"
COUNTY_BOUNDARIES = "boundaries/Counties_December_2024_Boundaries_EN_BUC.json"
COMBINED_AUTHORITY_BOUNDARIES = "boundaries/CAUTH_MAY_2025_EN_BUC.json"

# Other public bodies come from ONS boundary files: (type, file, how to name one).
OTHER_BODIES = {
    OrganisationType.FIRE: (
        "boundaries/Fire_and_Rescue_Authorities_December_2023_EW_BUC.json",
        lambda name: name if "Authority" in name else f"{name} Fire and Rescue Authority",
    ),
    OrganisationType.POLICE: (
        "boundaries/Police_Force_Areas_December_2023_EW_BUC.json",
        lambda name: {"London, City of": "City of London Police"}.get(
            name, name if "Police" in name else f"{name} Police"
        ),
    ),
    OrganisationType.ICB: ("boundaries/Integrated_Care_Boards_April_2023_EN_BSC.json", lambda name: name),
    OrganisationType.HEALTH_BOARD: ("boundaries/Local_Health_Boards_December_2023_WA_BUC.json", lambda name: name),
}

COUNCIL_TYPES_ON_LOWER_TIER_MAP = {"NMD", "UA", "MD", "LBO", "CC", "SCO", "WPA", "NID"}
NATION_BY_PREFIX = {"E": Nation.ENGLAND, "W": Nation.WALES, "S": Nation.SCOTLAND, "N": Nation.NORTHERN_IRELAND}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _tier(register_type: str) -> str:
    if register_type == "CTY":
        return Tier.COUNTY
    if register_type == "NMD":
        return Tier.DISTRICT
    if register_type in COUNCIL_TYPES_ON_LOWER_TIER_MAP:
        return Tier.UNITARY
    return Tier.NONE


def _features(context: Context, path: str) -> list[geometry.Feature]:
    return context.remember(("features", path), lambda: geometry.features_from_topojson(read_json(context, path)))


def _codes(context: Context) -> dict[str, int]:
    """Organisation id for every stable code and every GSS code (current, former, alias)."""
    by_code = dict(Organisation.objects.values_list("code", "id"))
    by_code.update(GssCode.objects.values_list("code", "organisation_id"))
    return by_code


# --- councils and combined authorities --------------------------------------------


def _combined_authority_changes(context: Context):
    """From the ONS change table: which CAs merged into which, and newer memberships."""
    merged_into, joined = {}, {}
    for row in read_csv(context, CHANGES):
        if not row["newcd"].startswith("E47"):
            continue
        if row["type"] == "merger" and row["oldcd"].startswith("E47"):
            merged_into[row["oldcd"]] = (row["newcd"], int(row["start"]))
        elif row["type"] == "new_geo":
            previous = joined.get(row["oldcd"])
            if previous is None or int(row["start"]) >= previous[1]:
                joined[row["oldcd"]] = (row["newcd"], int(row["start"]))
    return merged_into, joined


CENSUS_POPULATION = "indicators/census2021/census2021-ts007a-ltla.csv"
ONS_METADATA = "register/ons_geo_metadata.json"
CENSUS_SOURCE = "Census 2021, usual residents on 21 March 2021 (ONS)"
MID_2020_SOURCE = "ONS mid-2020 estimate, via mySociety"


def census_populations(context: Context) -> dict[str, tuple[int, str]]:
    """Census 2021 usual residents by current GSS code (England and Wales): councils
    formed since 2021 are the sum of their predecessors (ONS change table), counties the
    sum of their districts."""

    def load():
        found = {
            row["geography code"]: int(row["Age: Total"])
            for row in read_csv(context, CENSUS_POPULATION)
            if row["Age: Total"]
        }
        merged: dict[str, list[str]] = {}
        for row in read_csv(context, CHANGES):
            if row["type"] == "merger" and row["oldcd"] in found and not row["newcd"].startswith("E47"):
                merged.setdefault(row["newcd"], []).append(row["oldcd"])
        result = {code: (n, CENSUS_SOURCE) for code, n in found.items()}
        for new, old in merged.items():
            if new not in found:
                result[new] = (sum(found[c] for c in old), f"{CENSUS_SOURCE}: the sum of the councils it replaced")
        gss_by_code = {row["local-authority-code"]: row["gss-code"] for row in read_csv(context, REGISTER)}
        counties: dict[str, list[str]] = {}
        for row in read_csv(context, REGISTER):
            if row["county-la"] and not row["end-date"]:
                counties.setdefault(gss_by_code.get(row["county-la"], ""), []).append(row["gss-code"])
        for county, districts in counties.items():
            if county and all(d in result for d in districts):
                result[county] = (sum(result[d][0] for d in districts), f"{CENSUS_SOURCE}: the sum of its districts")
        return result

    return context.remember("census populations", load)


def ons_regions(context: Context) -> dict[str, str]:
    """Region name by GSS code, from ONS's own area lookup (each area's parents)."""
    areas = read_json(context, ONS_METADATA)
    names = {a["areacd"]: a["areanm"] for a in areas.values()}
    return {
        a["areacd"]: names[parent]
        for a in areas.values()
        for parent in a.get("parents", [])
        if parent.startswith("E12") and parent in names
    }


def council_centres(context: Context) -> dict[str, tuple[float, float, str]]:
    """A centre inside each council's boundary (geometry.centre): districts and unitaries
    from the lower-tier map, counties from theirs, weighted by their districts' people."""

    def load():
        centres = {}
        for feature in _features(context, LOWER_TIER_BOUNDARIES):
            centres[feature.code] = geometry.centre(feature.geometry)
        rows = read_csv(context, REGISTER)
        gss_by_code = {row["local-authority-code"]: row["gss-code"] for row in rows}
        population = census_populations(context)
        districts: dict[str, list[tuple[float, float, float]]] = {}
        for row in rows:
            gss = row["gss-code"]
            if row["county-la"] and not row["end-date"] and gss in centres:
                lat, lon, _how = centres[gss]
                people = population.get(gss, (number(row["pop-2020"]) or 0, ""))[0]
                districts.setdefault(gss_by_code.get(row["county-la"], ""), []).append((lat, lon, people))
        for feature in _features(context, COUNTY_BOUNDARIES):
            centres[feature.code] = geometry.centre(feature.geometry, districts.get(feature.code, ()))
        for feature in _features(context, COMBINED_AUTHORITY_BOUNDARIES):
            centres[feature.code] = geometry.centre(feature.geometry)
        return centres

    return context.remember("council centres", load)


def council_rows(context: Context):
    homepages = {row["slug"]: row["homepage_url"] for row in read_csv(context, GOVUK)}
    merged_into, _ = _combined_authority_changes(context)
    census = census_populations(context)
    regions = ons_regions(context)
    centres = council_centres(context)
    # Combined authorities' current names are ONS's (the register lags: "Yorkshire and The
    # Humber MCA" is now Hull and East Yorkshire).
    combined_names = {f.code: f.name for f in _features(context, COMBINED_AUTHORITY_BOUNDARIES)}
    for row in read_csv(context, REGISTER):
        register_type = row["local-authority-type"]
        nation = row["nation"]
        end_date = _date(row["end-date"])
        if row["gss-code"] in merged_into and end_date is None:
            # The register still lists it; ONS records its merger (year only).
            end_date = dt.date(merged_into[row["gss-code"]][1], 1, 1)
        gss = row["gss-code"]
        population, population_source = census.get(gss) or (number(row["pop-2020"]), MID_2020_SOURCE)
        latitude, longitude, _how = centres.get(gss) or (number(row["lat"]), number(row["long"]), "")
        name = combined_names.get(gss, row["nice-name"]) if register_type == "COMB" else row["nice-name"]
        yield {
            "code": row["local-authority-code"],
            "gss_code": gss,
            "official_name": row["official-name"],
            "name": name,
            "org_type": register_type,
            "tier": _tier(register_type),
            "nation": nation,
            "region": regions.get(gss) or row["region"] or nation,
            "start_date": _date(row["start-date"]),
            "end_date": end_date,
            "population": int(population) if population else None,
            "population_source": population_source if population else "",
            "area_km2": number(row["area"]),
            "latitude": latitude,
            "longitude": longitude,
            "ecode": row["ecode"],
            "gov_uk_slug": row["gov-uk-slug"],
            "homepage": homepages.get(row["gov-uk-slug"], ""),
            "source": MYSOCIETY,
        }


def new_combined_authority_rows(context: Context):
    """Combined authorities in the May 2025 boundaries that the register lacks."""
    known = {row["gss-code"] for row in read_csv(context, REGISTER)}
    for feature in _features(context, COMBINED_AUTHORITY_BOUNDARIES):
        if feature.code in known:
            continue
        latitude, longitude, _how = geometry.centre(feature.geometry)
        yield {
            "code": feature.code,
            "gss_code": feature.code,
            "official_name": f"{feature.name} Combined Authority",
            "name": feature.name,
            "org_type": OrganisationType.COMBINED_AUTHORITY,
            "tier": Tier.NONE,
            "nation": Nation.ENGLAND,
            "region": "",
            "area_km2": round(geometry.area_km2(feature.geometry), 1),
            "latitude": latitude,
            "longitude": longitude,
            "source": "ONS Combined Authorities (May 2025) boundaries (OGL v3)",
        }


def other_body_rows(context: Context):
    for org_type, (path, naming) in OTHER_BODIES.items():
        for feature in _features(context, path):
            latitude, longitude, _how = geometry.centre(feature.geometry)
            yield {
                "code": feature.code,
                "gss_code": feature.code,
                "official_name": naming(feature.name),
                "name": naming(feature.name),
                "org_type": org_type,
                "tier": Tier.NONE,
                "nation": NATION_BY_PREFIX[feature.code[0]],
                "region": "",
                "area_km2": round(geometry.area_km2(feature.geometry), 1),
                "latitude": latitude,
                "longitude": longitude,
                "source": f"ONS boundaries: {path.split('/')[-1]} (OGL v3)",
            }


def national_body_rows(context: Context):
    for row in read_csv(context, NATIONAL_BODIES):
        yield {
            "code": row["code"],
            "gss_code": "",
            "official_name": row["official_name"],
            "name": row["name"],
            "org_type": row["type"],
            "tier": Tier.NONE,
            "nation": row["nation"],
            "region": row["nation"],
            "homepage": row["homepage"],
            "source": "Sharewell's list of national services (data/SOURCES.md)",
        }


def nhs_board_features(context: Context) -> list[tuple[geometry.Feature, list[str]]]:
    """Scotland's NHS boards, each a union of whole council areas: (feature, council codes)."""

    def load():
        councils = {f.code: f for f in _features(context, LOWER_TIER_BOUNDARIES)}
        boards = []
        for row in read_csv(context, SCOTTISH_NHS_BOARDS):
            members = row["council_gss_codes"].split(";")
            shape = geometry.union_all(councils[c].geometry for c in members)
            boards.append((geometry.Feature(row["code"], row["name"], shape), members))
        return boards

    return context.remember("nhs boards", load)


def nhs_board_rows(context: Context):
    for feature, _members in nhs_board_features(context):
        latitude, longitude, _how = geometry.centre(feature.geometry)
        yield {
            "code": feature.code,
            "gss_code": feature.code,
            "official_name": feature.name,
            "name": feature.name,
            "org_type": OrganisationType.NHS_BOARD,
            "tier": Tier.NONE,
            "nation": Nation.SCOTLAND,
            "region": Nation.SCOTLAND,
            "area_km2": round(geometry.area_km2(feature.geometry), 1),
            "latitude": latitude,
            "longitude": longitude,
            "source": NHS_BOARDS_SOURCE,
        }


def relationship_rows(context: Context):
    """Parent county, combined authority and successors, once every council exists."""
    ids = dict(Organisation.objects.values_list("code", "id"))
    gss_ids = dict(Organisation.objects.values_list("gss_code", "id"))
    gss_by_code = dict(Organisation.objects.values_list("code", "gss_code"))
    merged_into, joined = _combined_authority_changes(context)

    def current_combined_authority(gss: str) -> str:
        while gss in merged_into:
            gss = merged_into[gss][0]
        return gss

    for row in read_csv(context, REGISTER):
        gss = row["gss-code"]
        combined_gss = gss_by_code.get(row["combined-authority"], "")
        if gss in joined and row["local-authority-type"] not in ("COMB", "SRA"):
            combined_gss = joined[gss][0]  # a newer membership from the ONS change table
        combined = gss_ids.get(current_combined_authority(combined_gss)) if combined_gss else None
        successors = [ids[c] for c in row["replaced-by"].split(",") if c in ids]
        if gss in merged_into and merged_into[gss][0] in gss_ids:
            successors.append(gss_ids[merged_into[gss][0]])
        yield {
            "code": row["local-authority-code"],
            "parent_county_id": ids.get(row["county-la"]) if row["county-la"] else None,
            "combined_authority_id": combined,
            "successors": successors,
        }


def gss_code_rows(context: Context):
    ids = dict(Organisation.objects.values_list("code", "id"))
    current = dict(Organisation.objects.values_list("gss_code", "id"))
    seen = set()
    for gss, org_id in current.items():
        if gss:
            seen.add(gss)
            yield {"code": gss, "organisation_id": org_id, "status": GssCode.Status.CURRENT}
    for row in read_csv(context, GSS_LOOKUP):
        # Some abolished Northern Irish councils have no code: a blank is not a code.
        if row["gss-code"] and row["gss-code"] not in seen and row["local-authority-code"] in ids:
            seen.add(row["gss-code"])
            yield {
                "code": row["gss-code"],
                "organisation_id": ids[row["local-authority-code"]],
                "status": GssCode.Status.FORMER,
            }
    for gss, code in GSS_ALIASES.items():
        if gss not in seen:
            yield {"code": gss, "organisation_id": ids[code], "status": GssCode.Status.ALIAS}


def name_rows(context: Context):
    seen = set()

    def variant(org_id: int, name: str):
        normalised = normalise_name(name)
        if normalised and (org_id, normalised) not in seen:
            seen.add((org_id, normalised))
            return {"organisation_id": org_id, "normalised": normalised, "name": name}
        return None

    for org_id, official, short in Organisation.objects.values_list("id", "official_name", "name"):
        for name in (short, official):
            if row := variant(org_id, name):
                yield row
    ids = dict(Organisation.objects.values_list("code", "id"))
    for row in read_csv(context, NAME_LOOKUP):
        org_id = ids.get(row["local-authority-code"])
        if org_id and (found := variant(org_id, row["la-name"])):
            yield found
    for row in read_csv(context, GOVUK):
        org_id = Organisation.objects.filter(gov_uk_slug=row["slug"]).values_list("id", flat=True).first()
        if org_id and (found := variant(org_id, row["name"])):
            yield found


# --- geometry ------------------------------------------------------------------


def _boundary_layers(context: Context):
    """(features, which organisations they are) for every layer we draw."""
    types = dict(Organisation.objects.values_list("gss_code", "org_type"))

    def only(path: str, wanted: set[str]):
        return [f for f in _features(context, path) if types.get(f.code) in wanted]

    yield LOWER_TIER_BOUNDARIES, only(LOWER_TIER_BOUNDARIES, COUNCIL_TYPES_ON_LOWER_TIER_MAP)
    yield COUNTY_BOUNDARIES, only(COUNTY_BOUNDARIES, {"CTY"})
    yield COMBINED_AUTHORITY_BOUNDARIES, only(COMBINED_AUTHORITY_BOUNDARIES, {"COMB"})
    for path, _naming in OTHER_BODIES.values():
        yield path, _features(context, path)
    yield SCOTTISH_NHS_BOARDS, [feature for feature, _members in nhs_board_features(context)]


def _greater_london(context: Context) -> geometry.Feature:
    london = [f for f in _features(context, LOWER_TIER_BOUNDARIES) if f.code.startswith("E09")]
    gla = Organisation.objects.get(org_type=OrganisationType.STRATEGIC_REGIONAL_AUTHORITY)
    return geometry.Feature(gla.gss_code, gla.name, geometry.union_all(f.geometry for f in london))


def boundary_rows(context: Context):
    codes = _codes(context)
    for path, features in _boundary_layers(context):
        source = NHS_BOARDS_SOURCE if path == SCOTTISH_NHS_BOARDS else f"ONS: {path.split('/')[-1]} (OGL v3)"
        for feature in features:
            yield {
                "organisation_id": codes[feature.code],
                "geojson": geometry.to_geojson(feature.geometry),
                "source": source,
            }
    gla = _greater_london(context)
    yield {
        "organisation_id": codes[gla.code],
        "geojson": geometry.to_geojson(gla.geometry),
        "source": "Union of the London borough boundaries, ONS December 2024 (OGL v3)",
    }


def neighbour_rows(context: Context):
    """Shared borders within each layer; upper-tier borders too, so counties have neighbours."""
    codes = _codes(context)
    types = dict(Organisation.objects.values_list("gss_code", "org_type"))
    pairs: dict[tuple[int, int], float] = {}
    upper = [f for f in _features(context, UPPER_TIER_BOUNDARIES) if types.get(f.code)]
    layers = [
        (path, features)
        for path, features in _boundary_layers(context)
        if path not in (COUNTY_BOUNDARIES, SCOTTISH_NHS_BOARDS)
    ]
    layers.append((UPPER_TIER_BOUNDARIES, upper))
    for path, features in layers:
        progress = context.progress(f"shared borders in {path.split('/')[-1]}")
        for a, b, km in geometry.shared_borders(features, progress=progress):
            key = (codes[a], codes[b])
            # A unitary is on both council maps; keep one length for the pair.
            pairs[key] = max(pairs.get(key, 0.0), km)
    for (a, b), km in pairs.items():
        yield {"organisation_id": a, "neighbour_id": b, "border_km": round(km, 2)}
        yield {"organisation_id": b, "neighbour_id": a, "border_km": round(km, 2)}


def overlap_rows(context: Context):
    codes = _codes(context)
    seen = set()
    # From the register: a district's county, a council's combined authority, and the
    # combined county authority its county is a member of (East Midlands, Lancashire...).
    for org_id, county_id, combined_id, county_combined_id in Organisation.objects.current().values_list(
        "id", "parent_county_id", "combined_authority_id", "parent_county__combined_authority_id"
    ):
        for body_id in dict.fromkeys(b for b in (county_id, combined_id, county_combined_id) if b):
            seen.add((org_id, body_id))
            yield {"organisation_id": org_id, "body_id": body_id, "share": 1.0, "method": Overlap.Method.REGISTER}
    # National services (Scotland, Northern Ireland): every council of the type they cover.
    ids = dict(Organisation.objects.values_list("code", "id"))
    for row in read_csv(context, NATIONAL_BODIES):
        for org_id in Organisation.objects.current().filter(org_type=row["covers_type"]).values_list("id", flat=True):
            seen.add((org_id, ids[row["code"]]))
            yield {
                "organisation_id": org_id,
                "body_id": ids[row["code"]],
                "share": 1.0,
                "method": Overlap.Method.NATIONAL,
            }
    # Scotland's NHS boards: whole council areas, by the Order's list.
    for feature, members in nhs_board_features(context):
        for gss in members:
            key = (codes[gss], codes[feature.code])
            if key not in seen:
                seen.add(key)
                yield {"organisation_id": key[0], "body_id": key[1], "share": 1.0, "method": Overlap.Method.BOUNDARY}
    # From the boundaries: fire, police and health bodies, for every current council.
    types = dict(Organisation.objects.current().values_list("gss_code", "org_type"))
    councils = [f for f in _features(context, LOWER_TIER_BOUNDARIES) if types.get(f.code)]
    councils += [f for f in _features(context, COUNTY_BOUNDARIES) if types.get(f.code) == "CTY"]
    for org_type, (path, _naming) in OTHER_BODIES.items():
        progress = context.progress(f"councils in each {OrganisationType(org_type).label.lower()}")
        for council, body, share in geometry.overlaps(councils, _features(context, path), progress=progress):
            key = (codes[council], codes[body])
            if key not in seen:
                seen.add(key)
                yield {
                    "organisation_id": key[0],
                    "body_id": key[1],
                    "share": round(share, 3),
                    "method": Overlap.Method.BOUNDARY,
                }


def body_population_rows(context: Context):
    """A wider body's population: the sum of the councils mostly inside it."""
    totals: dict[int, int] = {}
    for body_id, population in Overlap.objects.filter(
        share__gte=0.5,
        method__in=[Overlap.Method.BOUNDARY, Overlap.Method.NATIONAL],
        organisation__tier__in=[Tier.DISTRICT, Tier.UNITARY],
        organisation__population__isnull=False,
    ).values_list("body_id", "organisation__population"):
        totals[body_id] = totals.get(body_id, 0) + population
    for code, body_id in Organisation.objects.filter(pk__in=totals).values_list("code", "id"):
        yield {
            "code": code,
            "population": totals[body_id],
            "population_source": (
                "Sum of the populations of the councils mostly inside it (Census 2021 in England and Wales, "
                "ONS mid-2020 estimates in Scotland and Northern Ireland)"
            ),
        }


def national_body_area_rows(context: Context):
    """A national service's area: the sum of the councils it covers (it has no boundary file)."""
    totals: dict[str, float] = {}
    for code, area in Overlap.objects.filter(
        method=Overlap.Method.NATIONAL,
        organisation__area_km2__isnull=False,
    ).values_list("body__code", "organisation__area_km2"):
        totals[code] = totals.get(code, 0.0) + area
    for code, area in totals.items():
        yield {"code": code, "area_km2": round(area, 1)}


_organisations = partial(Declaration, model=Organisation, key=("code",))

DECLARATIONS = [
    _organisations(
        name="Councils, combined authorities and the GLA",
        rows=council_rows,
        source=f"{REGISTER}; homepages from {GOVUK}",
        licence="CC BY 4.0; OGL v3",
        user_maintained=Organisation.USER_MAINTAINED_FIELDS,
    ),
    _organisations(
        name="Combined authorities from the 2025 boundaries",
        rows=new_combined_authority_rows,
        source=COMBINED_AUTHORITY_BOUNDARIES,
        licence="OGL v3",
    ),
    _organisations(
        name="Fire, police and NHS bodies", rows=other_body_rows, source="boundaries/*.json", licence="OGL v3"
    ),
    _organisations(name="Scotland's NHS boards", rows=nhs_board_rows, source=SCOTTISH_NHS_BOARDS, licence="OGL v3"),
    _organisations(
        name="National police and fire services of Scotland and Northern Ireland",
        rows=national_body_rows,
        source=NATIONAL_BODIES,
        licence="Sharewell",
        user_maintained=Organisation.USER_MAINTAINED_FIELDS,
    ),
    _organisations(
        name="Parent counties, combined authorities and successors",
        rows=relationship_rows,
        source=f"{REGISTER}; {CHANGES}",
        licence="CC BY 4.0; OGL v3",
        many_to_many=("successors",),
    ),
    Declaration(
        name="GSS codes, former codes and aliases",
        model=GssCode,
        key=("code",),
        rows=gss_code_rows,
        source=GSS_LOOKUP,
        licence="CC BY 4.0",
    ),
    Declaration(
        name="Name variants",
        model=OrganisationName,
        key=("organisation_id", "normalised"),
        rows=name_rows,
        source=NAME_LOOKUP,
        licence="CC BY 4.0",
    ),
    Declaration(
        name="Boundaries",
        model=Boundary,
        key=("organisation_id",),
        rows=boundary_rows,
        source="boundaries/*.json",
        licence="OGL v3",
        prune=True,
    ),
    Declaration(
        name="Neighbours (shared borders)",
        model=Neighbour,
        key=("organisation_id", "neighbour_id"),
        rows=neighbour_rows,
        source="computed from the boundaries",
        licence="OGL v3",
        prune=True,
    ),
    Declaration(
        name="Overlapping bodies",
        model=Overlap,
        key=("organisation_id", "body_id"),
        rows=overlap_rows,
        source="register and boundaries",
        licence="OGL v3",
        prune=True,
    ),
    _organisations(
        name="Populations of wider bodies",
        rows=body_population_rows,
        source="computed from council populations",
        licence="CC BY 4.0",
    ),
    _organisations(
        name="Areas of the national services",
        rows=national_body_area_rows,
        source="computed from council areas",
        licence="OGL v3",
    ),
]
