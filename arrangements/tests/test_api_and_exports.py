"""The open data: filters, every download format, and the API against its own OpenAPI document."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from django.test import Client

from arrangements import importing
from arrangements.models import Arrangement
from tests.world import bearer


@pytest.fixture
def register(arrangement, places, users, csv_file):
    """Three more arrangements: Welsh, ended, and an unpublished draft."""
    rows = [
        "Welsh waste,Waste together,waste,joint committee,live,2019,,Cwmtest,,,,,,,Not set up to save money,",
        "Old audit,Audit shared,audit,joint committee,ended,2010,2015,Testshire,Oldborough,,,,,,None recorded,",
    ]
    assert not importing.run(csv_file(*rows), "r.csv", users["moderator"], publish=True).problems
    draft = "Draft ICT,Not yet public,ict,joint venture,exploring,2025,,Northtown,,,,,,,Too early,"
    assert not importing.run(csv_file(draft), "d.csv", users["moderator"]).problems
    return Arrangement.objects.all()


def titles(response) -> list[str]:
    return sorted(r["title"] for r in response.json()["results"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["Old audit", "Shared legal", "Welsh waste"]),
        ("category=legal", ["Shared legal"]),
        ("service=524", []),
        ("model=joint_committee", ["Old audit", "Welsh waste"]),
        ("status=ended", ["Old audit"]),
        ("nation=Wales", ["Welsh waste"]),
        ("region=East+of+England", ["Old audit", "Shared legal"]),
        ("org_type=WPA", ["Welsh waste"]),
        ("organisation=SVL", ["Shared legal"]),
        ("start_year=2016", ["Shared legal"]),
        ("q=legal", ["Shared legal"]),
        ("category=audit&region=East+of+England", ["Old audit"]),
        # A partner's nation, region or type is checked per arrangement once something else
        # narrows the query (services.filtered): the same answers either way.
        ("region=East+of+England&start_year=2010", ["Old audit"]),
        ("org_type=WPA&status=live", ["Welsh waste"]),
        ("nation=England&org_type=WPA", []),
        ("nation=Wales&region=Wales&org_type=WPA", ["Welsh waste"]),
        ("organisation=SVL&region=East+of+England", ["Shared legal"]),
    ],
)
def test_every_filter_in_the_api_and_the_table(register, query, expected):
    assert titles(Client().get(f"/api/v1/arrangements?{query}")) == expected
    page = Client().get(f"/arrangements/?{query}").content.decode()
    for title in ["Old audit", "Shared legal", "Welsh waste", "Draft ICT"]:
        assert (f">{title}</a>" in page) == (title in expected)


@pytest.mark.parametrize(
    "words, expected, tag",
    [
        ("Legal", ["Shared legal"], "Service category: Legal"),
        ("Bins", [], "Service: Household waste collection"),  # one LGSL service: nobody here shares it
        ("council audit", None, None),  # no such phrase: asked again, with what it might have meant
    ],
)
def test_the_table_takes_a_service_in_everyday_words(register, words, expected, tag):
    page = Client().get("/arrangements/", {"words": words}).content.decode()
    if expected is None:
        assert "govuk-error-summary" in page and "is not an LGSL service or a category" in page
        return
    for title in ["Old audit", "Shared legal", "Welsh waste"]:
        assert (f">{title}</a>" in page) == (title in expected)
    assert tag in page


def test_api_totals_and_pages(register):
    body = Client().get("/api/v1/arrangements?page_size=2&page=2").json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (3, 2, 2, 1)


def test_drafts_are_visible_to_their_members_only(register, users):
    client = Client()
    client.force_login(users["viewer"])
    assert "Draft ICT" in titles(client.get("/api/v1/arrangements"))
    client.force_login(users["other_editor"])
    assert "Draft ICT" not in titles(client.get("/api/v1/arrangements"))


def test_one_arrangement_keeps_expected_and_achieved_apart(arrangement):
    body = Client().get(f"/api/v1/arrangements/{arrangement.pk}").json()
    assert {(e["measure"], e["standing"], e["period"], e["amount"]) for e in body["ledger"]} == {
        ("expected_saving", "expected", "2018/19", 300_000),
        ("achieved_saving", "reported", "2018/19", 250_000),
        ("baseline_cost", "reported", "2015/16", 2_000_000),
        ("one_off_cost", "reported", "2016/17", 150_000),
    }
    assert [p["code"] for p in body["partners"]] == ["NTT", "SVL"]
    assert Client().get("/api/v1/arrangements/999999").status_code == 404
    assert "detail" in Client().get("/api/v1/arrangements/999999").json()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "geojson"])
def test_every_view_downloads_in_every_format_with_the_same_filter(register, fmt):
    response = Client().get(f"/arrangements/download/{fmt}/?region=East+of+England")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "license" in response["Link"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
        assert sorted(r["title"] for r in rows) == ["Old audit", "Shared legal"]
        legal = next(r for r in rows if r["title"] == "Shared legal")
        assert (legal["expected_savings_gbp"], legal["achieved_savings_reported_gbp"]) == ("300000", "250000")
        assert "achieved_saving 2018/19 £250,000 (reported)" in legal["money"]
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.getvalue()))
        sheet = workbook["Arrangements"]
        assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["Old audit", "Shared legal"]
        assert "Open Government Licence" in workbook["Licence"]["A1"].value
    elif fmt == "json":
        body = json.loads(response.getvalue())
        assert "Open Government Licence" in body["licence"]
        assert sorted(a["title"] for a in body["arrangements"]) == ["Old audit", "Shared legal"]
    else:
        body = json.loads(response.getvalue())
        assert body["type"] == "FeatureCollection" and "licence" in body
        legal = next(f for f in body["features"] if f["properties"]["title"] == "Shared legal")
        assert legal["geometry"] == {"type": "MultiPoint", "coordinates": [[0.1, 52.4], [0.1, 52.0]]}
    assert Client().get("/arrangements/download/pdf/").status_code == 404


# --- writes with API tokens ----------------------------------------------------------

NEW = {
    "title": "Shared ICT",
    "description": "One ICT team",
    "services": ["ict"],
    "delivery_model": "joint venture",
    "status": "live",
    "lead_organisation": "Northtown DC",
    "partners": ["Southvale"],
    "ledger": [{"period": "2025/26", "measure": "expected_saving", "amount": 50000}],
}


def test_writes_need_a_token(places, service_list):
    assert Client().post("/api/v1/arrangements", NEW, content_type="application/json").status_code == 401
    bad = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    assert Client().post("/api/v1/arrangements", NEW, content_type="application/json", **bad).status_code == 401


@pytest.mark.parametrize("who, expected", [("viewer", 403), ("other_editor", 403), ("editor", 201), ("moderator", 201)])
def test_creating_through_the_api_has_the_pages_permissions(users, service_list, who, expected):
    response = Client().post("/api/v1/arrangements", NEW, content_type="application/json", **bearer(users[who]))
    assert response.status_code == expected, response.content
    assert Arrangement.objects.filter(title="Shared ICT").exists() == (expected == 201)
    if expected == 201:
        assert response.json()["published"] is False


def test_api_validation_errors_name_the_field(users, service_list):
    bad = {**NEW, "delivery_model": "magic", "lead_organisation": "Northtwn"}
    response = Client().post("/api/v1/arrangements", bad, content_type="application/json", **bearer(users["editor"]))
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert {"delivery_model", "lead_organisation"} <= fields
    assert not Arrangement.objects.exists()


@pytest.mark.parametrize("who, expected", [("viewer", 403), ("other_editor", 403), ("editor", 202), ("moderator", 200)])
def test_updating_and_deleting_through_the_api(arrangement, users, who, expected):
    """What GET returns can be sent back as a PUT; an editor's change to a published arrangement waits."""
    change = {**Client().get(f"/api/v1/arrangements/{arrangement.pk}").json(), "status": "under review"}
    response = Client().put(
        f"/api/v1/arrangements/{arrangement.pk}", change, content_type="application/json", **bearer(users[who])
    )
    assert response.status_code == expected, response.content
    arrangement.refresh_from_db()
    assert (arrangement.status == "under_review") == (expected == 200)
    if expected == 202:
        assert response.json()["pending_revision"]["changes"] == ["Status: Live → Under review"]
    response = Client().delete(f"/api/v1/arrangements/{arrangement.pk}", **bearer(users[who]))
    assert response.status_code == expected
    assert (Arrangement.objects.get(pk=arrangement.pk).deleted_at is not None) == (expected == 200)


@pytest.mark.parametrize("who, expected", [("editor", 403), ("moderator", 200)])
def test_publishing_through_the_api(users, service_list, who, expected):
    Client().post("/api/v1/arrangements", NEW, content_type="application/json", **bearer(users["editor"]))
    draft = Arrangement.objects.get(title="Shared ICT")
    response = Client().post(f"/api/v1/arrangements/{draft.pk}/publish", **bearer(users[who]))
    assert response.status_code == expected
    assert Arrangement.objects.get(pk=draft.pk).published == (expected == 200)


def _valid(document: dict, path: str, method: str, status: int, body) -> None:
    """Validate with jsonschema against the schema the OpenAPI document declares for that answer."""
    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)


def test_responses_match_the_openapi_document(register, users, arrangement):
    """Each documented response schema accepts what the endpoint really returns: reads, a held
    change (202), problems (422, from the write path and from the schema) and the figures."""
    document = Client().get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/arrangements",
        "/api/v1/arrangements/{pk}",
        "/api/v1/organisations",
        "/api/v1/organisations/{code}",
        "/api/v1/figures",
    } <= set(document["paths"])
    listing = Client().get("/api/v1/arrangements").json()
    _valid(document, "/api/v1/arrangements", "get", 200, listing)
    one = f"/api/v1/arrangements/{arrangement.pk}"
    _valid(document, "/api/v1/arrangements/{pk}", "get", 200, Client().get(one).json())
    held = Client().patch(one, {"status": "ended"}, content_type="application/json", **bearer(users["editor"]))
    assert held.status_code == 202
    _valid(document, "/api/v1/arrangements/{pk}", "patch", 202, held.json())
    refused = Client().patch(
        one,
        {"ledger": [{"period": "2024/99", "measure": "x", "amount": "lots"}]},
        content_type="application/json",
        **bearer(users["moderator"]),
    )
    assert refused.status_code == 422
    _valid(document, "/api/v1/arrangements/{pk}", "patch", 422, refused.json())
    incomplete = Client().put(one, {"title": "x"}, content_type="application/json", **bearer(users["moderator"]))
    assert incomplete.status_code == 422
    _valid(document, "/api/v1/arrangements/{pk}", "put", 422, incomplete.json())
    _valid(document, "/api/v1/figures", "get", 200, Client().get("/api/v1/figures").json())
    with pytest.raises(jsonschema.ValidationError):  # the check itself can fail
        _valid(document, "/api/v1/figures", "get", 200, {"expected": "lots"})
