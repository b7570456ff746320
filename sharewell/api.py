"""The JSON API at /api/v1/, documented by OpenAPI at /api/v1/openapi.json."""

from django.db import DatabaseError
from django.http import Http404
from django.urls import reverse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError

from appraisal.api import router as appraisal_router
from appraisal.case_api import router as business_case_router
from arrangements.api import figures_router
from arrangements.api import router as arrangements_router
from benefits.api import portfolio_router
from benefits.api import router as benefits_router
from evidence.api import router as evidence_router
from organisations.api import router as organisations_router
from partners.api import router as partners_router
from readiness.api import arrangement_router as readiness_arrangement_router
from readiness.api import router as readiness_router
from services.api import router as services_router
from sharewell.api_docs import SiteSwagger
from sharewell.unavailable import RETRY_AFTER_SECONDS
from sharewell.unavailable import unreachable as _unreachable

api = NinjaAPI(
    title="Sharewell API",
    version="1",
    description=(
        "Open data on UK public bodies and the services they share. "
        "Register data: mySociety (CC BY 4.0) and ONS (OGL v3); see /about/data/."
    ),
    urls_namespace="api",
    docs=SiteSwagger(),
    docs_url="/docs",
)
api.add_router("/organisations", organisations_router, tags=["Organisations"])
api.add_router("/organisations", portfolio_router, tags=["Organisations"])
api.add_router("/arrangements", arrangements_router, tags=["Arrangements"])
api.add_router("/arrangements", benefits_router, tags=["Benefits and sign-off"])
api.add_router("/partners", partners_router, tags=["Partner finder"])
api.add_router("/services", services_router, tags=["Services"])
api.add_router("/figures", figures_router, tags=["Figures"])
api.add_router("/appraisal", appraisal_router, tags=["Business case"])
api.add_router("/evidence", evidence_router, tags=["Evidence"])
api.add_router("/readiness", readiness_router, tags=["Readiness"])
api.add_router("/arrangements", readiness_arrangement_router, tags=["Readiness"])
api.add_router("/arrangements", business_case_router, tags=["Business case"])


class ApiIndex(Schema):
    name: str
    version: str
    docs: str
    openapi: str


@api.get(
    "/",
    response=ApiIndex,
    tags=["Index"],
    url_name="index",
    summary="The API's name and version, and where its documentation is",
)
def index(request):
    return {
        "name": api.title,
        "version": api.version,
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
    }


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


def _field(location) -> str:
    """('body', 'payload', 'ledger', 0, 'amount') -> 'ledger[0].amount'."""
    parts = [p for p in location if p not in ("body", "payload", "query", "path")]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """Every door answers problems the same way: `{"detail", "problems": [{"field", "code", "message"}]}`."""
    problems = []
    for error in exc.errors:
        name = _field(error.get("loc", ()))
        code = "required" if error.get("type") == "missing" else "invalid"
        message = f"{name}: this field is required" if code == "required" else f"{name}: {error.get('msg', 'invalid')}"
        problems.append({"field": name, "code": code, "message": message})
    body = {
        "detail": f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: nothing was saved",
        "problems": problems,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(DatabaseError)
def database_unavailable(request, exc):
    """A database that is not answering (a restart, a failover) is a 503 to retry, in JSON."""
    if not _unreachable(exc):
        raise exc
    response = api.create_response(
        request, {"detail": "The database is not answering just now: try again in a few seconds"}, status=503
    )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
