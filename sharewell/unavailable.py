"""When the database does not answer: a 503 with Retry-After, on pages and in the API, never a 500.

Only errors that mean "cannot reach the database" count (OperationalError and
InterfaceError: a refused or dropped connection, a server shutting down); an integrity or
programming error is a bug and still fails loudly.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

RETRY_AFTER_SECONDS = "5"
# SQLite answers "database is locked" as an OperationalError: that is busy, not unreachable,
# but the right answer to the person is the same: try again shortly.
_MESSAGES = (
    "connection",
    "could not connect",
    "server closed",
    "terminating",
    "database is locked",
    "the database system is",
    "timeout",
    "no route",
    "refused",
)


def unreachable(error: Exception) -> bool:
    if isinstance(error, InterfaceError):
        return True
    return isinstance(error, OperationalError) and any(m in str(error).lower() for m in _MESSAGES)


class DatabaseUnavailableMiddleware:
    """Pages: a GOV.UK-style "try again" page with status 503 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not unreachable(exception):
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
