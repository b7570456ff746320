"""The API's index and its documentation page: Swagger UI from the site itself, in the site's layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from sharewell.api import api
from sharewell.api_docs import SiteSwagger


def test_the_index_names_the_api_and_links_its_documentation(db):
    response = Client().get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Sharewell API",
        "version": "1",
        "docs": "http://testserver/api/v1/docs",
        "openapi": "http://testserver/api/v1/openapi.json",
    }
    assert Client().get(response.json()["openapi"]).status_code == 200


def test_the_docs_page_is_in_the_site_layout_and_loads_nothing_from_elsewhere(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="sw-header__name"' in html and 'class="govuk-back-link"' in html
    assert '<h1 class="govuk-heading-xl">API documentation</h1>' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [s for s in sources if s.endswith((".js", ".css"))]
    assert "/static/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert "/static/swagger-ui-dist/swagger-ui.css" in assets
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), f"{asset} is not a static file"


def test_the_docs_page_lists_every_operation_without_javascript(db):
    html = Client().get("/api/v1/docs").content.decode()
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method in item:
            assert re.search(rf"<code>{method.upper()}</code></td>\s*<td[^>]*><code>{re.escape(path)}</code>", html), (
                f"{method.upper()} {path} is not listed on the docs page"
            )


def test_swagger_ui_is_pinned_and_told_not_to_call_its_validator():
    package = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["dependencies"]["swagger-ui-dist"])
    assert SiteSwagger.swagger_settings["validatorUrl"] is None


def test_no_two_api_schemas_share_a_name():
    """django-ninja names each schema in the OpenAPI document by its class name: two classes of one
    name (a `SourceOut` in two apps) silently become one, and the document then lies about one of them."""
    import importlib
    import pkgutil

    from django.apps import apps
    from ninja import Schema

    ours = [c for c in apps.get_app_configs() if Path(c.path).parent == Path(settings.BASE_DIR)]
    for config in ours:
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".tests" not in module.name and ".migrations" not in module.name:
                importlib.import_module(module.name)
    seen: dict[str, str] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    clashes = []
    for schema in walk(Schema):
        if schema.__module__.split(".")[0] not in {c.name.split(".")[0] for c in ours}:
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        if schema.__name__ in seen and seen[schema.__name__] != where:
            clashes.append((schema.__name__, seen[schema.__name__], where))
        seen.setdefault(schema.__name__, where)
    assert clashes == []
