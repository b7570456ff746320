"""Between the database and the matching engine: build the engine's data once (and again
when the register changes), gather one service's facts, and run a query. The finder page,
the API and the `find_partners` command all call `find`."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import combinations

from django.conf import settings
from django.utils import timezone

from arrangements import register
from arrangements.models import Arrangement, Contract, DeliveryModel, Partnership
from indicators.models import Indicator, IndicatorValue
from organisations.models import (
    HAND_ADDED_TYPES,
    PRINCIPAL_COUNCIL_TYPES,
    Neighbour,
    Organisation,
    OrganisationType,
    Overlap,
    ServedCouncil,
)
from partners import engine
from partners.models import Post
from services import categories
from services.models import Service, ServiceCategory
from services.resolve import ServiceResolver

# The indicators that describe a place for similarity, by group. Sizes and counts are left
# out on purpose: a big and a small council can be alike, and size is flagged, not scored.
SIMILARITY_INDICATORS = (
    engine.IndicatorSpec("aged-under-15", "Children under 15", "people", "share of children"),
    engine.IndicatorSpec("aged-65-and-over", "People aged 65 and over", "people", "older population"),
    engine.IndicatorSpec(
        "managerial-professional", "Managerial and professional jobs", "people", "managerial and professional jobs"
    ),
    engine.IndicatorSpec("level-3-qualifications", "Level 3 qualifications", "people", "qualifications"),
    engine.IndicatorSpec("urban", "Urban population", "place", "urban share"),
    engine.IndicatorSpec("highly-rural", "Highly rural population", "place", "rural share"),
    engine.IndicatorSpec("population-density", "Population density", "place", "density", log=True),
    engine.IndicatorSpec("social-renters", "Social renters", "place", "social housing"),
    engine.IndicatorSpec("households-without-a-car", "Households without a car", "place", "households without a car"),
    engine.IndicatorSpec("deprivation-score", "Deprivation score", "deprivation", "deprivation"),
    engine.IndicatorSpec(
        "high-deprivation", "Residents in the most deprived areas", "deprivation", "share in deprived areas"
    ),
    engine.IndicatorSpec("child-poverty-after-housing-costs", "Child poverty", "deprivation", "child poverty"),
    engine.IndicatorSpec("median-weekly-pay", "Median weekly pay", "economy", "pay"),
    engine.IndicatorSpec("employment-rate", "Employment rate", "economy", "employment"),
    engine.IndicatorSpec("household-income-per-head", "Household income per head", "economy", "household income"),
    # Growth, as in ONS's nearest neighbours model: derived below from the shipped counts.
    engine.IndicatorSpec(
        "housing-growth", "Net additions to the housing stock per 1,000 people", "place", "housing growth"
    ),
    engine.IndicatorSpec(
        "business-birth-rate", "Business births per 100 active businesses", "economy", "business births"
    ),
    engine.IndicatorSpec(
        "business-one-year-survival", "One-year business survival rate", "economy", "business survival"
    ),
)
# Indicators computed from others: key -> (numerator, denominator or "population", scale).
DERIVED_INDICATORS = {
    "housing-growth": ("net-additional-dwellings", "population", 1000.0),
    "business-birth-rate": ("business-births", "active-businesses", 100.0),
}
INDICATOR_GROUPS = ("people", "place", "deprivation", "economy")
# Similarity emphasis by service: which groups of place characteristics matter more for a
# category (rurality and density for waste and roads, age structure and deprivation for
# social care and education, housing and deprivation for housing). A multiplier of each
# group's share of the distance; the user's group weights override it.
SERVICE_GROUP_EMPHASIS = {
    "environment-waste": {"place": 2.0},
    "transport-highways": {"place": 2.0},
    "social-care-health": {"people": 2.0, "deprivation": 2.0},
    "education": {"people": 2.0, "deprivation": 1.5},
    "housing": {"place": 1.5, "deprivation": 1.5},
}
CORPORATE_FAMILY = "Corporate and back office"
# Delivery models of a provider that can sell to anyone (a trading company): the finder
# counts them as joinable whatever the distance when the user chooses to include them.
TRADING_MODELS = frozenset({DeliveryModel.JOINT_COMPANY, DeliveryModel.ALEO, DeliveryModel.JOINT_VENTURE})
AREA_TYPES = {"fire": OrganisationType.FIRE, "police": OrganisationType.POLICE}
HEALTH_TYPES = (
    OrganisationType.ICB,
    OrganisationType.HEALTH_BOARD,
    OrganisationType.NHS_BOARD,
    OrganisationType.NHS_TRUST,  # no area of its own: scored on what it serves (engine: arealess)
)
# Bodies scored on how much of a council's area they cover (engine: coverage).
COVERING_TYPES = frozenset({OrganisationType.FIRE, OrganisationType.POLICE, *HEALTH_TYPES})
# Bodies with no area of their own, scored on the councils recorded as served (ServedCouncil)
# and on their ICB's or health board's coverage.
AREALESS_TYPES = frozenset({OrganisationType.NHS_TRUST})

_cache: dict = {}
_lock = threading.Lock()
# Prepared service facts each worker keeps for the register's current version, most recently
# used last: one entry per service (and day: a post's expiry), a few hundred KB each at most.
FACTS_KEPT = 64
_VERSION_KEY = register.key_for("partner-finder", "version")


def register_version() -> str:
    """What the finder's kept data is keyed on, in one indexed read: a token kept in
    `RegisterCache` against the register's version (docs/decisions/0009). Every write to the
    register raises the version and deletes the token, and so does every write to anything
    else the finder reads (`partners.signals`); the token is written in the reader's own
    transaction, so one made in a transaction that rolls back is never seen again."""
    return register.cached(_VERSION_KEY, lambda: {"token": uuid.uuid4().hex})["token"]


def _kept(version: str) -> dict:
    """The engine's matrices and the prepared facts for `version` (call with `_lock` held).

    When the version has moved, the register's changes (`arrangements.register.change_marks`)
    say what moved: if only arrangements did, only their part of the track record is
    refreshed (docs/decisions/0010); anything else, and the matrices are built again."""
    if _cache.get("version") == version:
        return _cache
    # Read before the data: a write landing in between is in the data and is applied again
    # (from the database, so to the same effect) when it is first seen here.
    now = timezone.now()
    marks = register.change_marks()
    seen = _cache.get("changes")
    fetched = register.changed_arrangements(marks.keys() - seen.keys()) if seen is not None else {}
    scope = _refresh_scope(seen, marks, fetched, _cache.get("synced_at"), now)
    if scope is None:
        data = build()
    elif scope:
        data = engine.refresh_track_record(_cache["data"], track_record(scope))
    else:  # a write the matrices do not hold (a contract, a board post, a signed-off saving)
        data = _cache["data"]
    # What each change changed, as far as known: what a change seen at a full build changed
    # is not read, and should it vanish (below) the matrices are built again.
    known = {m: seen[m][1] for m in marks if seen and m in seen} | fetched
    _cache.clear()
    _cache.update(
        version=version,
        data=data,
        facts=OrderedDict(),
        changes={m: (made_at, known.get(m, UNKNOWN)) for m, made_at in marks.items()},
        synced_at=now,
    )
    return _cache


# What a change seen at a full build changed: not read.
UNKNOWN = "unknown"


def _refresh_scope(seen: dict | None, marks: dict, fetched: dict, synced_at, now) -> set[int] | None:
    """The arrangements to refresh, going from the changes `seen` at the last build or refresh
    (mark -> (made_at, arrangement ids, None for "anything" or UNKNOWN)) to those kept now
    (`marks`: mark -> made_at; `fetched`: what the new ones changed); None for a full build.

    A change not seen before is applied. A change seen before and now gone was either pruned
    (older than `register.CHANGES_KEPT`) or rolled back: a reader inside a write's
    transaction saw it and the write never happened, so its arrangements are read again.
    A worker that has not looked for longer than half the time changes are kept may have
    missed some that were pruned: it builds from scratch."""
    if seen is None or synced_at is None or now - synced_at > register.CHANGES_KEPT / 2:
        return None
    horizon = now - register.CHANGES_KEPT
    moved = [fetched.get(m, UNKNOWN) for m in marks.keys() - seen.keys()]
    moved += [seen[m][1] for m in seen.keys() - marks.keys() if seen[m][0] >= horizon]
    scope: set[int] = set()
    for ids in moved:
        if ids is None or ids == UNKNOWN:
            return None
        scope.update(ids)
    return scope


def warm() -> None:
    """Build the matrices now, before the first query asks (a gunicorn worker calls this
    when it starts: gunicorn.conf.py); the first query then waits for it, not for a build
    of its own."""
    matching_data()


def matching_data() -> engine.MatchingData:
    """The engine's matrices, built once and rebuilt when the register changes."""
    version = register_version()
    with _lock:
        return _kept(version)["data"]


def prepared(choice: ServiceChoice) -> tuple[engine.MatchingData, engine.ServiceFacts]:
    """The matrices and one service's facts, prepared once per register version, service
    and day, then kept (FACTS_KEPT services at most); the same as preparing them per query."""
    version = register_version()
    with _lock:
        kept = _kept(version)
        facts: OrderedDict = kept["facts"]
        key = (choice.key, timezone.localdate())  # the board's posts expire by the day
        if key in facts:
            facts.move_to_end(key)
        else:
            facts[key] = engine.service_facts(kept["data"], **service_facts(choice))
            while len(facts) > FACTS_KEPT:
                facts.popitem(last=False)
        return kept["data"], facts[key]


def _candidates():
    return (
        Organisation.objects.current()
        .exclude(
            org_type__in=[
                OrganisationType.COMBINED_AUTHORITY,
                OrganisationType.STRATEGIC_REGIONAL_AUTHORITY,
                *HAND_ADDED_TYPES,
            ]
        )
        .select_related("parent_county", "combined_authority", "health_body")
    )


def build() -> engine.MatchingData:
    """The engine's matrices from scratch: the organisations, their indicators, borders,
    overlaps, served councils and successors, and the track record (`track_record`), which
    alone moves with the arrangements and can be refreshed in part."""
    organisations = list(_candidates())
    ids = {o.pk: o for o in organisations}
    areas: dict[int, dict[str, str]] = {o.pk: {} for o in organisations}
    for o in organisations:
        if o.org_type == OrganisationType.COUNTY:
            areas[o.pk]["county"] = o.code
        elif o.parent_county:
            areas[o.pk]["county"] = o.parent_county.code
        if o.combined_authority:
            areas[o.pk]["combined"] = o.combined_authority.code
    best: dict[tuple[int, str], float] = {}
    coverage = []
    for org_id, body_code, body_type, share in Overlap.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "body__code", "body__org_type", "share"
    ):
        if body_type in COVERING_TYPES:
            coverage.append((ids[org_id].code, body_code, share))
        kind = (
            "fire"
            if body_type == OrganisationType.FIRE
            else "police"
            if body_type == OrganisationType.POLICE
            else "health"
            if body_type in HEALTH_TYPES
            else None
        )
        if kind and share > best.get((org_id, kind), 0):
            best[(org_id, kind)] = share
            areas[org_id][kind] = body_code
    records = [
        {
            "code": o.code,
            "name": o.name,
            "org_type": o.org_type,
            "tier": o.tier,
            "nation": o.nation,
            # A trust with no location of its own stands at its ICB's or board's centre.
            "lat": o.latitude if o.latitude is not None or not o.health_body else o.health_body.latitude,
            "lon": o.longitude if o.longitude is not None or not o.health_body else o.health_body.longitude,
            "population": o.population,
            "areas": areas[o.pk],
            "arealess": o.org_type in AREALESS_TYPES,
        }
        for o in organisations
    ]
    served = [
        (council, body, f"{recorded_as}, {created.day} {created:%B %Y}")
        for council, body, recorded_as, created in ServedCouncil.objects.filter(
            body__in=[o.pk for o in organisations if o.org_type in AREALESS_TYPES]
        ).values_list("council__code", "body__code", "recorded_as", "created_at")
    ]
    through = {o.code: o.health_body.code for o in organisations if o.org_type in AREALESS_TYPES and o.health_body}

    keys = {spec.key for spec in SIMILARITY_INDICATORS}
    keys |= {k for numerator, denominator, _ in DERIVED_INDICATORS.values() for k in (numerator, denominator)}
    present = set(Indicator.objects.filter(key__in=keys).values_list("key", flat=True))
    values: dict[str, dict[str, float]] = {}
    for code, key, value in IndicatorValue.objects.filter(indicator__key__in=present).values_list(
        "organisation__code", "indicator__key", "value"
    ):
        values.setdefault(code, {})[key] = value
    population = {r["code"]: r["population"] for r in records}
    for key, (numerator, denominator, scale) in DERIVED_INDICATORS.items():
        if numerator not in present or (denominator != "population" and denominator not in present):
            continue
        present.add(key)
        for code, by_key in values.items():
            top = by_key.get(numerator)
            bottom = population.get(code) if denominator == "population" else by_key.get(denominator)
            if top is not None and bottom:
                by_key[key] = top / bottom * scale
    specs = [spec for spec in SIMILARITY_INDICATORS if spec.key in present]

    borders = Neighbour.objects.filter(organisation_id__in=ids, neighbour_id__in=ids).values_list(
        "organisation__code", "neighbour__code", "border_km"
    )

    area_names = dict(Organisation.objects.values_list("code", "name"))
    # The GLA stands where a combined authority would; the law calls both "strategic authorities".
    area_words = {
        code: "strategic authority"
        for code in Organisation.objects.filter(org_type=OrganisationType.STRATEGIC_REGIONAL_AUTHORITY).values_list(
            "code", flat=True
        )
    }
    return engine.build_matching_data(
        records,
        specs,
        values,
        borders,
        area_names=area_names,
        area_words=area_words,
        coverage=coverage,
        served=served,
        through=through,
        track_record=track_record(),
    )


def track_record(arrangement_ids=None) -> dict[int, list[tuple[str, str, engine.SharedRecord]]]:
    """Every pair of partners in each published arrangement, by arrangement (all of them, or
    those of `arrangement_ids`, each with no pairs when it is no longer published). A pair
    where one partner has left counts as ended, whatever the arrangement's status now. An
    abolished partner's place is taken by the councils that replaced it."""
    successors = current_successors()
    names = dict(Organisation.objects.filter(code__in=successors).values_list("code", "official_name"))
    members: dict[int, list[tuple[str, bool, tuple[str, ...]]]] = {}
    partnerships = Partnership.objects.filter(
        arrangement__deleted_at__isnull=True, arrangement__held_for_import__isnull=True, arrangement__published=True
    )
    chunks = [None] if arrangement_ids is None else list(_chunks(sorted(arrangement_ids)))
    for chunk in chunks:
        query = partnerships if chunk is None else partnerships.filter(arrangement_id__in=chunk)
        for arrangement_id, code, left_on in query.values_list("arrangement_id", "organisation__code", "left_on"):
            for heir in successors.get(code, [code]):
                through = (names[code],) if heir != code else ()
                members.setdefault(arrangement_id, []).append((heir, left_on is not None, through))
    labels = _arrangement_service_labels(members)
    keys = arrangement_keys(members)
    found: dict[int, list[tuple[str, str, engine.SharedRecord]]] = {a: [] for a in arrangement_ids or ()}
    rows = (
        a
        for chunk in _chunks(members)
        for a in Arrangement.objects.filter(pk__in=chunk).values("pk", "title", "status", "start_year", "end_year")
    )
    for a in rows:
        partners = members[a["pk"]]
        pairs = found.setdefault(a["pk"], [])
        for (code_a, left_a, through_a), (code_b, left_b, through_b) in combinations(partners, 2):
            if code_a == code_b:  # two predecessors of one council
                continue
            status = engine.ENDED if (left_a or left_b) else a["status"]
            pairs.append(
                (
                    code_a,
                    code_b,
                    engine.SharedRecord(
                        service=labels.get(a["pk"], "services"),
                        start_year=a["start_year"],
                        status=status,
                        end_year=a["end_year"],
                        title=a["title"],
                        members=len(partners),
                        through=through_a + through_b,
                        keys=keys.get(a["pk"], ()),
                        arrangement=a["pk"],
                    ),
                )
            )
    return found


def current_successors() -> dict[str, list[str]]:
    """Each abolished organisation's code -> the codes of the current organisations that
    replaced it, following chains of reorganisation (a district merged twice)."""
    direct: dict[str, list[str]] = {}
    for old, new in Organisation.successors.through.objects.values_list(
        "from_organisation__code", "to_organisation__code"
    ):
        direct.setdefault(old, []).append(new)
    current = set(
        Organisation.objects.current()
        .filter(code__in={c for v in direct.values() for c in v})
        .values_list("code", flat=True)
    )

    def heirs(code: str, seen: frozenset) -> list[str]:
        found = []
        for new in direct.get(code, []):
            if new in current:
                found.append(new)
            elif new not in seen:
                found.extend(heirs(new, seen | {new}))
        return found

    return {old: sorted(set(found)) for old in direct if (found := heirs(old, frozenset({old})))}


# SQLite refuses a query with more than 32,766 parameters (the finder failed so at a million
# arrangements); PostgreSQL takes more, but a list that long is slow to send either way.
CHUNK = 10_000


def _chunks(ids, size: int | None = None):
    ids, size = list(ids), size or CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def arrangement_keys(arrangement_ids) -> dict[int, tuple[str, ...]]:
    """What each arrangement is about, as the engine's keys: "category:hr", "lgsl:524"
    (its services' categories count as its categories too)."""
    keys: dict[int, set[str]] = {}
    for chunk in _chunks(arrangement_ids):
        for arrangement_id, key in Arrangement.categories.through.objects.filter(arrangement_id__in=chunk).values_list(
            "arrangement_id", "servicecategory__key"
        ):
            keys.setdefault(arrangement_id, set()).add(f"category:{key}")
        for arrangement_id, lgsl, key in Arrangement.services.through.objects.filter(
            arrangement_id__in=chunk
        ).values_list("arrangement_id", "service__lgsl", "service__category__key"):
            keys.setdefault(arrangement_id, set()).update({f"lgsl:{lgsl}", f"category:{key}"})
    return {k: tuple(sorted(v)) for k, v in keys.items()}


def _arrangement_service_labels(arrangement_ids) -> dict[int, str]:
    """A few words for what each arrangement shares, e.g. "legal services"."""
    labels: dict[int, list[str]] = {}
    for chunk in _chunks(arrangement_ids):
        for arrangement_id, label in Arrangement.categories.through.objects.filter(
            arrangement_id__in=chunk
        ).values_list("arrangement_id", "servicecategory__label"):
            labels.setdefault(arrangement_id, []).append(label.lower())
    return {k: " and ".join(sorted(v)[:2]) for k, v in labels.items()}


@dataclass
class ServiceChoice:
    key: str  # "category:legal" or "lgsl:524"
    label: str
    tier_rule: str  # the engine's: "county", "district" or "" (both tiers)
    category: ServiceCategory
    service: Service | None = None
    other_types: tuple[str, ...] = ()  # fire, police or NHS body types that may be candidates

    @property
    def category_key(self) -> str:
        return f"category:{self.category.key}"


# Register types of the other sectors (services.categories.OTHER_SECTORS_BY_CATEGORY).
SECTOR_TYPES = {
    "fire": (OrganisationType.FIRE,),
    "police": (OrganisationType.POLICE,),
    "health": HEALTH_TYPES,
}


# The type filter's groups: "councils" (principal councils only) and the other sectors.
SECTOR_CHOICES = (
    ("councils", "Councils only"),
    ("fire", "Fire and rescue"),
    ("police", "Police"),
    ("health", "Health (NHS)"),
)


def org_types_for(value: str) -> list[str] | None:
    """The register types a type filter asks for: a sector ("health") or one type code."""
    if not value:
        return None
    if value == "councils":
        return [str(t) for t in PRINCIPAL_COUNCIL_TYPES]
    if value in SECTOR_TYPES:
        return [str(t) for t in SECTOR_TYPES[value]]
    return [value]


def category_tier_rule(category: ServiceCategory) -> str:
    """The engine's tier rule for a category (services.categories.category_tier):
    "county", "district", or "" for both tiers."""
    tier = categories.CATEGORY_TIER_OVERRIDES.get(category.key) or categories.category_tier(
        category.services.values_list("tier", flat=True)
    )
    return tier if tier in ("county", "district") else ""


def _other_types(category: ServiceCategory) -> tuple[str, ...]:
    sectors = categories.OTHER_SECTORS_BY_CATEGORY.get(category.key, ())
    return tuple(str(t) for sector in sectors for t in SECTOR_TYPES[sector])


class UnknownService(LookupError):
    pass


def resolve_service(text: str) -> ServiceChoice:
    """A category key or an LGSL number ("legal", "524", "lgsl:524", "category:legal"), or
    the words people use for one ("waste", "Legal services")."""
    text = (text or "").strip().removeprefix("category:")
    if text.lower().startswith("lgsl:"):
        text = text[5:]
    if text.isdigit():
        service = Service.objects.select_related("category").filter(lgsl=int(text)).first()
        if service is None:
            raise UnknownService(f"No LGSL service has the identifier {text}")
        # Choosing one service applies that service's tier; an unrecorded one its category's.
        tier = service.tier if service.tier in ("county", "district") else ""
        if not service.tier:
            tier = category_tier_rule(service.category)
        return ServiceChoice(
            f"lgsl:{service.lgsl}", service.label, tier, service.category, service, _other_types(service.category)
        )
    category = ServiceCategory.objects.filter(key=text).first()
    if category is None:  # everyday words: "waste", "Legal services", an LGSL label
        match = ServiceResolver().resolve(text)
        if match.service:
            return resolve_service(str(match.service.lgsl))
        if match.category is None:
            raise UnknownService(match.problem or f"“{text}” is not a service category or an LGSL identifier")
        category = match.category
    return ServiceChoice(
        f"category:{category.key}", category.label, category_tier_rule(category), category, None, _other_types(category)
    )


@dataclass
class Search:
    organisation: Organisation
    service: ServiceChoice
    weights: dict[str, float] = field(default_factory=dict)
    max_distance_km: float | None = None
    nations: list[str] | None = None
    org_types: list[str] | None = None
    limit: int = 20
    include_trading: bool = False
    group_weights: dict[str, float] | None = None  # None: the service's emphasis (SERVICE_GROUP_EMPHASIS)


def service_facts(choice: ServiceChoice) -> dict:
    """What the engine needs to know about one service: arrangements, contracts, posts, politics."""
    arrangements = Arrangement.objects.published().filter(categories=choice.category)
    if choice.service:
        arrangements = arrangements.filter(services=choice.service)
    members: dict[int, list[str]] = {}
    for arrangement_id, code in Partnership.objects.filter(arrangement__in=arrangements).values_list(
        "arrangement_id", "organisation__code"
    ):
        members.setdefault(arrangement_id, []).append(code)
    facts = [
        engine.ArrangementFact(
            id=a.pk,
            title=a.title,
            members=tuple(members.get(a.pk, ())),
            status=a.status,
            trading=a.delivery_model in TRADING_MODELS,
        )
        for a in arrangements.only("pk", "title", "status", "delivery_model")
    ]
    contracts = {}
    for code, ends_on in Contract.objects.filter(category=choice.category).values_list("organisation__code", "ends_on"):
        contracts[code] = min(contracts.get(code, ends_on.year), ends_on.year)
    # The engine quotes the post's title in its reason.
    interest = dict(
        Post.objects.active()
        .filter(category=choice.category)
        .order_by("created_at")
        .values_list("organisation__code", "title")
    )
    political = {
        o.code: engine.PoliticalControl(
            o.political_control, f"{o.political_control_as_of:%Y-%m}", o.political_control_source
        )
        for o in Organisation.objects.current()
        .exclude(political_control="")
        .exclude(political_control_as_of__isnull=True)
    }
    return {
        "arrangements": facts,
        "contract_end_years": contracts,
        "interest": interest,
        "political_control": political,
    }


def group_weights(search: Search) -> dict[str, float]:
    """The indicator groups' weights: the service's emphasis, then the user's choices."""
    weights = dict(SERVICE_GROUP_EMPHASIS.get(search.service.category.key, {}))
    weights.update(search.group_weights or {})
    return weights


def find(search: Search) -> engine.Result:
    data, facts = prepared(search.service)
    query = engine.Query(
        organisation=search.organisation.code,
        service_key=search.service.key,
        service_label=search.service.label.lower(),
        category_key=search.service.category_key,
        tier_rule=search.service.tier_rule,
        other_types=search.service.other_types,
        include_trading=search.include_trading,
        group_weights=group_weights(search),
        weights=search.weights,
        max_distance_km=search.max_distance_km,
        nations=search.nations,
        org_types=search.org_types,
        limit=search.limit,
        year=timezone.localdate().year,
        threads=settings.PARTNER_FINDER_THREADS,
        facts=facts,
    )
    return engine.find_partners(data, query)
