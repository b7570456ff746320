"""Refuse NUL characters at the door, before any of them reaches a query.

PostgreSQL cannot hold NUL (U+0000) in text, so a NUL in a search or a record fails deep
inside a query as a server error. Nobody means to send one: answering 400 and naming
where it was is more use to them than a 500.
"""

from __future__ import annotations

import json
import re
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render

# A JSON string escape for NUL, but not an escaped backslash followed by "u0000".
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_in_parameters(parameters) -> tuple[str, str | None] | None:
    """Where the NUL is, in words, and the parameter's name when it can be shown."""
    for key, values in parameters.lists():
        if "\x00" in key:
            return "the name of a parameter", None
        if any("\x00" in value for value in values):
            return key, key
    return None


def _nul_in_body(request: HttpRequest) -> bool:
    # The API reads every body that is not a form as JSON, whatever its content type
    # says; elsewhere only JSON bodies are read raw. Multipart is never checked: files
    # legitimately hold NUL bytes, and reading it here would fix its upload handlers
    # before the view could choose them.
    json_type = request.content_type == "application/json" or request.content_type.endswith("+json")
    api_body = request.path.startswith("/api/") and request.content_type not in _FORM_TYPES
    if not (json_type or api_body):
        return False
    body = request.body
    return b"\x00" in body or _JSON_NUL.search(body) is not None


def _where(request: HttpRequest) -> tuple[str, str | None] | None:
    if "\x00" in request.path:
        return "the address", None
    if found := _nul_in_parameters(request.GET):
        return found
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        if found := _nul_in_parameters(request.POST):
            return found
    if _nul_in_body(request):
        return "the body", None
    return None


class RejectNulMiddleware:
    """Answer 400 when the address, the query, a form field or a JSON body holds a NUL.

    A cookie that holds one is ignored instead, as if it had not been sent: a visitor
    cannot easily remove a cookie, so refusing it would refuse them every page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]:
            del request.COOKIES[name]
        found = _where(request)
        if found is None:
            return self.get_response(request)
        where, parameter = found
        if request.path.startswith("/api/"):
            detail = f"The request contains a NUL character (\\u0000) in {where}: remove it and try again"
            return HttpResponse(json.dumps({"detail": detail}), status=400, content_type="application/json")
        return render(request, "400.html", {"where": where, "parameter": parameter}, status=400)


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """A Permissions-Policy header on every response, from settings.PERMISSIONS_POLICY.

    Django sets the other security headers itself; this one it does not. Features the site
    never uses are refused, so a script that somehow got in could not ask for them either.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=<ms>` on every answer: the time Django spent on it, which
    `make bench` reads for its p95 figures (the load generator's own times share the cores)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        # A streamed answer (a download) is written after this header is sent: say that its
        # time is until the body began, not the whole answer's.
        response["Server-Timing"] = f'{timing};desc="until streaming began"' if response.streaming else timing
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Compress pages and JSON for people who are not signed in, on GET and HEAD only, and
    never an answer that carries a CSRF token.

    BREACH reads a secret out of a compressed answer by reflecting guesses into it and
    watching its length. An answer compressed here has no secret to read: no CSRF token (a
    form that posts renders one, and that answer is sent as it is), no session (signed-in
    people's pages are never compressed), and nothing personal. Static files are compressed
    ahead of time by WhiteNoise and pass through untouched.
    """

    TYPES = ("text/html", "application/json", "application/geo+json", "text/csv")

    def process_response(self, request, response):
        if request.method not in ("GET", "HEAD"):
            return response
        # A page that rendered a CSRF token sends the token's cookie (CsrfViewMiddleware).
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return response
        if not response.get("Content-Type", "").startswith(self.TYPES):
            return response
        return super().process_response(request, response)
