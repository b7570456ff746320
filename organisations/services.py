"""The one place pages and the API get organisations from."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import Indicator, IndicatorValue
from organisations.models import Boundary, GssCode, Neighbour, Organisation, Overlap


@dataclass
class DirectoryFilters:
    q: str = ""
    org_type: str = ""
    nation: str = ""
    region: str = ""
    include_former: bool = False


def directory(filters: DirectoryFilters) -> QuerySet[Organisation]:
    return Organisation.objects.filtered(
        q=filters.q,
        org_type=filters.org_type,
        nation=filters.nation,
        region=filters.region,
        include_former=filters.include_former,
    ).order_by("name", "code")


def region_choices() -> list[str]:
    return list(
        Organisation.objects.current().exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    )


def get_organisation(code: str) -> Organisation:
    """By stable code or any GSS code (current, former or alias); 404 if unknown."""
    found = (
        Organisation.objects.filter(code__iexact=code).first()
        or Organisation.objects.filter(pk__in=GssCode.objects.filter(code__iexact=code).values("organisation")).first()
    )
    if found is None:
        get_object_or_404(Organisation, code=code)  # raises Http404 with the usual message
    return found


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None  # None: not available for this organisation


@dataclass
class Profile:
    organisation: Organisation
    neighbours: list[Neighbour]
    overlaps: list[Overlap]
    indicators: list[IndicatorRow]
    gss_codes: list[GssCode]
    names: list[str]
    successors: list[Organisation]
    predecessors: list[Organisation]
    members: list[Overlap] = field(default_factory=list)  # councils inside a wider body


def profile(code: str) -> Profile:
    organisation = get_organisation(code)
    organisation = (
        Organisation.objects.select_related("parent_county", "combined_authority")
        .prefetch_related(
            Prefetch("neighbour_links", queryset=Neighbour.objects.select_related("neighbour")),
            Prefetch("overlaps", queryset=Overlap.objects.select_related("body")),
            Prefetch(
                "covered",
                queryset=Overlap.objects.select_related("organisation")
                .filter(organisation__end_date__isnull=True)
                .order_by("organisation__name"),
            ),
            "gss_codes",
            "names",
            "successors",
            "predecessors",
        )
        .get(pk=organisation.pk)
    )
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(organisation=organisation)}
    indicators = []
    if organisation.is_principal_council:
        indicators = [IndicatorRow(i, values.get(i.pk)) for i in Indicator.objects.all()]
    return Profile(
        organisation=organisation,
        neighbours=list(organisation.neighbour_links.all()),
        overlaps=list(organisation.overlaps.all()),
        indicators=indicators,
        gss_codes=sorted(organisation.gss_codes.all(), key=lambda g: (g.status != "current", g.code)),
        names=sorted({n.name for n in organisation.names.all()} - {organisation.name}, key=str.lower),
        successors=list(organisation.successors.all()),
        predecessors=list(organisation.predecessors.all()),
        members=list(organisation.covered.all()),
    )


def map_features(profile: Profile) -> dict:
    """GeoJSON of the organisation and its neighbours, for the profile map."""
    ids = [profile.organisation.pk, *(n.neighbour_id for n in profile.neighbours)]
    boundaries = {b.organisation_id: b.geojson for b in Boundary.objects.filter(organisation_id__in=ids)}
    features = []
    for org, role in [(profile.organisation, "self"), *((n.neighbour, "neighbour") for n in profile.neighbours)]:
        if org.pk in boundaries:
            features.append(
                {
                    "type": "Feature",
                    "geometry": boundaries[org.pk],
                    "properties": {"code": org.code, "name": org.name, "role": role, "url": org.get_absolute_url()},
                }
            )
    return {"type": "FeatureCollection", "features": features}
