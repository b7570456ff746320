"""`/healthz` for load balancers: is this process up, and can it reach its database?

Answered first in the middleware stack, so it needs no session, no CSRF token and no
allowed host (a load balancer calls it by the server's address, over plain HTTP, even
where every other page redirects to HTTPS). It says only "ok" or "unavailable".
"""

from __future__ import annotations

import json
import logging

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from sharewell.unavailable import RETRY_AFTER_SECONDS

PATH = "/healthz"
logger = logging.getLogger(__name__)


def database_answers(alias: str = "default") -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        # A broken connection is not reused by the next request in this thread.
        connections[alias].close_if_unusable_or_obsolete()
        return False
    return True


def health(request: HttpRequest) -> HttpResponse:
    ok = database_answers()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unavailable"}
    response = HttpResponse(json.dumps(body), status=200 if ok else 503, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if not ok:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
