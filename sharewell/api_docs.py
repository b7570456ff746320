"""The API's documentation page: Swagger UI from npm, served as static files, in the site's layout.

django-ninja's own page loads Swagger UI from a CDN at a floating version; this one loads
swagger-ui-dist (pinned in package.json) from the site itself, with no inline script, so
it works offline and under the Content-Security-Policy. The operations are listed in the
page's HTML as well, for people without JavaScript or for whom Swagger UI does not work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict) -> list[dict]:
    """Every operation in an OpenAPI document, in its order: method, path, summary and tag."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if operation := item.get(method):
                found.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "tag": (operation.get("tags") or [""])[0],
                    }
                )
    return found


class SiteSwagger(DocsBase):
    template = "api/docs.html"
    swagger_settings: dict[str, Any] = {
        "dom_id": "#swagger-ui",
        "layout": "BaseLayout",  # no top bar: the site's own header is the page's
        # Deep links would put a link inside each operation's button, which no assistive
        # technology can reach; the table above lists the operations instead.
        "deepLinking": False,
        "docExpansion": "list",
        "defaultModelsExpandDepth": 0,
        # Swagger UI would otherwise send the document to validator.swagger.io for a badge.
        "validatorUrl": None,
        # Its colour themes put some tokens of the examples below 4.5:1 contrast; plain text is readable.
        "syntaxHighlight": {"activated": False},
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        return render(
            request,
            self.template,
            {
                "api": api,
                "openapi_url": openapi_url,
                "operations": operations(api.get_openapi_schema(path_params=kwargs)),
                "swagger_settings": {**self.swagger_settings, "url": openapi_url},
            },
        )
