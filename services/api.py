"""GET /api/v1/services?q=: the services and categories a phrase resolves to, best first."""

from ninja import Query, Router, Schema

from arrangements.schemas import ProblemsOut
from services.resolve import ServiceResolver

router = Router()


class ServiceQuery(Schema):
    q: str
    limit: int = 10


class ServiceCandidateOut(Schema):
    key: str  # "lgsl:524" or "category:hr": what the finder and the import accept
    kind: str  # "service" or "category"
    label: str
    lgsl: int | None
    category: str
    category_label: str
    tier: str
    found_by: str  # the name it was found by
    how: str  # "everyday word", "category", "LGSL name", "LGSL identifier", "its category" or "partly"
    score: float


class ServicesOut(Schema):
    q: str
    results: list[ServiceCandidateOut]
    did_you_mean: list[str]


@router.get("", response={200: ServicesOut, 422: ProblemsOut}, summary="Find services and categories by everyday words")
def find_services(request, query: Query[ServiceQuery]):
    """The LGSL services and service categories a phrase resolves to, best first: an everyday
    word ("Roads", "Bins", "Council tax"), a category, an LGSL name or identifier, then names
    that share its words. When nothing matches exactly, `did_you_mean` suggests close names."""
    resolver = ServiceResolver()
    candidates = resolver.search(query.q, limit=max(1, min(query.limit, 50)))
    exact = candidates and candidates[0].how != "partly"
    return {
        "q": query.q,
        "results": [
            {
                "key": c.key,
                "kind": "service" if c.service else "category",
                "label": c.label,
                "lgsl": c.service.lgsl if c.service else None,
                "category": c.category.key,
                "category_label": c.category.label,
                "tier": c.service.tier if c.service else "",
                "found_by": c.phrase,
                "how": c.how,
                "score": c.score,
            }
            for c in candidates
        ],
        "did_you_mean": [] if exact else list(resolver.suggestions(query.q)),
    }
