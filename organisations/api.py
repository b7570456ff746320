from django.conf import settings
from django.core.paginator import Paginator
from ninja import Query, Router, Schema

from organisations import services
from organisations.models import Organisation, ServedCouncil
from organisations.schemas import ErrorOut, OrganisationDetail, OrganisationPage

router = Router()


class DirectoryQuery(Schema):
    q: str = ""
    type: str = ""
    nation: str = ""
    region: str = ""
    include_former: bool = False
    page: int = 1
    page_size: int = 50


def _link(org: Organisation | None) -> dict | None:
    return {"code": org.code, "name": org.name, "type": org.org_type} if org else None


def _served(served: ServedCouncil, other: Organisation) -> dict:
    return {
        **_link(other),
        "recorded_as": served.recorded_as,
        "source": served.source,
        "recorded_on": served.created_at.date(),
    }


def _summary(org: Organisation, request) -> dict:
    return {
        "code": org.code,
        "gss_code": org.gss_code,
        "name": org.name,
        "official_name": org.official_name,
        "type": org.org_type,
        "type_label": org.get_org_type_display(),
        "tier": org.tier,
        "nation": org.nation,
        "region": org.region,
        "current": org.is_current,
        "url": request.build_absolute_uri(org.get_absolute_url()),
    }


@router.get("", response=OrganisationPage, summary="List and search organisations")
def list_organisations(request, filters: Query[DirectoryQuery]):
    """Search by any name variant, code or GSS code; filter by type, nation and region."""
    page_size = max(1, min(filters.page_size, settings.API_MAX_PAGE_SIZE))
    queryset = services.directory(
        services.DirectoryFilters(
            q=filters.q,
            org_type=filters.type,
            nation=filters.nation,
            region=filters.region,
            include_former=filters.include_former,
        )
    )
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": page_size,
        "results": [_summary(org, request) for org in page.object_list],
    }


@router.get("/{code}", response={200: OrganisationDetail, 404: ErrorOut}, summary="One organisation")
def get_organisation(request, code: str):
    """Facts, neighbours with border length, overlapping bodies, indicators and the end
    dates of its contracts that its editors have recorded.

    `code` is the stable code (e.g. CAM) or any current, former or alias GSS code.
    """
    profile = services.profile(code)
    org = profile.organisation
    return {
        **_summary(org, request),
        "start_date": org.start_date,
        "end_date": org.end_date,
        "successors": [_link(o) for o in profile.successors],
        "predecessors": [_link(o) for o in profile.predecessors],
        "gss_codes": [{"code": g.code, "status": g.status} for g in profile.gss_codes],
        "names": profile.names,
        "parent_county": _link(org.parent_county),
        "combined_authority": _link(org.combined_authority),
        "population": org.population,
        "population_source": org.population_source,
        "area_km2": org.area_km2,
        "density": org.density,
        "latitude": org.latitude,
        "longitude": org.longitude,
        "homepage": org.homepage,
        "neighbours": [{**_link(n.neighbour), "border_km": n.border_km} for n in profile.neighbours],
        "overlapping_bodies": [{**_link(o.body), "share": o.share, "method": o.method} for o in profile.overlaps],
        # A trust with no area of its own: its ICB or board, and the councils it serves (the finder's input).
        "health_body": _link(org.health_body),
        "serves": [_served(s, s.council) for s in org.served.select_related("council")],
        "served_by": [_served(s, s.body) for s in org.served_by.select_related("body")],
        "indicators": [
            {
                "key": row.indicator.key,
                "label": row.indicator.label,
                "group": row.indicator.group,
                "value": row.value.value if row.value else None,
                "unit": row.indicator.unit,
                "period": row.value.period if row.value else None,
                "note": row.value.note if row.value else "",
                "source": row.indicator.source,
                "source_url": row.indicator.source_url,
                "licence": row.indicator.licence,
            }
            for row in profile.indicators
        ],
        # Recorded by the organisation's editors on its profile (arrangements.contract_views).
        "contracts": [
            {
                "category": c.category.key,
                "category_label": c.category.label,
                "lgsl": c.service.lgsl if c.service else None,
                "description": c.description,
                "ends_on": c.ends_on,
            }
            for c in org.contracts.select_related("category", "service")
        ],
    }
