"""Answering, seeing and planning a readiness assessment through every door (page and API):
the happy path, the refusals (anonymous, another organisation, a viewer writing), rounds,
publication, the action plan, the API against its OpenAPI document, and the summary for reports."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest
from django.test import Client

from readiness import questions, summary, writes
from readiness.models import Action, Answer, Round
from tests.world import bearer, shared_service

LIGHT = [q.id for q in questions.for_stage("operate", "light")]


def page_answers(value: int, comment: str = "") -> dict:
    data = {f"q_{q}": str(value) for q in LIGHT}
    data.update({f"c_{q}": comment for q in LIGHT})
    return data


def api_answers(code: str, value: int, **overrides) -> dict:
    answers = [{"question": q, "value": overrides.get(q, value), "comment": ""} for q in LIGHT]
    return {"organisation": code, "answers": answers}


def send(door: str, user, arrangement, code: str, value: int, **overrides):
    """Answer through a door; returns the status code."""
    if door == "page":
        client = Client()
        if user is not None:
            client.force_login(user)
        data = page_answers(value) | {"organisation": code} | {f"q_{k}": str(v) for k, v in overrides.items()}
        return client.post(f"/arrangements/{arrangement.pk}/readiness/answer/?mode=light", data).status_code
    headers = bearer(user) if user is not None else {}
    path = f"/api/v1/arrangements/{arrangement.pk}/readiness"
    return (
        Client()
        .post(path, api_answers(code, value, **overrides), content_type="application/json", **headers)
        .status_code
    )


@pytest.mark.parametrize("door, success", [("page", 302), ("api", 200)])
def test_a_partners_editor_answers_for_their_organisation(world, door, success):
    legal = world["arrangement"]
    assert send(door, world["north_editor"], legal, "NTT", 4) == success
    answers = Answer.objects.filter(organisation=world["north"])
    assert answers.count() == len(LIGHT) and {a.value for a in answers} == {4}
    assert Round.objects.get(arrangement=legal).number == 1
    # A second send replaces the organisation's answers in the same round.
    assert send(door, world["north_editor"], legal, "NTT", 2) == success
    assert {a.value for a in Answer.objects.filter(organisation=world["north"])} == {2}
    assert Round.objects.filter(arrangement=legal).count() == 1


@pytest.mark.parametrize("door, anonymous", [("page", 302), ("api", 401)])
@pytest.mark.parametrize("who", ["anonymous", "county_editor", "north_viewer", "moderator", "south_editor"])
def test_the_refusals(world, door, anonymous, who):
    """Anonymous is sent to sign in (page) or refused (401); an editor of a non-partner, a viewer
    of the partner, a moderator and another partner's editor cannot answer for Northtown."""
    user = None if who == "anonymous" else world[who]
    status = send(door, user, world["arrangement"], "NTT", 4)
    assert status == (anonymous if user is None else 403)
    assert not Answer.objects.exists()


def test_off_scale_and_unknown_answers_are_problems_at_both_doors(world):
    legal, editor = world["arrangement"], world["north_editor"]
    headers = bearer(editor)
    path = f"/api/v1/arrangements/{legal.pk}/readiness"
    body = {
        "organisation": "NTT",
        "answers": [{"question": "leadership-1", "value": 9}, {"question": "nope", "value": 3}],
    }
    response = Client().post(path, body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["answers[0].value", "answers[1].question"]
    assert (
        Client()
        .post(path, {"organisation": "NTT", "answers": []}, content_type="application/json", **headers)
        .status_code
        == 422
    )
    assert (
        Client()
        .post(path, {"organisation": "ZZZ", "answers": []}, content_type="application/json", **headers)
        .status_code
        == 422
    )
    assert Client().post(path, "{not json", content_type="application/json", **headers).status_code in (400, 422)
    client = Client()
    client.force_login(editor)
    data = page_answers(4)
    data.pop(f"q_{LIGHT[0]}")
    data[f"q_{LIGHT[1]}"] = "7"
    response = client.post(f"/arrangements/{legal.pk}/readiness/answer/?mode=light", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "There is a problem" in html and f'href="#id_q_{LIGHT[0]}_0"' in html and f'href="#id_q_{LIGHT[1]}_0"' in html
    )
    assert not Answer.objects.exists()


def test_partners_see_each_other_side_by_side_with_disagreements_and_the_public_does_not(world):
    legal = world["arrangement"]
    # Northtown sees leadership as fully there (5), Southvale as not at all (1): 100 points apart.
    assert send("api", world["north_editor"], legal, "NTT", 4, **{"leadership-1": 5}) == 200
    assert send("api", world["south_editor"], legal, "SVL", 4, **{"leadership-1": 1, "exit_strategy-1": 1}) == 200
    body = Client().get(f"/api/v1/arrangements/{legal.pk}/readiness", **bearer(world["north_viewer"])).json()
    leadership = next(f for f in body["factors"] if f["factor"] == "leadership")
    assert leadership["by_partner"] == {"NTT": 100.0, "SVL": 0.0}
    assert leadership["score"] == 50.0 and leadership["rag"] == "amber"
    flagged = {(d["factor"], d["question"]) for d in body["disagreements"]}
    assert ("leadership", None) in flagged and ("leadership", "leadership-1") in flagged
    assert ("exit_strategy", None) in flagged  # 75 against 0
    assert ("timing", None) not in flagged
    client = Client()
    client.force_login(world["north_viewer"])
    html = client.get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert "Northtown" in html and "Southvale" in html and "Disagreement" in html
    assert "<strong>Green</strong> at 70% or above" in html and "<strong>red</strong> below 40%" in html  # published
    # Not a partner: refused on both doors until the partners publish the summary.
    assert Client().get(f"/api/v1/arrangements/{legal.pk}/readiness").status_code == 403
    assert Client().get(f"/arrangements/{legal.pk}/readiness/").status_code == 403
    outsider = Client()
    outsider.force_login(world["county_editor"])
    assert outsider.get(f"/arrangements/{legal.pk}/readiness/").status_code == 403
    assert (
        Client().get(f"/api/v1/arrangements/{legal.pk}/readiness", **bearer(world["county_editor"])).status_code == 403
    )


def test_publishing_the_summary_shows_scores_and_never_a_partners_answers(world):
    legal = world["arrangement"]
    send("api", world["north_editor"], legal, "NTT", 5)
    assert writes.publish(world["county_editor"], legal).forbidden
    assert writes.publish(world["north_viewer"], legal).forbidden
    editor = Client()
    editor.force_login(world["north_editor"])
    assert editor.post(f"/arrangements/{legal.pk}/readiness/publish/").status_code == 302
    body = Client().get(f"/api/v1/arrangements/{legal.pk}/readiness").json()
    assert body["visibility"] == "published summary" and body["published"] is True
    assert body["overall"] == 100.0 and body["answers"] == [] and body["disagreements"] == []
    assert all(f["by_partner"] == {} for f in body["factors"])
    html = Client().get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert "Overall: 100%" in html and "side by side" not in html
    assert summary.for_report(legal, None)["overall"] == 100.0
    editor.post(f"/arrangements/{legal.pk}/readiness/publish/", {"publish": "no"})
    assert Client().get(f"/api/v1/arrangements/{legal.pk}/readiness").status_code == 403
    assert summary.for_report(legal, None) is None


def test_a_new_round_keeps_the_earlier_one_for_the_trend(world):
    legal = world["arrangement"]
    send("api", world["north_editor"], legal, "NTT", 2)
    assert writes.start_round(world["county_editor"], legal).forbidden
    assert writes.start_round(None, legal).forbidden
    client = Client()
    client.force_login(world["moderator"])
    assert client.post(f"/arrangements/{legal.pk}/readiness/rounds/").status_code == 302
    # The new round has no answers yet: another cannot start.
    assert writes.start_round(world["north_editor"], legal).problems[0].code == "empty"
    empty = client.get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert "No partner has answered this assessment yet." in empty and "Progress across assessments" in empty
    again = client.post(f"/arrangements/{legal.pk}/readiness/rounds/")
    assert again.status_code == 409 and "has no answers yet" in again.content.decode()
    send("api", world["north_editor"], legal, "NTT", 5)
    rounds = list(Round.objects.filter(arrangement=legal).order_by("number"))
    assert [r.number for r in rounds] == [1, 2]
    assert {a.value for a in rounds[0].answers.all()} == {2} and {a.value for a in rounds[1].answers.all()} == {5}
    client.force_login(world["north_editor"])
    html = client.get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert "Progress across assessments" in html and "25%" in html and "100%" in html


def test_the_questions_follow_the_arrangements_stage(world, testshire):
    idea = shared_service("Testshire shared HR idea", "exploring", [testshire.northtown, testshire.southvale])
    client = Client()
    client.force_login(world["north_editor"])
    html = client.get(f"/arrangements/{idea.pk}/readiness/answer/?mode=full").content.decode()
    assert "Contracts or commitments that stop a partner joining" in html  # timing-2, initiate only
    assert "Each partner knows what it would take back" not in html  # exit_strategy-2, operate
    outcome = writes.answer(world["north_editor"], idea, "NTT", [{"question": "exit_strategy-2", "value": 3}])
    assert outcome.problems[0].code == "unknown_question"


def test_weak_factors_get_recommendations_citing_their_evidence_and_partners_add_actions(world):
    legal = world["arrangement"]
    send("api", world["north_editor"], legal, "NTT", 5, **{"exit_strategy-1": 1})
    client = Client()
    client.force_login(world["north_editor"])
    html = client.get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert "Recommendations for the weak factors" in html and "Write an exit strategy into the agreement" in html
    assert "/evidence/sources/harrow-2018-scrutiny/" in html
    data = {
        "factor": "exit_strategy",
        "text": "Draft exit terms",
        "owner": "SVL",
        "due_on_day": "31",
        "due_on_month": "3",
        "due_on_year": "2027",
    }
    assert client.post(f"/arrangements/{legal.pk}/readiness/actions/", data).status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.due_on) == (world["south"], dt.date(2027, 3, 31))
    # Problems are named: an owner that is not a partner, no date.
    bad = client.post(f"/arrangements/{legal.pk}/readiness/actions/", {**data, "owner": "TST", "due_on_day": ""})
    assert bad.status_code == 200 and "Choose the partner organisation" in bad.content.decode()
    changed = client.post(f"/arrangements/{legal.pk}/readiness/actions/{action.pk}/", {**data, "done": "on"})
    assert changed.status_code == 302 and Action.objects.get().done
    viewer = Client()
    viewer.force_login(world["north_viewer"])
    assert viewer.post(f"/arrangements/{legal.pk}/readiness/actions/", data).status_code == 403
    assert Action.objects.count() == 1


def test_calibration_says_how_many_ended_arrangements_have_assessments(world):
    send("api", world["north_editor"], world["arrangement"], "NTT", 3)
    client = Client()
    client.force_login(world["north_editor"])
    html = client.get(f"/arrangements/{world['arrangement'].pk}/readiness/").content.decode()
    assert "at least 10 ended or disaggregated arrangements have assessments. There are 0 so far." in html


def test_the_optimism_hint_and_the_report_section(world):
    legal = world["arrangement"]
    assert summary.optimism_hint(legal) is None
    send("api", world["north_editor"], legal, "NTT", 1)
    hint = summary.optimism_hint(legal)
    assert (hint["savings_cut_pct"], hint["cost_uplift_pct"], hint["rag"]) == (20.0, 15.0, "red")
    assert "0% overall" in hint["reason"]
    send("api", world["north_editor"], legal, "NTT", 5)
    assert summary.optimism_hint(legal) is None
    report = summary.for_report(legal, world["north_viewer"])
    assert report["overall"] == 100.0 and report["disagreements"] == 0
    assert summary.for_report(legal, world["county_editor"]) is None
    from django.template.loader import render_to_string

    html = render_to_string("readiness/_report_section.html", {"readiness": report})
    assert "Readiness by factor" in html and "100%" in html
    assert render_to_string("readiness/_report_section.html", {"readiness": None}).strip() == ""


def test_the_arrangement_page_links_to_readiness(world):
    html = Client().get(world["arrangement"].get_absolute_url()).content.decode()
    assert f'href="/arrangements/{world["arrangement"].pk}/readiness/">Readiness</a>' in html


def _valid(document: dict, method: str, status: int, body) -> None:
    path = "/api/v1/arrangements/{pk}/readiness"
    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)


def test_the_readiness_api_matches_its_openapi_document(world):
    document = Client().get("/api/v1/openapi.json").json()
    legal = world["arrangement"]
    path = f"/api/v1/arrangements/{legal.pk}/readiness"
    for status in ("200", "401", "403", "404", "422"):
        assert status in document["paths"]["/api/v1/arrangements/{pk}/readiness"]["post"]["responses"]
    posted = Client().post(
        path, api_answers("NTT", 4), content_type="application/json", **bearer(world["north_editor"])
    )
    _valid(document, "post", 200, posted.json())
    assert set(posted.json()["factors"][0]) == {"factor", "score", "rag", "by_partner"}
    _valid(document, "get", 200, Client().get(path, **bearer(world["north_editor"])).json())
    _valid(document, "get", 403, Client().get(path).json())
    _valid(document, "get", 404, Client().get("/api/v1/arrangements/99999/readiness").json())
    _valid(document, "post", 401, Client().post(path, api_answers("NTT", 4), content_type="application/json").json())
    refused = Client().post(
        path, api_answers("NTT", 4), content_type="application/json", **bearer(world["county_editor"])
    )
    _valid(document, "post", 403, refused.json())
    bad = Client().post(path, api_answers("NTT", 9), content_type="application/json", **bearer(world["north_editor"]))
    _valid(document, "post", 422, bad.json())
    schema_bad = Client().post(path, {"answers": "x"}, content_type="application/json", **bearer(world["north_editor"]))
    assert schema_bad.status_code == 422
    _valid(document, "post", 422, schema_bad.json())
    with pytest.raises(jsonschema.ValidationError):
        _valid(document, "get", 200, {"factors": "none"})


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("county_editor", False), ("north_viewer", False),
                                          ("moderator", True), ("south_editor", True)])  # fmt: skip
def test_who_starts_a_new_round_at_each_door(world, door, who, allowed):
    legal = world["arrangement"]
    send("api", world["north_editor"], legal, "NTT", 3)
    user = None if who == "anonymous" else world[who]
    if door == "page":
        client = Client()
        if user is not None:
            client.force_login(user)
        status = client.post(f"/arrangements/{legal.pk}/readiness/rounds/").status_code
        refused = 302 if user is None else 403
        assert status == (302 if allowed else refused)
    else:
        headers = bearer(user) if user is not None else {}
        response = Client().post(f"/api/v1/arrangements/{legal.pk}/readiness/rounds", **headers)
        assert response.status_code == (201 if allowed else (401 if user is None else 403))
        if allowed:
            document = Client().get("/api/v1/openapi.json").json()
            schema = document["paths"]["/api/v1/arrangements/{pk}/readiness/rounds"]["post"]["responses"]["201"]
            body = response.json()
            jsonschema.Draft202012Validator(
                {**schema["content"]["application/json"]["schema"], "components": document["components"]}
            ).validate(body)
            assert body["round"] == 2 and body["factors"][0]["score"] is None
    assert Round.objects.filter(arrangement=legal).count() == (2 if allowed else 1)


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("county_editor", 403), ("north_viewer", 403),
                                         ("moderator", 403), ("south_editor", 200)])  # fmt: skip
def test_who_publishes_the_summary_through_the_api(world, who, status):
    legal = world["arrangement"]
    send("api", world["north_editor"], legal, "NTT", 3)
    user = None if who == "anonymous" else world[who]
    headers = bearer(user) if user is not None else {}
    path = f"/api/v1/arrangements/{legal.pk}/readiness/publish"
    response = Client().post(path, {"published": True}, content_type="application/json", **headers)
    assert response.status_code == status
    assert (Round.objects.get(arrangement=legal).published_at is not None) is (status == 200)
    assert (Client().get(f"/api/v1/arrangements/{legal.pk}/readiness").status_code == 200) is (status == 200)
