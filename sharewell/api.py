"""The JSON API at /api/v1/, documented by OpenAPI at /api/v1/openapi.json."""

from django.http import Http404
from ninja import NinjaAPI

from arrangements.api import router as arrangements_router
from organisations.api import router as organisations_router
from partners.api import router as partners_router

api = NinjaAPI(
    title="Sharewell API",
    version="1",
    description=(
        "Open data on UK public bodies and the services they share. "
        "Register data: mySociety (CC BY 4.0) and ONS (OGL v3); see /about/data/."
    ),
    urls_namespace="api",
)
api.add_router("/organisations", organisations_router, tags=["Organisations"])
api.add_router("/arrangements", arrangements_router, tags=["Arrangements"])
api.add_router("/partners", partners_router, tags=["Partner finder"])


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)
