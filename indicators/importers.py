"""Declarations of the indicator sources over the importer core.

Every source yields values for current principal councils only, matched on the
register's three-letter code or on any GSS code the council has had. A council the
source does not cover gets no row at all, so pages say "not available", never zero.

The sources:
- mySociety's composite UK deprivation index, rural/urban profile and CO₂ emissions,
  keyed on the register's codes;
- Census 2021 counts (England and Wales, 2021 boundaries), rolled up to the councils
  formed since and summed for counties (see indicators/rollup.py);
- twelve ONS local indicator series, of which each council gets its latest period.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from indicators import rollup
from indicators.models import Indicator, IndicatorGroup, IndicatorValue
from organisations.models import GssCode, Organisation, Tier
from reference.core import Context, Declaration, ImportError_
from reference.files import number, read_csv, read_json

CHANGES = "register/boundary_changes.csv"
IMD = "indicators/la_imd.csv"
RUC = "indicators/la_ruc.csv"
EMISSIONS = "indicators/local_authority_emissions.csv"
CENSUS = "indicators/census2021/census2021-{table}-ltla.csv"
ONS = "indicators/ons/{name}.{ext}"

MYSOCIETY_LICENCE = "CC BY 4.0"
OGL = "OGL v3"

PEOPLE, PLACE, DEPRIVATION, ECONOMY, ENVIRONMENT = (
    IndicatorGroup.PEOPLE,
    IndicatorGroup.PLACE,
    IndicatorGroup.DEPRIVATION,
    IndicatorGroup.ECONOMY,
    IndicatorGroup.ENVIRONMENT,
)


@dataclass(frozen=True)
class Value:
    key: str
    organisation_id: int
    value: float
    period: str
    note: str = ""


@dataclass
class Source:
    """One source: which indicators it defines and a function giving their values."""

    name: str
    files: str
    licence: str
    definitions: Callable[[Context], list[dict]]
    values: Callable[[Context], Iterable[Value]]
    keys: tuple[str, ...] = field(default=())


def _councils(context: Context) -> dict[str, int]:
    """Current principal councils: id by three-letter code."""
    return context.remember(
        "indicator councils",
        lambda: dict(Organisation.objects.current().principal_councils().values_list("code", "id")),
    )


def _gss_lookup(context: Context) -> dict[str, tuple[int, str]]:
    """Every GSS code (current, former, alias) of a current principal council: (id, status)."""

    def load():
        council_ids = set(_councils(context).values())
        return {
            code: (org_id, status)
            for code, org_id, status in GssCode.objects.values_list("code", "organisation_id", "status")
            if org_id in council_ids
        }

    return context.remember("indicator gss codes", load)


def _successors(context: Context) -> dict[str, str]:
    return context.remember("indicator successors", lambda: rollup.successor_codes(read_csv(context, CHANGES)))


def _merged_away(context: Context) -> set[str]:
    """Codes of areas merged into a bigger council: their figures are not the new council's."""
    return {row["oldcd"] for row in read_csv(context, CHANGES) if row["type"] == "merger"}


def _require(rows: list[dict], columns: Iterable[str], path: str) -> None:
    if not rows:
        raise ImportError_(f"{path} has no rows")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise ImportError_(f"{path} lacks the columns {missing}")


# --- mySociety tables keyed on the register's codes --------------------------------

MYSOCIETY_IMD = (
    "mySociety, Composite UK Index of Multiple Deprivation: local authority deprivation "
    "(from the English and Welsh indices 2019, Scottish 2020 and Northern Irish 2017)"
)
MYSOCIETY_RUC = "mySociety, UK Composite Rural Urban Classification: local authority profile"

# (column, key, label, group, unit, decimal places, scale, period, description)
IMD_COLUMNS = (
    (
        "la-deprivation-score",
        "deprivation-score",
        "Deprivation score",
        DEPRIVATION,
        "score",
        1,
        1,
        "2019",
        "A UK-wide composite of the four nations' indices of multiple deprivation, worked out for the "
        "council's whole area. Higher means more deprived.",
    ),
    (
        "high-deprivation",
        "high-deprivation",
        "Residents in the most deprived fifth of UK neighbourhoods",
        DEPRIVATION,
        "%",
        1,
        100,
        "2019",
        "Share of the council's residents living in a small area in the most deprived fifth (quintile 1) "
        "of the composite UK index.",
    ),
    (
        "low-deprivation",
        "low-deprivation",
        "Residents in the least deprived two fifths of UK neighbourhoods",
        DEPRIVATION,
        "%",
        1,
        100,
        "2019",
        "Share of the council's residents living in a small area in the two least deprived fifths "
        "(quintiles 4 and 5) of the composite UK index.",
    ),
    (
        "la-imd-pop-quintile",
        "deprivation-quintile",
        "Deprivation quintile (1 = most deprived)",
        DEPRIVATION,
        "",
        0,
        1,
        "2019",
        "Councils ranked by deprivation score in five groups of equal population: 1 holds the most deprived "
        "fifth of the UK's people. Counties and other upper-tier councils are slotted in by their score.",
    ),
    (
        "density",
        "population-density",
        "Population density",
        PLACE,
        "people per km²",
        0,
        1,
        "2020",
        "Residents (ONS mid-2020 estimate) per square kilometre of the council's area.",
    ),
)
RUC_COLUMNS = (
    (
        "urban",
        "urban",
        "Residents in urban areas",
        PLACE,
        "%",
        1,
        100,
        "2011",
        "Share of residents living in a small area classed as urban.",
    ),
    (
        "rural",
        "rural",
        "Residents in rural areas",
        PLACE,
        "%",
        1,
        100,
        "2011",
        "Share of residents living in a small area classed as rural (but not highly rural).",
    ),
    (
        "highly-rural",
        "highly-rural",
        "Residents in highly rural areas",
        PLACE,
        "%",
        1,
        100,
        "2011",
        "Share of residents living in a small area classed as highly rural.",
    ),
)
RUC_NOTE = (
    " mySociety combines the four nations' rural/urban classifications of 2010-era small areas "
    "(2011 Census areas in England and Wales) into one UK scale."
)


def _column_definitions(columns, source: str, url: str, extra: str = "") -> Callable[[Context], list[dict]]:
    def definitions(context: Context) -> list[dict]:
        return [
            {
                "key": key,
                "label": label,
                "group": group,
                "unit": unit,
                "decimal_places": places,
                "description": description + extra,
                "source": source,
                "source_url": url,
                "licence": MYSOCIETY_LICENCE,
            }
            for _column, key, label, group, unit, places, _scale, _period, description in columns
        ]

    return definitions


def _column_values(path: str, columns) -> Callable[[Context], Iterable[Value]]:
    def values(context: Context) -> Iterable[Value]:
        councils = _councils(context)
        rows = read_csv(context, path)
        _require(rows, ["local-authority-code", *(c[0] for c in columns)], path)
        for row in rows:
            org_id = councils.get(row["local-authority-code"])
            if org_id is None:
                continue  # a combined authority, the GLA or a former council
            for column, key, _label, _group, _unit, _places, scale, period, _description in columns:
                value = number(row[column])
                if value is not None:
                    yield Value(key, org_id, value * scale, period)

    return values


EMISSIONS_COLUMN = "Per Person Emissions:t"


def emissions_definitions(context: Context) -> list[dict]:
    return [
        {
            "key": "co2-per-person",
            "label": "CO₂ emissions per person",
            "group": ENVIRONMENT,
            "unit": "t CO₂ per person",
            "decimal_places": 1,
            "description": (
                "Carbon dioxide emitted in the council's area in a year (industry, commercial, public "
                "sector, domestic, transport, agriculture and waste), divided by its population."
            ),
            "source": (
                "mySociety, local authority emissions data, from the BEIS (now DESNZ) UK local authority "
                "carbon dioxide emissions estimates"
            ),
            "source_url": "https://github.com/mysociety/la-emissions-data",
            "licence": "CC BY 4.0 (BEIS data OGL v3)",
        }
    ]


def emissions_values(context: Context) -> Iterable[Value]:
    """Each council's latest year with a figure."""
    councils = _councils(context)
    rows = read_csv(context, EMISSIONS)
    _require(rows, ["Year", "local-authority-code", EMISSIONS_COLUMN], EMISSIONS)
    latest: dict[int, tuple[int, float]] = {}
    for row in rows:
        org_id = councils.get(row["local-authority-code"])
        value = number(row[EMISSIONS_COLUMN])
        if org_id is None or value is None:
            continue
        year = int(row["Year"])
        if org_id not in latest or year > latest[org_id][0]:
            latest[org_id] = (year, value)
    for org_id, (year, value) in latest.items():
        yield Value("co2-per-person", org_id, value, str(year))


# --- Census 2021 -------------------------------------------------------------------

CENSUS_PERIOD = "2021 (Census)"
CENSUS_URL = "https://www.nomisweb.co.uk/sources/census_2021_bulk"
CENSUS_TABLES = {
    "ts007a": "TS007A Age by five-year age bands",
    "ts045": "TS045 Car or van availability",
    "ts054": "TS054 Tenure",
    "ts062": "TS062 NS-SEC",
}
AGE = "Age: "
UNDER_15 = [f"{AGE}Aged 4 years and under", f"{AGE}Aged 5 to 9 years", f"{AGE}Aged 10 to 14 years"]
AGED_65_PLUS = [
    f"{AGE}Aged {band}"
    for band in ("65 to 69 years", "70 to 74 years", "75 to 79 years", "80 to 84 years", "85 years and over")
]
AGED_15_TO_64 = [
    f"{AGE}Aged {band}"
    for band in (
        "15 to 19 years",
        "20 to 24 years",
        "25 to 29 years",
        "30 to 34 years",
        "35 to 39 years",
        "40 to 44 years",
        "45 to 49 years",
        "50 to 54 years",
        "55 to 59 years",
        "60 to 64 years",
    )
]
CARS = "Number of cars or vans: "
TENURE = "Tenure of household: "
NSSEC = "National Statistics Socio-economic Classification (NS-SEC): "


@dataclass(frozen=True)
class CensusShare:
    key: str
    label: str
    group: str
    table: str
    numerator: tuple[str, ...]
    denominator: str
    description: str


CENSUS_SHARES = (
    CensusShare(
        "aged-under-15",
        "Residents aged under 15",
        PEOPLE,
        "ts007a",
        tuple(UNDER_15),
        f"{AGE}Total",
        "Share of usual residents aged 0 to 14.",
    ),
    CensusShare(
        "aged-15-to-64",
        "Residents aged 15 to 64",
        PEOPLE,
        "ts007a",
        tuple(AGED_15_TO_64),
        f"{AGE}Total",
        "Share of usual residents aged 15 to 64.",
    ),
    CensusShare(
        "aged-65-and-over",
        "Residents aged 65 and over",
        PEOPLE,
        "ts007a",
        tuple(AGED_65_PLUS),
        f"{AGE}Total",
        "Share of usual residents aged 65 or over.",
    ),
    CensusShare(
        "managerial-professional",
        "Residents in managerial and professional occupations",
        PEOPLE,
        "ts062",
        (
            f"{NSSEC}L1, L2 and L3 Higher managerial, administrative and professional occupations",
            f"{NSSEC}L4, L5 and L6 Lower managerial, administrative and professional occupations",
        ),
        f"{NSSEC}Total: All usual residents aged 16 years and over",
        "Share of usual residents aged 16 and over in higher or lower managerial, administrative and "
        "professional occupations (NS-SEC L1 to L6). The base includes students and people who have "
        "never worked.",
    ),
    CensusShare(
        "routine-occupations",
        "Residents in routine and semi-routine occupations",
        PEOPLE,
        "ts062",
        (f"{NSSEC}L12 Semi-routine occupations", f"{NSSEC}L13 Routine occupations"),
        f"{NSSEC}Total: All usual residents aged 16 years and over",
        "Share of usual residents aged 16 and over in semi-routine or routine occupations (NS-SEC L12 "
        "and L13). The base includes students and people who have never worked.",
    ),
    CensusShare(
        "home-owners",
        "Households owning their home",
        PLACE,
        "ts054",
        (f"{TENURE}Owned",),
        f"{TENURE}Total: All households",
        "Share of households that own their home outright or with a mortgage or loan (shared ownership not included).",
    ),
    CensusShare(
        "social-renters",
        "Households renting from a social landlord",
        PLACE,
        "ts054",
        (f"{TENURE}Social rented",),
        f"{TENURE}Total: All households",
        "Share of households renting from the council or another social landlord.",
    ),
    CensusShare(
        "private-renters",
        "Households renting privately",
        PLACE,
        "ts054",
        (f"{TENURE}Private rented",),
        f"{TENURE}Total: All households",
        "Share of households renting from a private landlord, a letting agency or someone else privately.",
    ),
    CensusShare(
        "households-without-a-car",
        "Households without a car or van",
        PLACE,
        "ts045",
        (f"{CARS}No cars or vans in household",),
        f"{CARS}Total: All households",
        "Share of households with no car or van available.",
    ),
)


def census_definitions(context: Context) -> list[dict]:
    return [
        {
            "key": s.key,
            "label": s.label,
            "group": s.group,
            "unit": "%",
            "decimal_places": 1,
            "description": (
                f"{s.description} Councils formed since 2021 add up their predecessors' counts; "
                "counties add up their districts'. England and Wales only."
            ),
            "source": f"Office for National Statistics, Census 2021, table {CENSUS_TABLES[s.table]}",
            "source_url": CENSUS_URL,
            "licence": OGL,
        }
        for s in CENSUS_SHARES
    ]


def census_counts(context: Context) -> tuple[dict[str, dict[str, float | None]], dict[str, str]]:
    """Counts by 2021 area code (every column of every table) and the areas' names."""
    counts: dict[str, dict[str, float | None]] = {}
    names: dict[str, str] = {}
    for table in CENSUS_TABLES:
        path = CENSUS.format(table=table)
        rows = read_csv(context, path)
        wanted = {c for s in CENSUS_SHARES if s.table == table for c in (*s.numerator, s.denominator)}
        _require(rows, ["geography code", "geography", *sorted(wanted)], path)
        for row in rows:
            code = row["geography code"]
            names[code] = row["geography"]
            counts.setdefault(code, {}).update({column: number(row[column]) for column in wanted})
    return counts, names


def census_totals(context: Context) -> dict[int, tuple[rollup.Combined, str]]:
    """Counts per current council with a note saying what was added up."""
    counts, names = census_counts(context)
    successors, gss = _successors(context), _gss_lookup(context)
    target_of = {}
    for code in counts:
        found = gss.get(rollup.newest_code(code, successors))
        if found:
            target_of[code] = found[0]
    totals = {}
    for org_id, combined in rollup.roll_up(counts, target_of).items():
        note = ""
        if combined.is_rolled_up:
            note = rollup.describe_parts("rolled up from 2021 districts", sorted(names[c] for c in combined.parts))
        totals[org_id] = (combined, note)
    # A county's area is exactly its districts', so its counts are theirs added up.
    district_ids = {}
    for org_id, county_id, name in (
        Organisation.objects.current()
        .principal_councils()
        .filter(tier=Tier.DISTRICT, parent_county__isnull=False)
        .values_list("id", "parent_county_id", "name")
    ):
        district_ids.setdefault(county_id, []).append((org_id, name))
    councils = set(_councils(context).values())
    for county_id, districts in district_ids.items():
        if county_id not in councils or not all(d in totals for d, _ in districts):
            continue
        combined = rollup.roll_up({d: totals[d][0].counts for d, _ in districts}, {d: county_id for d, _ in districts})
        note = rollup.describe_parts("sum of its districts", sorted(name for _, name in districts))
        totals[county_id] = (combined[county_id], note)
    return totals


def census_values(context: Context) -> Iterable[Value]:
    for org_id, (combined, note) in census_totals(context).items():
        for s in CENSUS_SHARES:
            value = rollup.share(combined.counts, s.numerator, s.denominator)
            if value is not None:
                yield Value(s.key, org_id, value, CENSUS_PERIOD, note)


# --- ONS local indicators ----------------------------------------------------------


@dataclass(frozen=True)
class OnsIndicator:
    file: str
    indicator: str  # the `indicator` column of the file, and its key in the metadata
    key: str
    group: str
    unit: str = ""  # from the metadata when blank


ONS_INDICATORS = (
    OnsIndicator(
        "gross-disposable-household-income-per-head",
        "Gross disposable household income",
        "household-income-per-head",
        ECONOMY,
    ),
    OnsIndicator("gross-median-weekly-pay", "Gross median weekly pay", "median-weekly-pay", ECONOMY),
    OnsIndicator("employment-rate", "Employment rate", "employment-rate", ECONOMY),
    OnsIndicator("employment-rate", "Economically inactive", "economic-inactivity-rate", ECONOMY),
    OnsIndicator("claimant-count", "Claimant Count", "claimant-count", ECONOMY),
    OnsIndicator("gross-value-added", "Gross value added per hour worked", "gva-per-hour-worked", ECONOMY),
    OnsIndicator("gross-value-added", "Gross value added per filled job", "gva-per-filled-job", ECONOMY),
    OnsIndicator("business-demography", "Active businesses", "active-businesses", ECONOMY, "businesses"),
    OnsIndicator("business-demography", "Business births", "business-births", ECONOMY),
    OnsIndicator("business-demography", "Business deaths", "business-deaths", ECONOMY),
    OnsIndicator("business-demography", "High growth businesses", "high-growth-businesses", ECONOMY),
    OnsIndicator("business-demography", "One-year survival rate", "business-one-year-survival", ECONOMY),
    OnsIndicator(
        "healthy-life-expectancy", "Female healthy life expectancy", "healthy-life-expectancy-female", PEOPLE, "years"
    ),
    OnsIndicator(
        "healthy-life-expectancy", "Male healthy life expectancy", "healthy-life-expectancy-male", PEOPLE, "years"
    ),
    OnsIndicator(
        "qualifications-level-3-or-above",
        "Level 3 or above qualifications (Great Britain)",
        "level-3-qualifications",
        PEOPLE,
    ),
    OnsIndicator(
        "children-in-relative-poverty",
        "Children in relative poverty before housing costs",
        "child-poverty-before-housing-costs",
        PEOPLE,
    ),
    OnsIndicator(
        "children-in-relative-poverty",
        "Children in relative poverty after housing costs",
        "child-poverty-after-housing-costs",
        PEOPLE,
    ),
    OnsIndicator(
        "housing-affordability-ratio",
        "Housing affordability ratio (residence-based)",
        "housing-affordability-ratio",
        PLACE,
        "× annual earnings",
    ),
    OnsIndicator(
        "net-additions-to-the-housing-stock",
        "Net additions to the housing stock (England)",
        "net-additional-dwellings",
        PLACE,
        "per 1,000 dwellings",
    ),
    OnsIndicator(
        "greenhouse-gas-emissions",
        "Greenhouse gas emissions",
        "greenhouse-gas-per-person",
        ENVIRONMENT,
        "t CO₂e per person",
    ),
)
# Council geographies in the files; the rest (regions, nations, ITL areas) are left out.
ONS_GEOGRAPHIES = {"Local Authority District", "County or Unitary Authority"}
# When a council's latest period appears under two codes, take the newest code's figure.
CODE_PREFERENCE = {GssCode.Status.ALIAS: 2, GssCode.Status.CURRENT: 1, GssCode.Status.FORMER: 0}
COVERAGE = re.compile(r" \((Great Britain|England|UK|United Kingdom)\)$")


def ons_metadata(context: Context, spec: OnsIndicator) -> dict:
    """The indicator's metadata: its own entry over the file's shared one."""
    metadata = read_json(context, ONS.format(name=spec.file, ext="json")).get("ess-beta-metadata")
    if not metadata:
        raise ImportError_(f"{spec.file}.json has no ess-beta-metadata")
    if "label" in metadata:  # one indicator in the file
        return metadata
    if spec.indicator not in metadata:
        raise ImportError_(f"{spec.file}.json does not describe {spec.indicator!r}")
    return {**metadata.get("shared", {}), **metadata[spec.indicator]}


def _unit(metadata: dict, spec: OnsIndicator) -> str:
    if spec.unit:
        return spec.unit
    if metadata.get("prefix") == "GBPSign":
        return "£"
    return metadata.get("suffix") or metadata.get("subText") or ""


def ons_definitions(context: Context) -> list[dict]:
    definitions = []
    for spec in ONS_INDICATORS:
        meta = ons_metadata(context, spec)
        organisations = " and ".join(o for o in (meta.get("sourceOrg") or "").split("|") if o)
        published = (meta.get("sourceDate") or "").split("|")[0]
        description = "\n\n".join(t for t in (meta.get("subtitle"), meta.get("longDescription")) if t)
        definitions.append(
            {
                "key": spec.key,
                "label": COVERAGE.sub("", meta["label"]),
                "group": spec.group,
                "unit": _unit(meta, spec),
                "decimal_places": int(meta.get("decimalPlaces") or 0),
                "description": description,
                "source": (
                    f"{organisations or 'Office for National Statistics'}: {COVERAGE.sub('', meta['label'])}"
                    f"{f' (published {published})' if published else ''}, via ONS Explore Local Statistics"
                )[:300],
                "source_url": ((meta.get("sourceURL") or "").split("|")[0])[:400],
                "licence": OGL,
            }
        )
    return definitions


def ons_values(context: Context) -> Iterable[Value]:
    """Each council's latest period of each indicator; merged-away areas' figures are not carried over."""
    gss, merged_away = _gss_lookup(context), _merged_away(context)
    for file in dict.fromkeys(spec.file for spec in ONS_INDICATORS):
        path = ONS.format(name=file, ext="csv")
        rows = read_csv(context, path)
        _require(rows, ["areacd", "geography", "indicator", "period", "observation"], path)
        keys = {spec.indicator: spec.key for spec in ONS_INDICATORS if spec.file == file}
        best: dict[tuple[str, int], tuple[tuple, dict]] = {}
        progress = context.progress(f"ONS {file}")
        for done, row in enumerate(rows, 1):
            progress(done, len(rows))
            key = keys.get(row["indicator"])
            found = gss.get(row["areacd"])
            if (
                key is None
                or found is None
                or row["geography"] not in ONS_GEOGRAPHIES
                or row["areacd"] in merged_away
                or row.get("status") == "x"
            ):
                continue
            if number(row["observation"]) is None:
                continue
            org_id, status = found
            rank = (rollup.period_start(row["period"]), CODE_PREFERENCE.get(status, 0))
            if (key, org_id) not in best or rank > best[key, org_id][0]:
                best[key, org_id] = (rank, row)
        for (key, org_id), (_rank, row) in best.items():
            unreliable = row.get("status") == "u" or "unreliable" in (row.get("notes") or "").lower()
            yield Value(
                key,
                org_id,
                number(row["observation"]),
                rollup.readable_period(row["period"]),
                "ONS flags this estimate as unreliable (small sample)" if unreliable else "",
            )


# --- declarations ------------------------------------------------------------------

SOURCES = (
    Source(
        "Deprivation (mySociety composite UK IMD)",
        IMD,
        MYSOCIETY_LICENCE,
        _column_definitions(IMD_COLUMNS, MYSOCIETY_IMD, "https://github.com/mysociety/composite_uk_imd"),
        _column_values(IMD, IMD_COLUMNS),
        tuple(c[1] for c in IMD_COLUMNS),
    ),
    Source(
        "Rural and urban (mySociety UK RUC)",
        RUC,
        MYSOCIETY_LICENCE,
        _column_definitions(RUC_COLUMNS, MYSOCIETY_RUC, "https://github.com/mysociety/uk_ruc", RUC_NOTE),
        _column_values(RUC, RUC_COLUMNS),
        tuple(c[1] for c in RUC_COLUMNS),
    ),
    Source(
        "CO₂ emissions per person (mySociety from BEIS)",
        EMISSIONS,
        "CC BY 4.0; OGL v3",
        emissions_definitions,
        emissions_values,
        ("co2-per-person",),
    ),
    Source(
        "Census 2021 shares",
        CENSUS.format(table="*"),
        OGL,
        census_definitions,
        census_values,
        tuple(s.key for s in CENSUS_SHARES),
    ),
    Source(
        "ONS local indicators",
        ONS.format(name="*", ext="csv"),
        OGL,
        ons_definitions,
        ons_values,
        tuple(s.key for s in ONS_INDICATORS),
    ),
)


def definition_rows(context: Context):
    """Every source's indicators, numbered within their group in the order given here."""
    order: dict[str, int] = {}
    for source in SOURCES:
        definitions = source.definitions(context)
        if [d["key"] for d in definitions] != list(source.keys):
            raise ImportError_(f"{source.name}: the definitions do not match the declared keys")
        for definition in definitions:
            order[definition["group"]] = order.get(definition["group"], 0) + 1
            yield {**definition, "sort_order": order[definition["group"]] * 10}


def _value_rows(source: Source) -> Callable[[Context], Iterable[dict]]:
    def rows(context: Context):
        ids = dict(Indicator.objects.filter(key__in=source.keys).values_list("key", "id"))
        for value in source.values(context):
            yield {
                "organisation_id": value.organisation_id,
                "indicator_id": ids[value.key],
                "value": float(value.value),
                "period": value.period,
                "note": value.note[:300],
            }

    return rows


def _value_declaration(source: Source) -> Declaration:
    return Declaration(
        name=f"Indicator values: {source.name}",
        model=IndicatorValue,
        key=("organisation_id", "indicator_id"),
        rows=_value_rows(source),
        source=source.files,
        licence=source.licence,
        prune=True,
        scope=lambda: IndicatorValue.objects.filter(indicator__key__in=source.keys),
    )


DECLARATIONS = [
    Declaration(
        name="Indicator definitions",
        model=Indicator,
        key=("key",),
        rows=definition_rows,
        source="data/indicators/",
        licence="CC BY 4.0; OGL v3",
        prune=True,
    ),
    *(_value_declaration(source) for source in SOURCES),
]
