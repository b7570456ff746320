"""The partner finder's matching engine: rank every organisation that could share a service
with one organisation, and say why in words a councillor would use.

Pure Python and numpy, no Django. Build a `MatchingData` once from plain lists and dicts
(`build_matching_data`): it holds the feature matrices (locations, wider areas, z-scored
indicators, shared borders, shared history) and can be reused for any number of queries.
Then `find_partners(data, Query(...))` scores every candidate at once with numpy and
writes the reasons only for the ones it returns.

Each factor is a value from 0 to 1 with a weight and a sentence. The total score is the
weighted mean of the factors in use (a factor with weight 0 is not computed, so it cannot
change the ranking). A factor is "not used" for a query when the organisation itself has
nothing to compare (no location, no indicators, no contract date recorded, nobody has posted
for the service...): it would score every candidate the same, so it is left out of the mean
and reported in `Result.not_used` instead of quietly lowering every score.

Size is never scored: a very unequal pair is flagged as a risk (`Match.flags`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import combinations
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

# --- Vocabulary ------------------------------------------------------------------------

# Factor keys, in the order they are shown.
FACTORS = ("border", "distance", "areas", "similarity", "track_record", "joinable", "timing", "interest", "political")
# How many of the arrangements a match could be joined through are listed with it (with how many
# there are in all). At a million arrangements a council is in hundreds for one service: listing
# each, with its members, was most of the finder's answer and of its time.
JOINABLE_PER_MATCH = 5
FACTOR_LABELS = {
    "border": "Shared border",
    "distance": "Distance",
    "areas": "Same wider areas",
    "similarity": "Similar place",
    "track_record": "Track record together",
    "joinable": "Arrangements you could join",
    "timing": "Contract timing",
    "interest": "Interest on the matchmaking board",
    "political": "Political control (recorded by users)",
}
# Why these weights. The evidence (see DOMAIN.md) puts trust and a history of working
# together first, and "proximity creates opportunity": so geography (border 2, distance 1,
# same wider areas 1: four in all), track record (2) and an arrangement that can be joined
# rather than built (2) carry the most. Similar places can use the same processes and
# compare costs (2). Timing (a contract ending) and a willing partner (interest) are real
# but narrower signals (1 each). Same political control is reported as an advantage, but it
# is the users' record, it changes at every election and it is not the engine's place to
# steer by party: 0 unless a user turns it on. Track record weighs 3 since it became
# specific to the service (SERVICE_RELEVANCE): working together on the very service
# asked about is the strongest evidence there is, and other services' history is damped.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "border": 2.0,
        "distance": 1.0,
        "areas": 1.0,
        "similarity": 2.0,
        "track_record": 3.0,
        "joinable": 2.0,
        "timing": 1.0,
        "interest": 1.0,
        "political": 0.0,
    }
)

# Register type codes (organisations.models.OrganisationType).
UNITARY_LIKE_TYPES = frozenset({"UA", "MD", "LBO", "CC", "SCO", "WPA", "NID"})
PRINCIPAL_COUNCIL_TYPES = UNITARY_LIKE_TYPES | {"CTY", "NMD"}
# Service tier rules (services.models.ServiceTier): "" (not recorded) means any principal
# council; "all" also lets other bodies in (fire, police and NHS bodies share back-office
# services with councils).
TIER_RULES = ("county", "district", "all", "")

# Wider areas a council sits in. The first two are named in reasons.
AREA_KINDS = ("county", "combined", "fire", "police", "health")
AREA_WORDS = {
    "county": "county",
    "combined": "combined authority",
    "fire": "fire",
    "police": "police",
    "health": "health",
}
NAMED_AREA_KINDS = ("county", "combined")

# Arrangement statuses (arrangements.models.Status).
RUNNING_STATUSES = frozenset({"live", "under_review", "expanded"})
PREPARING_STATUSES = frozenset({"idea", "exploring", "business_case", "agreed", "implementing"})
ENDED = "ended"
DISAGGREGATED = "disaggregated"

# --- Scales (documented so the numbers can be argued with) -------------------------------

EARTH_RADIUS_KM = 6371.0088
# Border: any shared border is worth BORDER_FLOOR, and a longer one more, approaching 1
# (23 km gives 0.78, 60 km 0.97).
BORDER_FLOOR = 0.3
BORDER_KM_SCALE = 20.0
# Distance between centres: exp(-d / 60 km): 35 km gives 0.56, 150 km 0.08.
DISTANCE_KM_SCALE = 60.0
# Similarity: exp(-D²/2), D² the mean squared z-score gap, each group of indicators counting
# the same (see `similarity_scores`). Two places drawn at random are about 1.4 apart (a 37%
# match); 0.4 apart is a 92% match.
SIMILARITY_LEVELS = (
    (0.85, "A very similar place"),
    (0.65, "A similar place"),
    (0.4, "A somewhat similar place"),
    (0.0, "Not a very similar place"),
)
ALIKE_Z_GAP = 0.5  # an indicator is "alike" when the z-scores are within half a standard deviation
DISTINCT_Z = 0.5  # both above (below) this: "both high" ("both low")
# Track record: no history is neutral (TRACK_RECORD_NEUTRAL); evidence moves it up towards
# 1 or, for a service taken back in-house, down towards 0. A running arrangement counts 1,
# an ended one 0.6 and one in preparation 0.3, a disaggregated one -0.8; past ones fade with
# a half-life of 10 years, and an arrangement of many members (a national framework)
# counts for less than a pair: sqrt(4 / members) above 4 members.
TRACK_RECORD_NEUTRAL = 0.2
TRACK_RECORD_HALF_LIFE = 10.0
TRACK_RECORD_EVIDENCE = {"running": 1.0, ENDED: 0.6, "preparing": 0.3, DISAGGREGATED: -0.8}
TRACK_RECORD_SMALL_ARRANGEMENT = 4
# The service matters: evidence about the service asked for counts double, about another
# service in its category (when one LGSL service is asked for) one and a half times, and
# about any other service half. An arrangement's keys ("lgsl:524", "category:hr") say what
# it is about; a record without keys is not known to be about anything and counts 1.
SERVICE_RELEVANCE = {"service": 2.0, "category": 1.5, "other": 0.5}
# Reach for joining: an arrangement you could join is worth less the further its member is
# from you, exp(-d / 50 km) (14 km gives 0.76, 100 km 0.14, 300 km 0.002), unless it is a
# provider that sells to anyone (a trading company) and the query includes those.
JOIN_REACH_KM = 50.0
# Contract timing: end years within 2 years of the organisation's score 1, 0.9, 0.8; then
# 0.2 less for each further year.
TIMING_CLOSE_YEARS = 2
# Balance: flag a population ratio above this.
SIZE_RATIO_FLAG = 5.0
NO_OVERALL_CONTROL = "no overall control"


# --- Inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator used for similarity. `short` is the name used in reasons ("rural share");
    `log` takes the logarithm before z-scoring (for skewed figures such as density)."""

    key: str
    label: str
    group: str
    short: str = ""
    log: bool = False

    @property
    def words(self) -> str:
        return self.short or _lower_first(self.label)


@dataclass(frozen=True)
class SharedRecord:
    """One arrangement two organisations share or shared (any service)."""

    service: str  # e.g. "building control"
    start_year: int | None
    status: str  # arrangements.models.Status value
    end_year: int | None = None
    title: str = ""
    members: int | None = None  # organisations in the arrangement
    # Abolished councils through which this pair inherits the record: a new unitary
    # carries on its predecessor's arrangements ("through Buckinghamshire County Council").
    through: tuple[str, ...] = ()
    # What it is about: "lgsl:524", "category:hr" (see SERVICE_RELEVANCE).
    keys: tuple[str, ...] = ()
    # The arrangement it comes from when the history is given by arrangement (`track_record`
    # in build_matching_data), so that `refresh_track_record` can replace that arrangement's part.
    arrangement: int | None = None


@dataclass(frozen=True)
class ArrangementFact:
    """An arrangement for the queried service, with its members' codes."""

    id: int | str
    title: str
    members: tuple[str, ...]
    status: str = "live"
    trading: bool = False  # a provider that sells to anyone (a trading company, a legal practice)


class PoliticalControl(NamedTuple):
    control: str  # "Labour", "No overall control"
    as_of: str  # "2025-05"
    source: str


@dataclass(frozen=True)
class Query:
    """One search: for `organisation`, partners for one service (or service category).

    `weights` overrides DEFAULT_WEIGHTS key by key. `arrangements`, `contract_end_years`,
    `interest` and `political_control` are the facts about this service (and the users'
    records), gathered by the caller; or pass them prepared once as `facts`
    (`service_facts(...)`), which is faster when one service is queried many times. The
    organisation has posted on the matchmaking board when its own code is in `interest`.
    `year` is "now" for the track record's recency (default: this year).
    """

    organisation: str
    service_key: str = ""  # "lgsl:524" or "category:hr"
    service_label: str = ""
    category_key: str = ""  # "category:hr": the category of the service asked for
    include_trading: bool = False  # trading providers count as joinable whatever the distance
    # Types of body beyond the councils the tier rule allows that may be candidates too
    # (fire, police and NHS bodies for back-office services): register type codes.
    other_types: Collection[str] = ()
    tier_rule: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)
    max_distance_km: float | None = None
    nations: Collection[str] | None = None
    org_types: Collection[str] | None = None
    limit: int | None = 20
    arrangements: Sequence[ArrangementFact] = ()
    contract_end_years: Mapping[str, int] = field(default_factory=dict)
    interest: Mapping[str, str] = field(default_factory=dict)  # code -> its post's title, quoted in the reason
    political_control: Mapping[str, PoliticalControl] = field(default_factory=dict)
    facts: ServiceFacts | None = None
    year: int | None = None
    threads: int = 1  # for the similarity factor over many organisations (see similarity_scores)
    # Indicator groups' weights in the similarity ({"place": 2, "economy": 0}); 1 each by default.
    group_weights: Mapping[str, float] = field(default_factory=dict)


# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    value: float  # 0 to 1
    weight: float
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Flag:
    key: str  # "size", "mutual-interest"
    text: str


@dataclass(frozen=True)
class JoinableArrangement:
    id: int | str
    title: str
    status: str
    members: tuple[str, ...]  # codes, as given
    member_names: tuple[str, ...]
    trading: bool = False
    distance_km: float | None = None  # from the organisation to its nearest member (set per query)


@dataclass(frozen=True)
class Match:
    code: str
    name: str
    score: float  # 0 to 1: the weighted mean of `factors`
    factors: tuple[Factor, ...]
    flags: tuple[Flag, ...]
    distance_km: float | None
    joinable: tuple[JoinableArrangement, ...]  # the first JOINABLE_PER_MATCH, by title
    joinable_count: int  # how many there are in all

    @property
    def joinable_more(self) -> int:
        """How many are not listed with the match."""
        return self.joinable_count - len(self.joinable)

    def factor(self, key: str) -> Factor | None:
        return next((f for f in self.factors if f.key == key), None)


@dataclass(frozen=True)
class NotUsed:
    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class Result:
    organisation: str
    matches: tuple[Match, ...]
    joinable: tuple[JoinableArrangement, ...]  # running arrangements for the service it could join (top `limit`)
    joinable_count: int  # how many there are in all
    weights: Mapping[str, float]  # the factors used and their weights
    not_used: tuple[NotUsed, ...]
    notes: tuple[str, ...]
    candidates: int  # organisations ranked, after the tier rule and the filters


class UnknownOrganisation(LookupError):
    pass


# --- The cached data -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class MatchingData:
    """Everything the engine needs about N organisations, as parallel arrays (row i is
    organisation `codes[i]`). Built once by `build_matching_data`; read-only afterwards."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    index: Mapping[str, int]
    code_rank: np.ndarray  # position of each code in sorted order: the tie-break
    org_type: np.ndarray  # str
    tier: np.ndarray  # str: "county", "district", "unitary" or ""
    nation: np.ndarray  # str
    type_ids: np.ndarray  # int codes of org_type and nation, for fast filters
    nation_ids: np.ndarray
    type_vocab: Mapping[str, int]
    nation_vocab: Mapping[str, int]
    lat: np.ndarray  # float, NaN if unknown
    lon: np.ndarray
    population: np.ndarray  # float, NaN if unknown
    xyz: np.ndarray  # 3×N unit vectors of the centres (NaN if unknown)
    areas: np.ndarray  # len(AREA_KINDS)×N int32 area ids, -1 for none
    area_codes: tuple[str, ...]  # area id -> code
    area_names: tuple[str, ...]  # area id -> name
    area_words: tuple[str, ...]  # area id -> what its kind is called there, "" for the usual word
    eligible: Mapping[str, np.ndarray]  # tier rule -> bool mask
    # Indicators, columns ordered by group.
    indicators: tuple[IndicatorSpec, ...]
    groups: tuple[str, ...]
    group_bounds: tuple[tuple[int, int], ...]  # columns [start, end) of each group
    values: np.ndarray  # N×K raw values, NaN for missing
    features: np.ndarray  # 2K×N float32: the z-scores (0 where missing), then 1 where present, 0 where not
    column_weights: np.ndarray  # K float32: 1 / (indicators in its group), so each group weighs the same
    weighted_sumsq: np.ndarray  # N float32: sum over k of weight_k z_k²
    weighted_present: np.ndarray  # N float32: sum over k of weight_k [k known]
    present_count: np.ndarray  # N float32: indicators known
    # Shared borders, CSR: the neighbours of i are indices[indptr[i]:indptr[i + 1]].
    border_indptr: np.ndarray
    border_indices: np.ndarray
    border_km: np.ndarray
    # Shared history: i -> {j: records}, stored both ways.
    history: Mapping[int, Mapping[int, tuple[SharedRecord, ...]]]
    # Coverage: council row -> {body row: share of the council's area the body covers}
    # (fire, police and NHS bodies; see `coverage` in build_matching_data).
    coverage: Mapping[int, Mapping[int, float]] = field(default_factory=dict)
    # Why a body with no area of its own covers a council: council row -> {body row: basis},
    # a basis being ("served", who recorded it) or ("through", the row of its ICB or board).
    coverage_basis: Mapping[int, Mapping[int, tuple[str, Any]]] = field(default_factory=dict)
    # Bodies with no area of their own: candidates only for the councils they cover.
    arealess: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Arrangement id -> the rows its records pair in `history` (see `refresh_track_record`).
    track_record_rows: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<MatchingData: {self.size:,} organisations, {len(self.indicators)} indicators>"

    @property
    def size(self) -> int:
        return len(self.codes)

    @property
    def zt(self) -> np.ndarray:
        """K×N z-scores, 0 where missing."""
        return self.features[: len(self.indicators)]

    @property
    def present(self) -> np.ndarray:
        """K×N, 1 where the value is known."""
        return self.features[len(self.indicators) :]

    def borders_of(self, i: int) -> dict[int, float]:
        start, end = self.border_indptr[i], self.border_indptr[i + 1]
        return dict(zip(self.border_indices[start:end].tolist(), self.border_km[start:end].tolist(), strict=True))


def _tier_of(org_type: str, tier: str) -> str:
    if tier:
        return tier
    if org_type == "CTY":
        return "county"
    if org_type == "NMD":
        return "district"
    if org_type in UNITARY_LIKE_TYPES:
        return "unitary"
    return ""


def _float(value: Any) -> float:
    if value is None or value == "":
        return math.nan
    return float(value)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def build_matching_data(
    organisations: Iterable[Mapping[str, Any]],
    indicators: Sequence[IndicatorSpec | Mapping[str, Any]] = (),
    values: Mapping[str, Mapping[str, float]] | np.ndarray | None = None,
    borders: Iterable[tuple[str, str, float]] = (),
    history: Iterable[tuple[str, str, SharedRecord | tuple]] = (),
    area_names: Mapping[str, str] | None = None,
    area_words: Mapping[str, str] | None = None,
    coverage: Iterable[tuple[str, str, float]] = (),
    served: Iterable[tuple[str, str, str]] = (),
    through: Mapping[str, str] | None = None,
    track_record: Mapping[int, Iterable[tuple[str, str, SharedRecord | tuple]]] | None = None,
) -> MatchingData:
    """Build the feature matrices once.

    organisations: dicts with `code`, `name`, `org_type`, and optionally `tier`, `nation`,
        `lat`, `lon`, `population` and `areas` ({"county": code, "combined": code, "fire":
        code, "police": code, "health": code}). Pass current organisations only. Give a
        county council its own code as its county, so its districts share it.
    indicators: IndicatorSpec (or dicts with its fields).
    values: {organisation code: {indicator key: value}} (missing = not known), or an N×K
        array in the order of `organisations` and `indicators`, NaN for missing.
    borders: (code, code, km), either direction; pairs with unknown codes are skipped.
    history: (code, code, SharedRecord or its fields as a tuple); see `shared_history`.
    area_names: names of the wider areas by code (organisations' own names are used too).
    coverage: (council code, body code, share of the council's area inside the body's) for
        fire, police and NHS bodies. A body shares no border and no wider areas with a
        council it covers: for those councils, how much it covers stands in for the border
        and the shared areas, and the reasons say so ("Covers all of Herefordshire"). It has
        no place indicators of its own, so it is not compared on similarity.
    area_words: what to call an area whose kind has another name, by code: the Greater
        London Authority sits where a combined authority would ({"GLA": "strategic authority"}).
    served: (council code, body code, who recorded it) for a body with no area of its own
        (an NHS trust, marked `"arealess": True` in `organisations`): it covers all of each
        council it is recorded as serving ("Serves Herefordshire (recorded by ...)").
    through: {body code: code of its ICB or health board}: an area-less body also covers
        what its ICB or board covers, at the board's share ("Its ICB covers all of ...").
        An area-less body is a candidate only for the councils it covers either way.
    track_record: more history, by arrangement id: {id: its pairs, as in `history`}. Its
        records are kept after `history`'s, in order of arrangement id, and stamped with
        the id, so that `refresh_track_record` can later replace one arrangement's part
        without building everything again (the register changes far more often than the
        organisations do).
    """
    orgs = list(organisations)
    n = len(orgs)
    codes = tuple(str(o["code"]) for o in orgs)
    if len(set(codes)) != n:
        raise ValueError("organisation codes must be unique")
    index = {code: i for i, code in enumerate(codes)}
    names = tuple(str(o.get("name") or o["code"]) for o in orgs)
    org_type = np.array([str(o.get("org_type") or "") for o in orgs], dtype=object)
    tier = np.array([_tier_of(str(o.get("org_type") or ""), str(o.get("tier") or "")) for o in orgs], dtype=object)
    nation = np.array([str(o.get("nation") or "") for o in orgs], dtype=object)
    lat = np.array([_float(o.get("lat")) for o in orgs], dtype=float)
    lon = np.array([_float(o.get("lon")) for o in orgs], dtype=float)
    population = np.array([_float(o.get("population")) for o in orgs], dtype=float)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(np.array(codes, dtype=object), kind="stable")] = np.arange(n)

    la, lo = np.radians(lat), np.radians(lon)
    xyz = np.ascontiguousarray(np.vstack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]))

    names_by_code = dict(zip(codes, names, strict=True)) | dict(area_names or {})
    area_ids: dict[str, int] = {}
    areas = np.full((len(AREA_KINDS), n), -1, dtype=np.int32)
    for i, o in enumerate(orgs):
        for k, kind in enumerate(AREA_KINDS):
            code = (o.get("areas") or {}).get(kind)
            if code:
                areas[k, i] = area_ids.setdefault(str(code), len(area_ids))
    area_codes = tuple(area_ids)

    type_vocab = {t: v for v, t in enumerate(sorted(set(org_type)))}
    nation_vocab = {t: v for v, t in enumerate(sorted(set(nation)))}
    type_ids = np.array([type_vocab[t] for t in org_type], dtype=np.int32)
    nation_ids = np.array([nation_vocab[t] for t in nation], dtype=np.int32)

    principal = np.isin(org_type, list(PRINCIPAL_COUNCIL_TYPES))
    eligible = {
        "district": principal & np.isin(tier, ["district", "unitary"]),
        "county": principal & np.isin(tier, ["county", "unitary"]),
        "": principal,
        "all": np.ones(n, dtype=bool),
    }

    specs, raw = _indicator_matrix(indicators, values, codes)
    groups, bounds, specs, raw = _order_by_group(specs, raw)
    features, column_weights, weighted_sumsq, weighted_present, present_count = _z_scores(raw, bounds)
    kept = _track_record_pairs(track_record, index)

    indptr, indices, km = _border_csr(borders, index)
    arealess = np.array([bool(o.get("arealess")) for o in orgs], dtype=bool)
    cover = _coverage_index(coverage, index)
    basis = _arealess_coverage(cover, served, through or {}, index, arealess)
    return MatchingData(
        codes=codes,
        names=names,
        index=index,
        code_rank=_readonly(rank),
        org_type=_readonly(org_type),
        tier=_readonly(tier),
        nation=_readonly(nation),
        type_ids=_readonly(type_ids),
        nation_ids=_readonly(nation_ids),
        type_vocab=type_vocab,
        nation_vocab=nation_vocab,
        lat=_readonly(lat),
        lon=_readonly(lon),
        population=_readonly(population),
        xyz=_readonly(xyz),
        areas=_readonly(areas),
        area_codes=area_codes,
        area_names=tuple(names_by_code.get(c, c) for c in area_codes),
        area_words=tuple((area_words or {}).get(c, "") for c in area_codes),
        eligible={k: _readonly(v) for k, v in eligible.items()},
        indicators=specs,
        groups=groups,
        group_bounds=bounds,
        values=_readonly(raw),
        features=_readonly(features),
        column_weights=_readonly(column_weights),
        weighted_sumsq=_readonly(weighted_sumsq),
        weighted_present=_readonly(weighted_present),
        present_count=_readonly(present_count),
        border_indptr=_readonly(indptr),
        border_indices=_readonly(indices),
        border_km=_readonly(km),
        history=_history_index(history, index, kept),
        coverage=cover,
        coverage_basis=basis,
        arealess=_readonly(arealess),
        track_record_rows=_track_record_rows(kept),
    )


def refresh_track_record(
    data: MatchingData, changed: Mapping[int, Iterable[tuple[str, str, SharedRecord | tuple]]]
) -> MatchingData:
    """`data` with the track record of the arrangements in `changed` replaced by their new
    pairs (as `track_record` in build_matching_data; none for an arrangement deleted, no
    longer published or left with one partner). The same as building again with the new
    track record, but only the rows of those arrangements' old and new partners are
    touched; `data` itself is left as it was (a query may still be reading it)."""
    fresh = _track_record_pairs(changed, data.index)
    gone = set(changed)
    rows = {a: r for a, r in data.track_record_rows.items() if a not in gone}
    touched = {i for a in gone for i in data.track_record_rows.get(a, ())}
    added = _track_record_rows(fresh)
    rows.update(added)
    touched.update(i for r in added.values() for i in r)
    adds: dict[int, dict[int, list[SharedRecord]]] = {}
    for a in sorted(fresh):
        for i, j, record in fresh[a]:
            adds.setdefault(i, {}).setdefault(j, []).append(record)
            adds.setdefault(j, {}).setdefault(i, []).append(record)
    history = dict(data.history)
    for i in touched:
        old, new = history.get(i, {}), adds.get(i, {})
        partners: dict[int, tuple[SharedRecord, ...]] = {}
        for j in old.keys() | new.keys():
            records = [r for r in old.get(j, ()) if r.arrangement not in gone] + new.get(j, [])
            if records:
                # As a full build orders them: records given without an arrangement first,
                # then by arrangement id (a stable sort keeps each arrangement's own order).
                partners[j] = tuple(sorted(records, key=_record_order))
        if partners:
            history[i] = partners
        else:
            history.pop(i, None)
    return replace(data, history=history, track_record_rows=rows)


def _record_order(record: SharedRecord) -> tuple[bool, int]:
    return (record.arrangement is not None, record.arrangement or 0)


def _track_record_pairs(track_record, index) -> dict[int, list[tuple[int, int, SharedRecord]]]:
    """Arrangement id -> its pairs as rows, each record stamped with the id (in id order)."""
    found: dict[int, list[tuple[int, int, SharedRecord]]] = {}
    for a in sorted(track_record or {}):
        pairs = []
        for code_a, code_b, record in track_record[a]:
            i, j = index.get(code_a), index.get(code_b)
            if i is None or j is None or i == j:
                continue
            if not isinstance(record, SharedRecord):
                record = SharedRecord(*record)
            pairs.append((i, j, record if record.arrangement == a else replace(record, arrangement=a)))
        if pairs:
            found[a] = pairs
    return found


def _track_record_rows(pairs) -> dict[int, tuple[int, ...]]:
    return {a: tuple(sorted({k for i, j, _ in found for k in (i, j)})) for a, found in pairs.items()}


def _indicator_matrix(indicators, values, codes) -> tuple[tuple[IndicatorSpec, ...], np.ndarray]:
    specs = tuple(s if isinstance(s, IndicatorSpec) else IndicatorSpec(**s) for s in indicators)
    if len({s.key for s in specs}) != len(specs):
        raise ValueError("indicator keys must be unique")
    n, k = len(codes), len(specs)
    if values is None:
        raw = np.full((n, k), np.nan)
    elif isinstance(values, np.ndarray):
        if values.shape != (n, k):
            raise ValueError(f"values must be {n}×{k}, one row per organisation and one column per indicator")
        raw = np.array(values, dtype=float)
    else:
        raw = np.full((n, k), np.nan)
        column = {s.key: j for j, s in enumerate(specs)}
        row = {code: i for i, code in enumerate(codes)}
        for code, by_key in values.items():
            i = row.get(code)
            if i is None:
                continue
            for key, value in by_key.items():
                j = column.get(key)
                if j is not None and value is not None:
                    raw[i, j] = float(value)
    raw[~np.isfinite(raw)] = np.nan
    for j, spec in enumerate(specs):
        if spec.log:
            with np.errstate(divide="ignore", invalid="ignore"):
                raw[:, j] = np.where(raw[:, j] > 0, np.log(raw[:, j]), np.nan)
    return specs, raw


def _order_by_group(specs, raw):
    """Put each group's columns together, groups in order of first appearance."""
    groups = tuple(dict.fromkeys(s.group for s in specs))
    order = sorted(range(len(specs)), key=lambda j: (groups.index(specs[j].group), j))
    specs = tuple(specs[j] for j in order)
    raw = raw[:, order] if order else raw
    bounds, start = [], 0
    for g in groups:
        end = start + sum(1 for s in specs if s.group == g)
        bounds.append((start, end))
        start = end
    return groups, tuple(bounds), specs, raw


def _z_scores(raw, bounds) -> tuple[np.ndarray, ...]:
    """Column z-scores ignoring missing values, and the per-organisation sums the
    similarity step needs. A column that does not vary says nothing about similarity, so
    it counts as missing everywhere."""
    present = np.isfinite(raw)
    counts = present.sum(axis=0)
    filled = np.where(present, raw, 0.0)
    mean = filled.sum(axis=0) / np.maximum(counts, 1)
    var = (np.where(present, raw - mean, 0.0) ** 2).sum(axis=0) / np.maximum(counts, 1)
    std = np.sqrt(var)
    useful = (counts >= 2) & (std > 1e-12 * np.maximum(1.0, np.abs(mean)))
    present &= useful
    z = np.where(present, (filled - mean) / np.where(useful, std, 1.0), 0.0)
    weights = np.zeros(raw.shape[1])
    for a, b in bounds:
        weights[a:b] = useful[a:b] / max(1, useful[a:b].sum())
    # float32 halves the memory read per query; the z-scores need no more precision.
    features = np.ascontiguousarray(np.vstack([z.T, present.T]), dtype=np.float32)
    z = features[: raw.shape[1]].T.astype(float)
    f32 = np.float32
    return (
        features,
        weights.astype(f32),
        ((z**2) @ weights).astype(f32),
        (present @ weights).astype(f32),
        present.sum(axis=1).astype(f32),
    )


def _border_csr(borders, index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs: dict[tuple[int, int], float] = {}
    for a, b, km in borders:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            continue
        km = max(0.0, float(km or 0.0))
        for key in ((i, j), (j, i)):
            pairs[key] = max(km, pairs.get(key, 0.0))
    n = len(index)
    if not pairs:
        return np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    ij = np.array(list(pairs), dtype=np.int64)
    km = np.fromiter(pairs.values(), dtype=float, count=len(pairs))
    order = np.lexsort((ij[:, 1], ij[:, 0]))
    ij, km = ij[order], km[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ij[:, 0], minlength=n), out=indptr[1:])
    return indptr, np.ascontiguousarray(ij[:, 1]), km


def _history_index(history, index, kept=None) -> dict[int, dict[int, tuple[SharedRecord, ...]]]:
    """i -> {j: records}, both ways: `history`'s records, then `kept`'s (by arrangement id)."""
    by_pair: dict[int, dict[int, list[SharedRecord]]] = {}
    for a, b, record in history:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j:
            continue
        if not isinstance(record, SharedRecord):
            record = SharedRecord(*record)
        by_pair.setdefault(i, {}).setdefault(j, []).append(record)
        by_pair.setdefault(j, {}).setdefault(i, []).append(record)
    for pairs in (kept or {}).values():
        for i, j, record in pairs:
            by_pair.setdefault(i, {}).setdefault(j, []).append(record)
            by_pair.setdefault(j, {}).setdefault(i, []).append(record)
    return {i: {j: tuple(records) for j, records in partners.items()} for i, partners in by_pair.items()}


def _coverage_index(coverage, index) -> dict[int, dict[int, float]]:
    found: dict[int, dict[int, float]] = {}
    for council, body, share in coverage:
        i, j = index.get(council), index.get(body)
        if i is None or j is None or i == j:
            continue
        share = min(1.0, max(0.0, float(share or 0.0)))
        found.setdefault(i, {})[j] = max(share, found.get(i, {}).get(j, 0.0))
    return found


def _arealess_coverage(cover, served, through, index, arealess) -> dict[int, dict[int, tuple[str, Any]]]:
    """Add the coverage of area-less bodies to `cover` (in place) and say why for each."""
    basis: dict[int, dict[int, tuple[str, Any]]] = {}
    for body, board in through.items():
        j, b = index.get(body), index.get(board)
        if j is None or b is None or not arealess[j]:
            continue
        for i, by_body in cover.items():
            share = by_body.get(b)
            if share is not None and i != j and share > by_body.get(j, -1.0):
                by_body[j] = share
                basis.setdefault(i, {})[j] = ("through", b)
    for council, body, recorded_as in served:
        i, j = index.get(council), index.get(body)
        if i is None or j is None or i == j or not arealess[j]:
            continue
        cover.setdefault(i, {})[j] = 1.0
        basis.setdefault(i, {})[j] = ("served", str(recorded_as))
    return basis


def shared_history(arrangements: Iterable[tuple[Sequence[str], SharedRecord]]) -> list[tuple[str, str, SharedRecord]]:
    """Pairs for `build_matching_data(history=...)` from (member codes, record) per
    arrangement: every pair of members, with the member count filled in."""
    pairs: list[tuple[str, str, SharedRecord]] = []
    for codes, record in arrangements:
        members = sorted(set(codes))
        if record.members is None:
            record = replace(record, members=len(members))
        pairs.extend((a, b, record) for a, b in combinations(members, 2))
    return pairs


# --- Vectorised factors (every organisation at once) ---------------------------------------


def distances_km(data: MatchingData, i: int) -> np.ndarray:
    """Great-circle distance from organisation i's centre to every centre (NaN if unknown).
    The chord between unit vectors gives the same distance as the haversine formula."""
    chord2 = 2 - 2 * (data.xyz[:, i] @ data.xyz)  # |a - b|² for unit vectors; metre precision
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(np.maximum(chord2, 0)) / 2))


def group_column_weights(data: MatchingData, group_weights: Mapping[str, float] | None) -> np.ndarray | None:
    """Column weights with each indicator group's weight applied (a group's weight
    multiplies its columns' 1 / (indicators in the group)); None if every group weighs 1."""
    if not group_weights or all(float(group_weights.get(g, 1.0)) == 1.0 for g in data.groups):
        return None
    w = data.column_weights.astype(np.float32).copy()
    for g, (a, b) in enumerate(data.group_bounds):
        factor = float(group_weights.get(data.groups[g], 1.0))
        if not math.isfinite(factor) or factor < 0:
            raise ValueError(f"the weight of the indicator group {data.groups[g]!r} must be a number 0 or more")
        w[a:b] *= factor
    return w


def similarity_scores(
    data: MatchingData,
    organisation: str | int,
    threads: int = 1,
    group_weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    """How similar every organisation is to this one, 0 to 1 (0 where nothing compares).

    Indicators are z-scored. The composite distance D² is the weighted mean of the squared
    z-score gaps over the indicators both have, each indicator weighing 1 / (indicators in
    its group): with everything known, each group (people, place, deprivation, economy)
    counts the same, as in ONS's similar areas and mySociety's similar councils. The match
    is exp(-D²/2), times the share of this organisation's indicators the other also has (a
    place known on 3 of 20 indicators cannot be a 95% match). Also useful on its own
    ("similar councils").

    Over the indicators i has, the sum of w_k (z_ck - z_ik)² [c has k] expands to
    sum w_k z_ck² - 2 sum w_k z_ik z_ck + sum w_k z_ik² [c has k]: the first is kept per
    organisation, the rest is one vector-matrix product over the z-scores and the presence
    mask stacked together: a single pass over the data, whatever is missing.

    `group_weights` ({"place": 2}) multiply a group's share of the distance (default 1
    each): the similarity emphasis by service (SERVICE_GROUP_EMPHASIS), or the user's.

    `threads` > 1 splits the organisations into that many slices worked on at once (numpy
    lets go of the GIL): at 100,000 organisations two threads took 0.6 ms where one took
    0.9 ms for the product. The default is one, as a web server's workers share the cores.
    """
    i = organisation if isinstance(organisation, int | np.integer) else _index(data, organisation)
    mine = data.present[:, i] > 0
    if not mine.any():
        return np.zeros(data.size)
    custom = group_column_weights(data, group_weights)
    w = data.column_weights if custom is None else custom
    if custom is None:
        sums = (data.weighted_sumsq, data.weighted_present)
    else:  # one pass over the z-scores and the presence mask, as the product below
        sums = (
            np.einsum("k,kn->n", custom, data.zt * data.zt).astype(np.float32),
            np.einsum("k,kn->n", custom, data.present).astype(np.float32),
        )
    z = np.where(mine, data.zt[:, i], 0).astype(np.float32)
    coefficients = np.concatenate([-2 * w * z, w * z * z])
    lacking = [j for j in np.flatnonzero(~mine) if w[j] > 0]  # what i lacks counts for nobody
    match = np.empty(data.size)
    bounds = np.linspace(0, data.size, max(1, min(threads, data.size // SIMILARITY_SLICE_MIN)) + 1).astype(int)
    slices = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    args = (data, coefficients, lacking, int(mine.sum()), match, w, sums)
    if len(slices) == 1:
        _similarity_slice(*args, slices[0])
    else:
        pending = [_thread_pool(len(slices) - 1).submit(_similarity_slice, *args, part) for part in slices[1:]]
        _similarity_slice(*args, slices[0])
        for future in pending:
            future.result()
    return match


def _similarity_slice(
    data: MatchingData,
    coefficients: np.ndarray,
    lacking: list[int],
    known_by_i: int,
    out: np.ndarray,
    w: np.ndarray,
    sums: tuple[np.ndarray, np.ndarray],
    part: slice,
) -> None:
    """`similarity_scores` for the organisations in `part`, written into `out[part]`."""
    # einsum rather than BLAS: as fast on one core, and BLAS's own threads made the p95
    # eight times the median here (they spin and wake), where a slice per thread does not.
    total = np.einsum("k,kn->n", coefficients, data.features[:, part])
    total += sums[0][part]
    weight, known = sums[1][part], data.present_count[part]
    for j in lacking:
        total -= w[j] * data.zt[j, part] ** 2
        weight = weight - w[j] * data.present[j, part]
        known = known - data.present[j, part]
    np.maximum(total, 0, out=total)
    total /= np.maximum(weight, 1e-6)  # nothing in common: known is 0, so the match is 0
    total *= -0.5
    np.exp(total, out=total)
    match = out[part]
    match[:] = total  # the share of indicators in common is exact, in float64
    match *= known
    match /= known_by_i


# Fewer organisations than this per thread are not worth a thread's hand-over.
SIMILARITY_SLICE_MIN = 10_000


@functools.cache
def _thread_pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(workers, thread_name_prefix="similarity")


def _border_values(data: MatchingData, i: int) -> np.ndarray:
    values = np.zeros(data.size)
    start, end = data.border_indptr[i], data.border_indptr[i + 1]
    km = data.border_km[start:end]
    values[data.border_indices[start:end]] = BORDER_FLOOR + (1 - BORDER_FLOOR) * (1 - np.exp(-km / BORDER_KM_SCALE))
    return values


def _with_coverage(data: MatchingData, i: int, values: np.ndarray) -> np.ndarray:
    """A body that covers part of the organisation's area scores at least that share."""
    covered = data.coverage.get(i)
    if covered:
        rows = np.fromiter(covered, dtype=np.int64, count=len(covered))
        values[rows] = np.maximum(values[rows], np.fromiter(covered.values(), dtype=float, count=len(covered)))
    return values


def _coverage_words(ctx: _Context, j: int) -> str | None:
    """ "Covers all of Herefordshire", or None if j does not cover the organisation."""
    share = ctx.data.coverage.get(ctx.i, {}).get(j)
    if share is None:
        return None
    name = ctx.data.names[ctx.i]
    basis = ctx.data.coverage_basis.get(ctx.i, {}).get(j)
    if basis and basis[0] == "served":
        return f"Serves {name} (recorded by {basis[1]})"
    if basis:
        board = int(basis[1])
        kind = "ICB" if ctx.data.org_type[board] == "ICB" else "health board"
        return f"Its {kind} ({ctx.data.names[board]}) {_lower_first(_share_words(name, share))}"
    return _share_words(name, share)


def _share_words(name: str, share: float) -> str:
    if share >= 0.995:
        return f"Covers all of {name}"
    if share >= 0.5:
        return f"Covers most of {name} ({share:.0%} of its area)"
    return f"Covers part of {name} ({share:.0%} of its area)"


def _area_values(data: MatchingData, i: int) -> np.ndarray | None:
    kinds = np.flatnonzero(data.areas[:, i] >= 0)
    if not len(kinds):
        return None
    same = np.zeros(data.size)
    for k in kinds:
        same += data.areas[k] == data.areas[k, i]
    return same / len(kinds)


def relevance(record: SharedRecord, service_key: str = "", category_key: str = "") -> float:
    """How much a record says about the service asked for (SERVICE_RELEVANCE)."""
    if not record.keys or (not service_key and not category_key):
        return 1.0
    if service_key and service_key in record.keys:
        return SERVICE_RELEVANCE["service"]
    if category_key and category_key in record.keys:
        return SERVICE_RELEVANCE["service" if category_key == service_key else "category"]
    return SERVICE_RELEVANCE["other"]


def _track_record_value(
    records: Sequence[SharedRecord], year: int, service_key: str = "", category_key: str = ""
) -> float:
    evidence = 0.0
    for r in records:
        evidence += _evidence(r, year) * relevance(r, service_key, category_key)
    if evidence >= 0:
        return TRACK_RECORD_NEUTRAL + (1 - TRACK_RECORD_NEUTRAL) * (1 - math.exp(-evidence))
    return TRACK_RECORD_NEUTRAL * math.exp(evidence)


def _status_kind(status: str) -> str:
    if status in RUNNING_STATUSES:
        return "running"
    if status in PREPARING_STATUSES:
        return "preparing"
    return status


def _evidence(record: SharedRecord, year: int) -> float:
    kind = _status_kind(record.status)
    base = TRACK_RECORD_EVIDENCE.get(kind, 0.0)
    if kind in (ENDED, DISAGGREGATED):
        when = record.end_year or record.start_year
        base *= 0.5 if when is None else 0.5 ** (max(0, year - when) / TRACK_RECORD_HALF_LIFE)
    if record.members and record.members > TRACK_RECORD_SMALL_ARRANGEMENT:
        base *= math.sqrt(TRACK_RECORD_SMALL_ARRANGEMENT / record.members)
    return base


def _track_record_values(
    data: MatchingData, i: int, year: int, service_key: str = "", category_key: str = ""
) -> np.ndarray:
    values = np.full(data.size, TRACK_RECORD_NEUTRAL)
    for j, records in data.history.get(i, {}).items():
        values[j] = _track_record_value(records, year, service_key, category_key)
    return values


# One running arrangement to join is worth 0.8, two 0.96: 1 - 0.2 ** n.
_JOINABLE_VALUES = 1 - 0.2 ** np.arange(12)


def _timing_value(gap: np.ndarray) -> np.ndarray:
    gap = np.abs(gap)
    return np.clip(np.where(gap <= TIMING_CLOSE_YEARS, 1 - 0.1 * gap, 0.8 - 0.2 * (gap - TIMING_CLOSE_YEARS)), 0, 1)


# --- The query -------------------------------------------------------------------------------


def _index(data: MatchingData, code: str) -> int:
    try:
        return data.index[code]
    except KeyError:
        raise UnknownOrganisation(code) from None


def effective_weights(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """DEFAULT_WEIGHTS with `overrides` applied; rejects unknown factors and bad numbers."""
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (overrides or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown factor {key!r}: the factors are {', '.join(FACTORS)}")
        value = float(value)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"the weight of {key!r} must be a number 0 or more")
        weights[key] = value
    return weights


@dataclass(frozen=True, eq=False, repr=False)
class ServiceFacts:
    """The facts about one service as arrays over MatchingData's rows, prepared once by
    `service_facts` and reusable for every query about that service."""

    arrangements: tuple[JoinableArrangement, ...]  # running arrangements with a member in the data
    member_indptr: np.ndarray  # CSR: the member rows of arrangement a are members[member_indptr[a]:...[a + 1]]
    members: np.ndarray
    member_of: np.ndarray  # the arrangement of each entry of `members`
    title_rank: np.ndarray  # each arrangement's place in order of title: the tie-break of the list
    trading: np.ndarray  # bool per arrangement: a provider that sells to anyone
    end_year: np.ndarray  # float, NaN where not recorded
    posts: Mapping[int, str]  # row -> the title of its post on the matchmaking board
    posted: np.ndarray  # bool
    control: np.ndarray  # int id of the recorded political control, -1 where none
    control_records: Mapping[int, PoliticalControl]
    no_overall_control: int  # the id of "no overall control", -1 if nobody has it

    def __repr__(self) -> str:
        return f"<ServiceFacts: {len(self.arrangements)} running arrangements, {len(self.posts)} posts>"


def service_facts(
    data: MatchingData,
    arrangements: Iterable[ArrangementFact | tuple] = (),
    contract_end_years: Mapping[str, int] | None = None,
    interest: Mapping[str, str] | None = None,
    political_control: Mapping[str, PoliticalControl | tuple] | None = None,
) -> ServiceFacts:
    """Prepare the facts about one service (see `Query`). Codes not in `data` are ignored;
    arrangements that are not running (live, under review or expanded) cannot be joined
    and are left out."""
    index, n = data.index, data.size
    running, rows = [], []
    for fact in arrangements:
        fact = fact if isinstance(fact, ArrangementFact) else ArrangementFact(*fact)
        members = list(dict.fromkeys(index[c] for c in fact.members if c in index))
        if fact.status not in RUNNING_STATUSES or not members:
            continue
        names = tuple(data.names[index[c]] if c in index else c for c in fact.members)
        running.append(JoinableArrangement(fact.id, fact.title, fact.status, tuple(fact.members), names, fact.trading))
        rows.append(members)
    sizes = np.array([len(r) for r in rows], dtype=np.int64)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    members_array = np.array([j for r in rows for j in r], dtype=np.int64)
    by_title = sorted(range(len(running)), key=lambda a: (running[a].title, str(running[a].id)))
    title_rank = np.empty(len(running), dtype=np.int64)
    title_rank[by_title] = np.arange(len(running))

    end_year = np.full(n, np.nan)
    for code, year in (contract_end_years or {}).items():
        if code in index and year is not None:
            end_year[index[code]] = int(year)
    posts = {index[c]: str(text or "") for c, text in (interest or {}).items() if c in index}
    posted = np.zeros(n, dtype=bool)
    posted[list(posts)] = True
    records = {index[c]: PoliticalControl(*p) for c, p in (political_control or {}).items() if c in index}
    labels: dict[str, int] = {}
    control = np.full(n, -1, dtype=np.int64)
    for j, p in records.items():
        control[j] = labels.setdefault(p.control.strip().lower(), len(labels))
    return ServiceFacts(
        arrangements=tuple(running),
        member_indptr=indptr,
        members=members_array,
        member_of=np.repeat(np.arange(len(rows)), sizes),
        title_rank=title_rank,
        trading=np.array([a.trading for a in running], dtype=bool),
        end_year=end_year,
        posts=posts,
        posted=posted,
        control=control,
        control_records=records,
        no_overall_control=labels.get(NO_OVERALL_CONTROL, -1),
    )


@dataclass
class _Context:
    """What the reasons need, worked out once per query."""

    data: MatchingData
    query: Query
    facts: ServiceFacts
    i: int
    year: int
    service: str
    distances: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)
    borders: dict[int, float] = field(default_factory=dict)
    joinable: np.ndarray | None = None  # bool per arrangement: running, and i is not in it
    joinable_by_match: dict[int, tuple[tuple[JoinableArrangement, ...], int, bool]] = field(default_factory=dict)


def find_partners(data: MatchingData, query: Query) -> Result:
    """Rank every eligible organisation for `query`; reasons for the top `query.limit`."""
    if query.tier_rule not in TIER_RULES:
        raise ValueError(f"unknown tier rule {query.tier_rule!r}: use one of {TIER_RULES}")
    if query.limit is not None and query.limit < 0:
        raise ValueError("limit must be 0 or more")
    i = _index(data, query.organisation)
    weights = effective_weights(query.weights)
    for group, value in (query.group_weights or {}).items():
        if not math.isfinite(float(value)) or float(value) < 0:
            raise ValueError(f"the weight of the indicator group {group!r} must be a number 0 or more")
    facts = query.facts
    if facts is None:
        facts = service_facts(
            data, query.arrangements, query.contract_end_years, query.interest, query.political_control
        )
    elif query.arrangements or query.contract_end_years or query.interest or query.political_control:
        raise ValueError("give the service's facts either prepared (facts) or as they are, not both")
    year = query.year or dt.date.today().year
    ctx = _Context(data, query, facts, i, year, query.service_label.strip(), distances_km(data, i))
    notes: list[str] = []

    # Who can be a candidate.
    mask = data.eligible[query.tier_rule].copy()
    if query.other_types:
        mask |= np.isin(data.type_ids, [data.type_vocab[x] for x in query.other_types if x in data.type_vocab])
    if data.arealess.any():
        covered = np.zeros(data.size, dtype=bool)
        covered[list(data.coverage.get(i, {}))] = True
        mask &= ~data.arealess | covered
    mask[i] = False
    if query.nations is not None:
        mask &= np.isin(data.nation_ids, [data.nation_vocab[x] for x in query.nations if x in data.nation_vocab])
    if query.org_types is not None:
        mask &= np.isin(data.type_ids, [data.type_vocab[x] for x in query.org_types if x in data.type_vocab])
    if query.max_distance_km is not None:
        if math.isnan(ctx.distances[i]):
            notes.append("The distance filter was not applied: your location is not recorded.")
        else:
            mask &= ctx.distances <= query.max_distance_km  # an unknown distance fails

    not_used: list[NotUsed] = []
    for key in FACTORS:
        if weights[key] <= 0:
            continue
        values, why_not = _factor(ctx, key)
        if values is None:
            not_used.append(NotUsed(key, FACTOR_LABELS[key], why_not))
        else:
            ctx.values[key] = values

    used = {key: weights[key] for key in ctx.values}
    total = sum(used.values())
    score = np.zeros(data.size)
    for key, values in ctx.values.items():
        score += used[key] * values
    if total > 0:
        score /= total

    candidates = np.flatnonzero(mask)
    top = _top(score, candidates, data.code_rank, query.limit)
    matches = tuple(_match(ctx, j, float(score[j]), used) for j in top)
    joinable, joinable_count = _joinable_list(ctx, score, query.limit)
    return Result(
        organisation=query.organisation,
        matches=matches,
        joinable=joinable,
        joinable_count=joinable_count,
        weights=used,
        not_used=tuple(not_used),
        notes=tuple(notes),
        candidates=len(candidates),
    )


def _top(score: np.ndarray, candidates: np.ndarray, code_rank: np.ndarray, limit: int | None) -> np.ndarray:
    """The best `limit` candidates, score descending then code: deterministic."""
    if limit is not None and limit < len(candidates):
        if limit == 0:
            return candidates[:0]
        s = score[candidates]
        threshold = s[np.argpartition(-s, limit - 1)[:limit]].min()
        candidates = candidates[s >= threshold]  # keeps every tie at the threshold
    order = np.lexsort((code_rank[candidates], -score[candidates]))
    return candidates[order][:limit]


def _factor(ctx: _Context, key: str) -> tuple[np.ndarray | None, str]:
    data, facts, i = ctx.data, ctx.facts, ctx.i
    service = ctx.service or "this service"
    if key == "border":
        ctx.borders = data.borders_of(i)
        return _with_coverage(data, i, _border_values(data, i)), ""
    if key == "distance":
        if np.isnan(ctx.distances[i]):
            return None, "Your location is not recorded."
        return np.exp(-np.nan_to_num(ctx.distances, nan=np.inf) / DISTANCE_KM_SCALE), ""
    if key == "areas":
        values = _area_values(data, i)
        if values is None:
            return None, "Your county, fire, police and health areas are not recorded."
        return _with_coverage(data, i, values), ""
    if key == "similarity":
        if not data.present[:, i].any():
            return None, "None of your indicators are recorded."
        custom = group_column_weights(data, ctx.query.group_weights)
        if custom is not None and not (custom * data.present[:, i]).any():
            return None, "Every indicator group you have figures for has weight 0."
        return similarity_scores(data, i, ctx.query.threads, ctx.query.group_weights), ""
    if key == "track_record":
        return _track_record_values(data, i, ctx.year, ctx.query.service_key, ctx.query.category_key), ""
    if key == "joinable":
        joinable = _joinable_mask(ctx)[facts.member_of]
        counts = np.bincount(facts.members, weights=joinable, minlength=data.size)
        counts[i] = 0
        if not counts.any():
            return None, f"No live arrangements for {service} that you could join are recorded."
        values = _JOINABLE_VALUES[np.minimum(counts, len(_JOINABLE_VALUES) - 1).astype(np.int64)]
        # Reach: scaled by the member's distance from you, unless it sells to anyone and
        # the query includes trading providers.
        # (Without a location of your own, reach cannot be judged and is not applied.)
        reach = (
            np.ones(data.size)
            if np.isnan(ctx.distances[i])
            else np.exp(-np.nan_to_num(ctx.distances, nan=np.inf) / JOIN_REACH_KM)
        )
        if ctx.query.include_trading and facts.trading.any():
            trading = np.bincount(facts.members, weights=joinable & facts.trading[facts.member_of], minlength=data.size)
            reach = np.where(trading > 0, 1.0, reach)
        return values * reach, ""
    if key == "timing":
        mine = facts.end_year[i]
        if np.isnan(mine):
            return None, f"Your contract end date for {service} is not recorded."
        gap = np.nan_to_num(facts.end_year - mine, nan=np.inf)
        return _timing_value(gap), ""
    if key == "interest":
        values = facts.posted.astype(float)
        values[i] = 0.0
        if not values.any():
            return None, f"Nobody else has posted on the matchmaking board for {service}."
        return values, ""
    if key == "political":
        mine = facts.control[i]
        if mine < 0:
            return None, "Your political control is not recorded."
        same = (facts.control == mine).astype(float)
        return same * (0.5 if mine == facts.no_overall_control else 1.0), ""
    raise AssertionError(key)


def _joinable_mask(ctx: _Context) -> np.ndarray:
    """Per arrangement: can the organisation join it (it is not already in it)?"""
    if ctx.joinable is None:
        facts = ctx.facts
        ctx.joinable = np.ones(len(facts.arrangements), dtype=bool)
        ctx.joinable[facts.member_of[facts.members == ctx.i]] = False
    return ctx.joinable


def _joinable_of(ctx: _Context, j: int) -> tuple[tuple[JoinableArrangement, ...], int, bool]:
    """The arrangements the organisation could join through `j`: the first JOINABLE_PER_MATCH
    by title, with their distances, how many there are in all and whether any is a trading
    provider (worked out once a match)."""
    if j in ctx.joinable_by_match:
        return ctx.joinable_by_match[j]
    facts = ctx.facts
    if not len(facts.members):
        return (), 0, False
    joinable = _joinable_mask(ctx)
    theirs = facts.member_of[facts.members == j]
    theirs = theirs[joinable[theirs]]
    first = theirs[np.argsort(facts.title_rank[theirs], kind="stable")[:JOINABLE_PER_MATCH]]
    answer = tuple(_with_distance(ctx, a) for a in first.tolist()), len(theirs), bool(facts.trading[theirs].any())
    ctx.joinable_by_match[j] = answer
    return answer


def _with_distance(ctx: _Context, a: int) -> JoinableArrangement:
    """The arrangement with the distance from the organisation to its nearest member."""
    facts = ctx.facts
    rows = facts.members[facts.member_indptr[a] : facts.member_indptr[a + 1]]
    d = ctx.distances[rows]
    d = d[np.isfinite(d)]
    return replace(facts.arrangements[a], distance_km=float(d.min()) if len(d) else None)


def _joinable_list(ctx: _Context, score: np.ndarray, limit: int | None) -> tuple[tuple[JoinableArrangement, ...], int]:
    """The arrangements the organisation could join, those whose best member scores
    highest first (then by title)."""
    facts = ctx.facts
    if not facts.arrangements:
        return (), 0
    joinable = _joinable_mask(ctx)
    best = np.maximum.reduceat(score[facts.members], facts.member_indptr[:-1])
    candidates = np.flatnonzero(joinable)
    ranked = candidates[np.lexsort((facts.title_rank[candidates], -best[candidates]))][:limit]
    return tuple(_with_distance(ctx, a) for a in ranked), len(candidates)


# --- Reasons (only for the organisations returned) --------------------------------------------


def _match(ctx: _Context, j: int, score: float, weights: Mapping[str, float]) -> Match:
    data = ctx.data
    factors = tuple(
        Factor(key, FACTOR_LABELS[key], float(ctx.values[key][j]), weights[key], *_REASONS[key](ctx, j))
        for key in FACTORS
        if key in ctx.values
    )
    d = float(ctx.distances[j])
    joinable, count, _trading = _joinable_of(ctx, j)
    return Match(
        code=data.codes[j],
        name=data.names[j],
        score=score,
        factors=factors,
        flags=tuple(_flags(ctx, j)),
        distance_km=None if math.isnan(d) else d,
        joinable=joinable,
        joinable_count=count,
    )


def _border_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    if covers := _coverage_words(ctx, j):
        return covers, {"coverage": ctx.data.coverage[ctx.i][j]}
    km = ctx.borders.get(j)
    if km is None:
        return "No shared border", {}
    if km < 0.05:
        return "Touches at a point", {"border_km": km}
    if km < 1:
        return "Shares a short border (under 1 km)", {"border_km": km}
    return f"Shares a {km:,.0f} km border", {"border_km": km}


def _distance_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    d = float(ctx.distances[j])
    if math.isnan(d):
        return "Distance not known: its location is not recorded", {}
    if d < 1:
        return "Centres are under 1 km apart", {"distance_km": d}
    return f"Centres are {d:,.0f} km apart", {"distance_km": d}


def _areas_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    data, i = ctx.data, ctx.i
    if covers := _coverage_words(ctx, j):
        if j in data.coverage_basis.get(i, {}):
            return covers, {"coverage": data.coverage[i][j]}
        return f"{covers}: your {_lower_first(_body_kind(ctx, j))}", {"coverage": data.coverage[i][j]}
    shared = [k for k in range(len(AREA_KINDS)) if data.areas[k, i] >= 0 and data.areas[k, i] == data.areas[k, j]]
    kinds = [AREA_KINDS[k] for k in shared]

    def word(k: int) -> str:
        return data.area_words[data.areas[k, i]] or AREA_WORDS[AREA_KINDS[k]]

    if not shared:
        recorded = [word(k) for k in range(len(AREA_KINDS)) if data.areas[k, i] >= 0]
        return f"Not in the same {_join_words(recorded, 'or')} area", {"shared": []}
    named = [f"{word(k)} ({data.area_names[data.areas[k, i]]})" for k in shared if AREA_KINDS[k] in NAMED_AREA_KINDS]
    others = [AREA_WORDS[AREA_KINDS[k]] for k in shared if AREA_KINDS[k] not in NAMED_AREA_KINDS]
    words = _join_words(named + others)
    if others:
        words += " areas" if len(others) > 1 else " area"
    return f"In the same {words}", {"shared": kinds}


def _similarity_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    data, i, k = ctx.data, ctx.i, len(ctx.data.indicators)
    if j in data.coverage.get(i, {}) and not data.present[:, j].any():
        return "Not compared: it has no place indicators of its own", {"coverage": data.coverage[i][j]}
    value = float(ctx.values["similarity"][j])
    # Plain lists: K is small and this runs for the returned organisations only.
    zi, zj = data.zt[:, i].tolist(), data.zt[:, j].tolist()
    mine = [p > 0 for p in data.present[:, i].tolist()]
    both = [c for c, p in enumerate(data.present[:, j].tolist()) if p > 0 and mine[c]]
    gap = [abs(zi[c] - zj[c]) for c in range(k)]
    groups: dict[str, float | None] = {}
    for g, (a, b) in enumerate(data.group_bounds):
        common = [gap[c] ** 2 for c in both if a <= c < b]
        groups[data.groups[g]] = math.exp(-sum(common) / len(common) / 2) if common else None
    available = sum(mine)
    details: dict[str, Any] = {"match": value, "groups": groups, "compared": len(both), "available": available}
    if not both:
        return "Cannot compare: none of your indicators are recorded for it", details

    def distinctive(c: int) -> float:  # both far from average on the same side
        return min(abs(zi[c]), abs(zj[c])) if zi[c] * zj[c] > 0 else 0.0

    # Most alike first; of two equally close, the more distinctive.
    alike = sorted((c for c in both if gap[c] <= ALIKE_Z_GAP), key=lambda c: (gap[c] - 0.5 * distinctive(c), c))[:3]
    different = sorted(both, key=lambda c: (-gap[c], c))[:3]
    details["alike"] = [data.indicators[c].key for c in alike]
    details["different"] = [data.indicators[c].key for c in different if gap[c] > 1.0]
    level = next(words for threshold, words in SIMILARITY_LEVELS if value >= threshold)
    reason = f"{level} ({value:.0%} match)"
    if alike:
        reason += ": alike on " + _join_words([_indicator_words(data.indicators[c], zi[c], zj[c]) for c in alike])
    else:
        reason += ": not close on any single indicator"
    if len(both) < available:
        reason += f" (compared on {len(both)} of your {available} indicators)"
    return reason, details


# What to call a body in a reason ("your police force area"), by register type code.
BODY_KINDS = {
    "FRA": "Fire and rescue authority",
    "PFA": "Police force area",
    "ICB": "Integrated care board",
    "LHB": "Local health board",
    "NHSB": "NHS board",
    "HSCT": "Health and social care trust",
    "NHST": "NHS trust",
}


def _body_kind(ctx: _Context, j: int) -> str:
    return BODY_KINDS.get(str(ctx.data.org_type[j]), "Wider body")


def _indicator_words(spec: IndicatorSpec, zi: float, zj: float) -> str:
    if zi >= DISTINCT_Z and zj >= DISTINCT_Z:
        return f"{spec.words} (both high)"
    if zi <= -DISTINCT_Z and zj <= -DISTINCT_Z:
        return f"{spec.words} (both low)"
    return spec.words


def _track_record_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    records = ctx.data.history.get(ctx.i, {}).get(j, ())
    if not records:
        return "No shared arrangements on record", {"records": 0}
    q = ctx.query

    def weight(r: SharedRecord) -> float:
        return relevance(r, q.service_key, q.category_key)

    by_kind: dict[str, list[SharedRecord]] = {}
    # The records about the service asked for first, then the most recent.
    for r in sorted(records, key=lambda r: (-weight(r), -(r.end_year or r.start_year or 0), r.service)):
        by_kind.setdefault(_status_kind(r.status), []).append(r)
    clauses = []
    if running := by_kind.get("running"):
        if len(running) == 1:
            since = f" since {running[0].start_year}" if running[0].start_year else ""
            clauses.append(f"already shares {_lower_first(running[0].service)} with you{since}{_through(running)}")
        else:
            items = [_lower_first(r.service) + (f" (since {r.start_year})" if r.start_year else "") for r in running]
            clauses.append(f"already shares {_join_words(_at_most(items, 3))} with you{_through(running)}")
    if ended := by_kind.get(ENDED):
        r = ended[0]
        when = (
            f" from {r.start_year} to {r.end_year}"
            if r.start_year and r.end_year
            else f" until {r.end_year}"
            if r.end_year
            else " in the past"
        )
        more = f" (and {len(ended) - 1} more ended)" if len(ended) > 1 else ""
        clauses.append(f"shared {_lower_first(r.service)} with you{when}{more}{_through(ended)}")
    if preparing := by_kind.get("preparing"):
        r = preparing[0]
        clauses.append(
            f"working with you towards sharing {_lower_first(r.service)} ({r.status.replace('_', ' ')}){_through([r])}"
        )
    for r in by_kind.get(DISAGGREGATED, ()):
        service = _lower_first(r.service)
        if not service.endswith(("service", "services")):
            service += " service"
        when = f", {r.end_year}" if r.end_year else ""
        clauses.append(f"a shared {service} with you was taken back in-house (disaggregated{when}){_through([r])}")
    if not clauses:
        clauses.append(
            f"{len(records)} other shared arrangement{'s' if len(records) > 1 else ''} on record{_through(records)}"
        )
    about = sum(1 for r in records if r.keys and weight(r) > SERVICE_RELEVANCE["other"])
    if (q.service_key or q.category_key) and not about and all(r.keys for r in records):
        clauses.append(f"nothing on record for {ctx.service or 'this service'}")
    return _capitalise("; ".join(clauses)), {"records": len(records), "about_this_service": about}


def _through(records: Sequence[SharedRecord]) -> str:
    """Which abolished councils these records came through, said once after the clause."""
    names = sorted({name for r in records for name in r.through})
    return f" (through {_join_words(names)}, since replaced)" if names else ""


def _joinable_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    arrangements, count, trading = _joinable_of(ctx, j)
    service = ctx.service or "this service"
    shown = [a.title for a in arrangements[:3]]
    if count > 3:
        shown = [*shown[:2], f"{count - 2:,} more"]
    titles = _join_words(shown)
    details = {"arrangements": [a.id for a in arrangements], "count": count}
    if not arrangements:
        return f"Not in a live arrangement for {service} that you could join", details
    d = ctx.distances[j]
    far = f", {d:,.0f} km from you" if np.isfinite(d) and d >= 1 else ""
    if trading:
        far += " (a provider that sells to anyone)" if ctx.query.include_trading else ""
    if count == 1:
        return f"In a live arrangement for {service} you could join: {titles}{far}", details
    return f"In {count:,} live arrangements for {service} you could join: {titles}{far}", details


def _timing_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    contract = f"{ctx.service} contract" if ctx.service else "contract for this service"
    theirs, mine = ctx.facts.end_year[j], int(ctx.facts.end_year[ctx.i])
    if np.isnan(theirs):
        return f"No end date recorded for its {contract}", {}
    theirs = int(theirs)
    gap = theirs - mine
    if gap == 0:
        relation = "the same year as yours"
    else:
        years = "a year" if abs(gap) == 1 else f"{abs(gap)} years"
        relation = f"{years} {'after' if gap > 0 else 'before'} yours"
    return f"Its {contract} ends in {theirs}, {relation}", {"end_year": theirs, "your_end_year": mine}


def _interest_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    service = ctx.service or "this service"
    posts = ctx.facts.posts
    if j not in posts:
        return f"Has not posted on the matchmaking board for {service}", {"posted": False}
    text = posts[j].strip()
    return (
        f"Posted on the matchmaking board for {service}" + (f": “{text}”" if text else ""),
        {"posted": True, "mutual": ctx.i in posts},
    )


def _political_reason(ctx: _Context, j: int) -> tuple[str, dict]:
    mine, theirs = ctx.facts.control_records[ctx.i], ctx.facts.control_records.get(j)
    if theirs is None:
        return "Its political control is not recorded", {}
    recorded = f"recorded {theirs.as_of}, source: {theirs.source}" if theirs.as_of else f"source: {theirs.source}"
    details = {"control": theirs.control, "as_of": theirs.as_of, "source": theirs.source}
    if theirs.control.strip().lower() == mine.control.strip().lower():
        if mine.control.strip().lower() == NO_OVERALL_CONTROL:
            return f"Neither council is under one party's overall control ({recorded})", details
        return f"Both under {theirs.control} control ({recorded})", details
    return f"Under {_control_words(theirs.control)}; you are under {_control_words(mine.control)} ({recorded})", details


def _control_words(control: str) -> str:
    return NO_OVERALL_CONTROL if control.strip().lower() == NO_OVERALL_CONTROL else f"{control} control"


_REASONS = {
    "border": _border_reason,
    "distance": _distance_reason,
    "areas": _areas_reason,
    "similarity": _similarity_reason,
    "track_record": _track_record_reason,
    "joinable": _joinable_reason,
    "timing": _timing_reason,
    "interest": _interest_reason,
    "political": _political_reason,
}


def _flags(ctx: _Context, j: int) -> list[Flag]:
    flags = []
    mine, theirs = ctx.data.population[ctx.i], ctx.data.population[j]
    if mine > 0 and theirs > 0:
        ratio = theirs / mine
        if ratio >= SIZE_RATIO_FLAG:
            flags.append(Flag("size", f"Very different size: {_times(ratio)} times your population"))
        elif ratio <= 1 / SIZE_RATIO_FLAG:
            flags.append(Flag("size", f"Very different size: your population is {_times(1 / ratio)} times its"))
    service = ctx.service or "this service"
    if ctx.facts.posted[ctx.i] and ctx.facts.posted[j]:
        flags.append(
            Flag("mutual-interest", f"Mutual interest: you have both posted on the matchmaking board for {service}")
        )
    return flags


# --- Words ------------------------------------------------------------------------------------


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.1f}".removesuffix(".0")


def _join_words(items: Sequence[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _at_most(items: Sequence[str], n: int) -> list[str]:
    if len(items) <= n:
        return list(items)
    return [*items[: n - 1], f"{len(items) - n + 1} more"]


def _lower_first(text: str) -> str:
    """ "Building control" -> "building control"; "ICT" stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
