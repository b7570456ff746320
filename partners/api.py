import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from arrangements.schemas import ProblemsOut
from organisations.models import Organisation
from organisations.schemas import ErrorOut
from partners import engine, services

router = Router()


class PartnerQuery(Schema):
    organisation: str
    service: str
    limit: int = 20
    max_distance_km: float | None = None
    nation: str | None = None
    type: str | None = None  # councils, fire, police, health, or one register type code
    include_trading: bool = False
    w_border: float | None = None
    w_distance: float | None = None
    w_areas: float | None = None
    w_similarity: float | None = None
    w_track_record: float | None = None
    w_joinable: float | None = None
    w_timing: float | None = None
    w_interest: float | None = None
    w_political: float | None = None
    # Indicator groups in the similarity (blank: the service's emphasis; 1 each otherwise).
    g_people: float | None = None
    g_place: float | None = None
    g_deprivation: float | None = None
    g_economy: float | None = None


class FactorOut(Schema):
    key: str
    label: str
    value: float
    weight: float
    reason: str


class FlagOut(Schema):
    key: str
    text: str


class JoinableOut(Schema):
    id: int
    title: str
    status: str
    members: list[str]
    member_names: list[str]
    trading: bool
    distance_km: float | None


class MatchOut(Schema):
    code: str
    name: str
    score: float
    distance_km: float | None
    factors: list[FactorOut]
    flags: list[FlagOut]
    joinable: list[JoinableOut]  # the first few, by title
    joinable_count: int  # how many there are in all


class NotUsedOut(Schema):
    key: str
    label: str
    reason: str


class PartnersOut(Schema):
    organisation: str
    service: str
    service_label: str
    candidates: int
    weights: dict[str, float]
    matches: list[MatchOut]
    joinable: list[JoinableOut]
    not_used: list[NotUsedOut]
    notes: list[str]


def as_dict(result: engine.Result, choice: services.ServiceChoice) -> dict:
    """The engine's result as plain data: the API's body and the command's --json output."""

    def joinable(j):
        return {
            "id": j.id,
            "title": j.title,
            "status": j.status,
            "members": list(j.members),
            "member_names": list(j.member_names),
            "trading": j.trading,
            "distance_km": round(j.distance_km, 1) if j.distance_km is not None else None,
        }

    return {
        "organisation": result.organisation,
        "service": choice.key,
        "service_label": choice.label,
        "candidates": result.candidates,
        "weights": dict(result.weights),
        "matches": [
            {
                "code": m.code,
                "name": m.name,
                "score": round(m.score, 4),
                "distance_km": round(m.distance_km, 1) if m.distance_km is not None else None,
                "factors": [
                    {"key": f.key, "label": f.label, "value": round(f.value, 4), "weight": f.weight, "reason": f.reason}
                    for f in m.factors
                ],
                "flags": [{"key": f.key, "text": f.text} for f in m.flags],
                "joinable": [joinable(j) for j in m.joinable],
                "joinable_count": m.joinable_count,
            }
            for m in result.matches
        ],
        "joinable": [joinable(j) for j in result.joinable],
        "not_used": [{"key": n.key, "label": n.label, "reason": n.reason} for n in result.not_used],
        "notes": list(result.notes),
    }


def _problem(field: str, code: str, message: str, value: str = "") -> tuple[int, dict]:
    """A 422 in the API's shape: {"detail", "problems": [{"field", "code", "message", "value"}]}."""
    return 422, {"detail": message, "problems": [{"field": field, "code": code, "message": message, "value": value}]}


@router.get("", response={200: PartnersOut, 404: ErrorOut, 422: ProblemsOut}, summary="Rank potential partners")
def find_partners(request, query: Query[PartnerQuery]):
    """For one organisation (code or GSS code) and one service (a category key such as `legal`, or an
    LGSL number), every organisation that could deliver the service, ranked, each with its factors
    (0 to 1), weights and reasons in plain English. Weights (`w_<factor>`) override the defaults."""
    organisation = Organisation.objects.current().filter(code__iexact=query.organisation).first() or get_object_or_404(
        Organisation.objects.current(), gss_codes__code__iexact=query.organisation
    )
    try:
        choice = services.resolve_service(query.service)
    except services.UnknownService as error:
        return _problem("service", "unknown_service", str(error), query.service)
    weights = {key: getattr(query, f"w_{key}") for key in engine.FACTORS if getattr(query, f"w_{key}") is not None}
    search = services.Search(
        organisation=organisation,
        service=choice,
        weights=weights,
        max_distance_km=query.max_distance_km,
        nations=[query.nation] if query.nation else None,
        org_types=services.org_types_for(query.type or ""),
        limit=max(1, min(query.limit, 500)),
        include_trading=query.include_trading,
        group_weights={
            g: getattr(query, f"g_{g}") for g in services.INDICATOR_GROUPS if getattr(query, f"g_{g}") is not None
        }
        or None,
    )
    try:
        result = services.find(search)
    except engine.UnknownOrganisation:
        message = f"{organisation.name} cannot be matched: it is not a council or public body with a place"
        return _problem("organisation", "cannot_be_matched", message, query.organisation)
    except ValueError as error:
        return _problem("weights", "bad_weight", str(error))
    # `as_dict` builds exactly the documented shape (a test checks it against the OpenAPI
    # document), so it is sent as it is: validating it field by field again was half the time
    # of a warm query at a million arrangements.
    return HttpResponse(json.dumps(as_dict(result, choice), ensure_ascii=False), content_type="application/json")
