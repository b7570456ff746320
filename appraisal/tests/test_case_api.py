"""`GET`/`PUT /api/v1/arrangements/{id}/business-case`, checked against the OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest
from django.test import Client

from appraisal import writes
from appraisal.tests.factories import case_data
from tests.world import bearer

PATH = "/api/v1/arrangements/{pk}/business-case"


@pytest.fixture
def document(db) -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _valid(document: dict, method: str, status: int, body) -> None:
    responses = document["paths"][PATH][method]["responses"]
    assert str(status) in responses, f"{status} is not documented"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    name = schema["$ref"].removeprefix("#/components/schemas/")
    assert set(body) <= set(document["components"]["schemas"][name]["properties"])


def url(arrangement) -> str:
    return PATH.format(pk=arrangement.pk)


def put(arrangement, user, body):
    return Client().put(url(arrangement), body, content_type="application/json", **bearer(user))


def test_a_draft_is_not_found_for_others_then_shared_for_all(draft, arrangement, users, document):
    assert Client().get(url(arrangement)).status_code == 404
    assert Client().get(url(arrangement), **bearer(users["other_editor"])).status_code == 404
    _valid(document, "get", 404, Client().get(url(arrangement)).json())
    mine = Client().get(url(arrangement), **bearer(users["viewer"]))
    assert mine.status_code == 200
    body = mine.json()
    _valid(document, "get", 200, body)
    assert body["shared"] is False and body["version"] == 0 and body["results"]["npv"] is not None
    assert body["reality_check"]["sentence"]
    writes.share(users["editor"], arrangement)
    public = Client().get(url(arrangement))
    assert public.status_code == 200 and public.json()["version"] == 1


@pytest.mark.parametrize("who, status", [("other_editor", 404), ("viewer", 403), ("editor", 200)])
def test_writes_by_non_partners_are_refused(draft, arrangement, users, document, who, status):
    writes.share(users["editor"], arrangement)  # shared: everyone sees it, so a stranger's write is 403
    data = case_data()
    data["lines"][1]["amounts"] = [60_000, 100_000, 100_000, 100_000, 100_000]
    response = put(arrangement, users[who], data)
    expected = 403 if status == 404 else status
    assert response.status_code == expected, response.json()
    _valid(document, "put", expected, response.json())
    if expected == 200:
        assert response.json()["version"] == 2


def test_a_write_to_a_draft_one_cannot_see_is_not_found(draft, arrangement, users):
    assert put(arrangement, users["other_editor"], case_data()).status_code == 404


def test_anonymous_writes_need_a_token(arrangement):
    assert put(arrangement, None, case_data()).status_code == 401


def test_problems_name_the_field(arrangement, users, document):
    data = case_data()
    data["lines"][0]["amounts"] = [1, 2]
    response = put(arrangement, users["moderator"], data)
    assert response.status_code == 422
    _valid(document, "put", 422, response.json())
    assert "lines[0].amounts" in {p["field"] for p in response.json()["problems"]}
    data["lines"][0]["kind"] = "windfall"
    schema_refusal = put(arrangement, users["moderator"], data)
    assert schema_refusal.status_code == 422
    _valid(document, "put", 422, schema_refusal.json())
    assert any(p["field"].startswith("lines[0].kind") for p in schema_refusal.json()["problems"])


def test_omitted_optimism_bias_figures_are_the_guidance_bounds(arrangement, users):
    data = case_data()
    data["optimism_bias"] = {"project_type": "equipment_development", "savings_from_register": False}
    response = put(arrangement, users["moderator"], data)
    assert response.status_code == 200, response.json()
    adjustments = response.json()["results"]["optimism_bias"]["adjustments"]
    assert [(a["target"], a["amount"]) for a in adjustments] == [("one_off_costs", 200), ("savings_delay", 0.54)]
    assert all(a["reason"] for a in adjustments)


def test_every_status_is_documented(document):
    assert set(document["paths"][PATH]["get"]["responses"]) == {"200", "404"}
    assert {"200", "403", "404", "422"} <= set(document["paths"][PATH]["put"]["responses"])
