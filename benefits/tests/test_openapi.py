"""The benefits, sign-off and portfolio answers match the OpenAPI document."""

from __future__ import annotations

import jsonschema
from django.test import Client

from tests.world import bearer


def _valid(document: dict, path: str, method: str, status: int, body) -> None:
    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)


def test_answers_match_the_openapi_document(arrangement, users, finance):
    document = Client().get("/api/v1/openapi.json").json()
    base = f"/api/v1/arrangements/{arrangement.pk}"
    measure = {
        "name": "Satisfaction",
        "kind": "non_financial",
        "unit": "%",
        "owner": "NTT",
        "baseline_value": 70,
        "baseline_on": "2016-03-31",
        "values": [{"period": "2016/17", "planned": 72, "actual": 71}],
    }
    posted = Client().post(f"{base}/benefits", measure, content_type="application/json", **bearer(users["editor"]))
    assert posted.status_code == 200
    _valid(document, "/api/v1/arrangements/{pk}/benefits", "post", 200, posted.json())
    refused = Client().post(
        f"{base}/benefits", {**measure, "kind": "odd"}, content_type="application/json", **bearer(users["editor"])
    )
    assert refused.status_code == 422
    _valid(document, "/api/v1/arrangements/{pk}/benefits", "post", 422, refused.json())
    forbidden = Client().post(f"{base}/benefits", measure, content_type="application/json", **bearer(users["viewer"]))
    assert forbidden.status_code == 403
    _valid(document, "/api/v1/arrangements/{pk}/benefits", "post", 403, forbidden.json())
    _valid(document, "/api/v1/arrangements/{pk}/benefits", "get", 200, Client().get(f"{base}/benefits").json())
    entry = arrangement.ledger.get(measure="achieved_saving")
    path = "/api/v1/arrangements/{pk}/ledger/{entry_id}/sign-off"
    signed = Client().post(
        f"{base}/ledger/{entry.pk}/sign-off",
        {"note": "ok"},
        content_type="application/json",
        **bearer(finance["north"]),
    )
    assert signed.status_code == 200
    body = signed.json()
    _valid(document, path, "post", 200, body)
    assert body["signed_off"].startswith("signed off by Northtown’s finance lead")
    assert body["signed_off_by"] == "Fin north.finance"  # a partner's member sees the name
    again = Client().post(
        f"{base}/ledger/{entry.pk}/sign-off", {}, content_type="application/json", **bearer(finance["south"])
    )
    assert again.status_code == 422
    _valid(document, path, "post", 422, again.json())
    _valid(
        document,
        "/api/v1/organisations/{code}/portfolio",
        "get",
        200,
        Client().get("/api/v1/organisations/NTT/portfolio").json(),
    )
