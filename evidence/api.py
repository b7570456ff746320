"""`GET /api/v1/evidence`: the evidence library's sources, with their themes and factors."""

from __future__ import annotations

from ninja import Query, Router, Schema

from accounts.api_auth import ReadAuth
from arrangements.schemas import MessageOut
from evidence import services

router = Router()


class EvidenceQuery(Schema):
    q: str = ""
    theme: str = ""
    factor: str = ""
    country: str = ""


class FigureOut(Schema):
    label: str
    value: str


class QuotationOut(Schema):
    text: str
    attribution: str


class EvidenceSourceOut(Schema):
    id: str
    title: str
    author: str
    published: str
    year: int | None
    type: str
    url: str | None
    in_review_list: bool
    countries: list[str]
    themes: list[str]
    factors: list[str]
    findings: list[str]
    figures: list[FigureOut]
    quotations: list[QuotationOut]


class EvidenceOut(Schema):
    count: int
    sources: list[EvidenceSourceOut]


@router.get(
    "",
    response={200: EvidenceOut, 401: MessageOut},
    auth=ReadAuth(),
    summary="The evidence library: sources with their themes and factors",
    description=(
        "Every source in the evidence library, filtered by `q` (words in the title, author, findings or "
        "quotations), `theme` (definitions, drivers, barriers, success_factors, impact, international), "
        "`factor` (a factor key, as in `GET /api/v1/readiness/questions`) and `country`. Findings are "
        "summaries in Sharewell's words; quotations are short and attributed. "
        "No token is needed; a wrong bearer token is refused (401)."
    ),
)
def list_evidence(request, query: Query[EvidenceQuery]):
    found = [services.record(s) for s in services.sources(query.q, query.theme, query.factor, query.country)]
    return 200, {"count": len(found), "sources": found}
