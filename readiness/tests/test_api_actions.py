"""The readiness action plan through the API, beside the page: who sees it, who adds and changes
actions, the problems each field can have (named the same way at both doors), bodies that are not
what the schema says, and every answer checked against the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.tests.factories import ApiTokenFactory
from organisations.tests.openapi import errors, response_schema
from readiness import writes
from readiness.models import Action
from readiness.tests.factories import ActionFactory
from tests.world import shared_service

PLAN = "/api/v1/arrangements/{pk}/readiness/actions"
ONE = "/api/v1/arrangements/{pk}/readiness/actions/{action_id}"
GOOD = {"factor": "exit_strategy", "text": "Draft exit terms", "owner": "SVL", "due_on": "2027-03-31"}


def token(user) -> dict[str, str]:
    """Headers carrying a token of `user`, made by the factory (no headers for anonymous)."""
    return {} if user is None else {"HTTP_AUTHORIZATION": f"Bearer {ApiTokenFactory(user=user).secret}"}


def api(method: str, user, path: str, body=None):
    send = getattr(Client(), method)
    if body is None:
        return send(path, **token(user))
    return send(path, body, content_type="application/json", **token(user))


def page_fields(fields: dict) -> dict:
    """The page form's fields for the same input: the date in the GOV.UK date input's three boxes."""
    data = {k: v for k, v in fields.items() if k not in ("due_on", "done")}
    year, month, day = (fields["due_on"].split("-") + ["", "", ""])[:3]
    data.update({"due_on_day": day, "due_on_month": month, "due_on_year": year})
    if fields.get("done"):
        data["done"] = "on"
    return data


def page(user, arrangement, fields: dict, action: Action | None = None):
    client = Client()
    if user is not None:
        client.force_login(user)
    where = f"/arrangements/{arrangement.pk}/readiness/actions/" + (f"{action.pk}/" if action else "")
    return client.post(where, page_fields(fields))


@pytest.fixture
def document(db):
    return Client().get("/api/v1/openapi.json").json()


def matches(document, path: str, method: str, response) -> None:
    schema = response_schema(document, path, response.status_code, method)
    assert errors(response.json(), schema, document) == [], response.json()


@pytest.fixture
def plan(world):
    """One action in the Testshire legal service's plan, owned by Northtown."""
    return ActionFactory(arrangement=world["arrangement"], owner=world["north"], created_by=world["north_editor"])


def test_a_partners_editor_adds_an_action_and_the_partners_see_the_plan(world, document):
    legal = world["arrangement"]
    added = api("post", world["north_editor"], PLAN.format(pk=legal.pk), GOOD)
    assert added.status_code == 201
    matches(document, PLAN, "post", added)
    body = added.json()
    action = Action.objects.get()
    assert body["id"] == action.pk and action.arrangement == legal and action.created_by == world["north_editor"]
    assert (body["factor"], body["text"], body["owner"], body["owner_name"]) == (
        "exit_strategy",
        "Draft exit terms",
        "SVL",
        world["south"].name,
    )
    assert body["due_on"] == "2027-03-31" and body["done"] is False and action.due_on == dt.date(2027, 3, 31)
    # The partners' members (a viewer too) and moderators see it; the page shows the same plan.
    for who in ("north_viewer", "south_editor", "moderator"):
        seen = api("get", world[who], PLAN.format(pk=legal.pk))
        assert seen.status_code == 200, who
        matches(document, PLAN, "get", seen)
        assert seen.json() == [body]
    client = Client()
    client.force_login(world["north_viewer"])
    assert "Draft exit terms" in client.get(f"/arrangements/{legal.pk}/readiness/").content.decode()


def test_a_change_keeps_the_fields_not_sent(world, plan, document):
    path = ONE.format(pk=world["arrangement"].pk, action_id=plan.pk)
    before = {"factor": plan.factor, "text": plan.text, "owner": "NTT", "due_on": "2027-03-31"}
    done = api("patch", world["south_editor"], path, {"done": True})
    assert done.status_code == 200
    matches(document, ONE, "patch", done)
    assert done.json()["done"] is True and {k: done.json()[k] for k in before} == before
    moved = api("patch", world["north_editor"], path, {"due_on": "2027-06-30", "owner": "SVL"})
    assert moved.status_code == 200
    plan.refresh_from_db()
    assert (plan.due_on, plan.owner, plan.done, plan.text) == (
        dt.date(2027, 6, 30),
        world["south"],
        True,
        before["text"],
    )
    assert plan.updated_at > plan.created_at
    assert api("get", world["north_viewer"], PLAN.format(pk=plan.arrangement_id)).json() == [moved.json()]


def test_the_plan_is_for_the_partners_and_moderators_only(world, plan, document):
    """As on the page, where only they see it: anyone else is refused, even once the summary is published."""
    legal = world["arrangement"]
    writes.answer(world["north_editor"], legal, "NTT", [{"question": "leadership-1", "value": 3}])
    assert writes.publish(world["north_editor"], legal).ok
    for who in (None, "county_editor"):
        refused = api("get", world[who] if who else None, PLAN.format(pk=legal.pk))
        assert refused.status_code == 403, who
        assert refused.json() == {"detail": "Only the partners' members and moderators see the action plan"}
        matches(document, PLAN, "get", refused)
    # The page shows them the published summary, without the plan.
    outsider = Client()
    outsider.force_login(world["county_editor"])
    html = outsider.get(f"/arrangements/{legal.pk}/readiness/").content.decode()
    assert plan.text not in html
    wrong = Client().get(PLAN.format(pk=legal.pk), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert wrong.status_code == 401
    matches(document, PLAN, "get", wrong)


@pytest.mark.parametrize("door, anonymous", [("page", 302), ("api", 401)])
@pytest.mark.parametrize("who", ["anonymous", "north_viewer", "county_editor", "moderator"])
def test_who_cannot_add_or_change_an_action_at_either_door(world, plan, document, door, anonymous, who):
    """A viewer of a partner, an editor of a non-partner and a moderator are refused (403), and anonymous
    is sent to sign in (page) or refused (401): nothing is written."""
    legal = world["arrangement"]
    user = None if who == "anonymous" else world[who]
    expected = anonymous if user is None else 403
    change = {**GOOD, "done": True}
    if door == "page":
        assert page(user, legal, GOOD).status_code == expected
        assert page(user, legal, change, plan).status_code == expected
    else:
        added = api("post", user, PLAN.format(pk=legal.pk), GOOD)
        changed = api("patch", user, ONE.format(pk=legal.pk, action_id=plan.pk), change)
        assert (added.status_code, changed.status_code) == (expected, expected)
        matches(document, PLAN, "post", added)
        matches(document, ONE, "patch", changed)
        if user is not None:
            assert added.json()["detail"] == "Only an editor of a partner can add to the action plan"
            assert changed.json()["detail"] == "Only an editor of a partner can change the action plan"
    assert list(Action.objects.all()) == [plan]
    unchanged = Action.objects.get()
    assert (unchanged.factor, unchanged.owner, unchanged.done) == ("leadership", world["north"], False)


@pytest.mark.parametrize("door", ["page", "api"])
def test_an_arrangement_they_cannot_see_and_an_action_of_another_are_not_found(world, testshire, document, door):
    draft = shared_service("Testshire shared payroll (draft)", "exploring", [testshire.northtown], published=False)
    hidden = ActionFactory(arrangement=draft, owner=testshire.northtown)
    legal = world["arrangement"]
    outsider, editor = world["county_editor"], world["north_editor"]
    change = {**GOOD, "owner": "NTT", "done": True}
    if door == "page":
        client = Client()
        client.force_login(outsider)
        assert client.get(f"/arrangements/{draft.pk}/readiness/").status_code == 404
        assert page(outsider, draft, GOOD).status_code == 404
        assert page(outsider, draft, change, hidden).status_code == 404
        # Northtown's editor may change its draft's plan, but not through the legal service's address.
        assert page(editor, legal, change, hidden).status_code == 404
    else:
        answers = [
            api("get", None, PLAN.format(pk=draft.pk)),
            api("get", outsider, PLAN.format(pk=draft.pk)),
            api("post", outsider, PLAN.format(pk=draft.pk), GOOD),
            api("patch", outsider, ONE.format(pk=draft.pk, action_id=hidden.pk), change),
            api("patch", editor, ONE.format(pk=legal.pk, action_id=hidden.pk), change),
            api("patch", editor, ONE.format(pk=legal.pk, action_id=99999), change),
        ]
        assert [a.status_code for a in answers] == [404] * len(answers)
        matches(document, PLAN, "get", answers[0])
        matches(document, PLAN, "post", answers[2])
        matches(document, ONE, "patch", answers[3])
    assert list(Action.objects.all()) == [hidden]
    hidden.refresh_from_db()
    assert (hidden.done, hidden.owner, hidden.factor) == (False, testshire.northtown, "leadership")


# Each field's problem, and the write path's words for it, the same at both doors.
PROBLEMS = [
    ("factor", {"factor": "nope"}, "Choose the factor the action is for"),
    ("text", {"text": "   "}, "Enter what will be done"),
    ("text", {"text": "x" * (writes.ACTION_MAX + 1)}, f"Keep the action under {writes.ACTION_MAX} characters"),
    ("owner", {"owner": "TST"}, "Choose the partner organisation that owns the action"),  # not a partner
    ("due_on", {"due_on": "2027-02-30"}, "Enter the date the action is due, like 31 3 2027"),
    ("due_on", {"due_on": "2027"}, "Enter the date the action is due, like 31 3 2027"),
]


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("changing", [False, True], ids=["add", "change"])
@pytest.mark.parametrize("field, bad, message", PROBLEMS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PROBLEMS)])
def test_each_fields_problem_is_named_the_same_way_at_both_doors(
    world, plan, document, door, changing, field, bad, message
):
    legal, editor = world["arrangement"], world["north_editor"]
    sent = {**GOOD, **bad}
    if door == "page":
        response = page(editor, legal, sent, plan if changing else None)
        assert response.status_code == 200
        assert f'href="#id_{field}">{message}</a>' in response.content.decode()
    else:
        path, method = (ONE, "patch") if changing else (PLAN, "post")
        response = api(method, editor, path.format(pk=legal.pk, action_id=plan.pk), sent)
        assert response.status_code == 422
        matches(document, path, method, response)
        assert [(p["field"], p["code"] != "", p["message"]) for p in response.json()["problems"]] == [
            (field, True, message)
        ]
    assert list(Action.objects.all()) == [plan]
    plan.refresh_from_db()
    assert (plan.factor, plan.owner, plan.due_on) == ("leadership", world["north"], dt.date(2027, 3, 31))


def test_every_problem_at_once_names_every_field(world, document):
    legal = world["arrangement"]
    bad = {"factor": "", "text": "", "owner": "ZZZ", "due_on": "soon"}
    response = api("post", world["north_editor"], PLAN.format(pk=legal.pk), bad)
    assert response.status_code == 422
    matches(document, PLAN, "post", response)
    problems = response.json()["problems"]
    assert [p["field"] for p in problems] == ["factor", "text", "owner", "due_on"]
    assert [p["code"] for p in problems] == ["unknown", "required", "not_partner", "invalid"]
    assert problems[3]["value"] == "soon"
    assert not Action.objects.exists()


BODIES = [
    ("post", {}, {"factor", "text", "owner", "due_on"}),
    ("post", {**GOOD, "due_on": 20270331}, {"due_on"}),
    ("post", {**GOOD, "due_on": None}, {"due_on"}),
    ("post", {**GOOD, "owner": ["SVL"]}, {"owner"}),
    ("post", {**GOOD, "text": {"what": "x"}}, {"text"}),
    ("post", {**GOOD, "due_on": "20270331"}, {"due_on"}),
    ("post", [GOOD], {"factor", "text", "owner", "due_on"}),  # a list, not the one action
    ("patch", {"done": "perhaps"}, {"done"}),
    ("patch", {"done": None}, {"done"}),
    ("patch", {"text": None}, {"text"}),
    ("patch", {"due_on": "soon"}, {"due_on"}),
    ("patch", {"due_on": "31/03/2027"}, {"due_on"}),
    ("patch", {"owner": 7}, {"owner"}),
]


@pytest.mark.parametrize("method, body, fields", BODIES)
def test_a_body_that_is_not_what_the_schema_says_is_a_422_never_a_500(world, plan, document, method, body, fields):
    legal = world["arrangement"]
    path = PLAN if method == "post" else ONE
    response = api(method, world["north_editor"], path.format(pk=legal.pk, action_id=plan.pk), body)
    assert response.status_code == 422, response.content
    matches(document, path, method, response)
    assert {p["field"] for p in response.json()["problems"]} == fields
    assert list(Action.objects.all()) == [plan]
    plan.refresh_from_db()
    assert (plan.done, plan.text, plan.due_on) == (
        False,
        "Name a political sponsor in each partner",
        dt.date(2027, 3, 31),
    )


def test_a_body_that_is_not_json_is_refused(world, plan):
    legal, headers = world["arrangement"], token(world["north_editor"])
    for method, path in (("post", PLAN), ("patch", ONE)):
        send = getattr(Client(), method)
        response = send(
            path.format(pk=legal.pk, action_id=plan.pk), "{not json", content_type="application/json", **headers
        )
        assert response.status_code in (400, 422)
    assert list(Action.objects.all()) == [plan]


def test_the_write_path_reads_the_date_and_the_text_for_both_doors(world):
    legal, editor = world["arrangement"], world["north_editor"]
    as_text = writes.add_action(
        editor, legal, factor="timing", text="Agree the dates", owner="NTT", due_on="2027-04-01"
    )
    as_date = writes.add_action(
        editor, legal, factor="timing", text="Agree the dates", owner="NTT", due_on=dt.date(2027, 4, 1)
    )
    assert as_text.ok and as_date.ok and as_text.value.due_on == as_date.value.due_on == dt.date(2027, 4, 1)
    for given in ("2027-4-1", "2027-W13-3", "", None, 20270401):
        outcome = writes.add_action(editor, legal, factor="timing", text="Agree", owner="NTT", due_on=given)
        assert [p.field for p in outcome.problems] == ["due_on"], given
    changed = writes.change_action(
        editor, as_text.value, factor="timing", text="Agree", owner="NTT", due_on="2027-05-01", done="yes"
    )
    assert [p.field for p in changed.problems] == ["done"]
    # The limit is on the text kept, which is stripped: the page's form strips it before it gets here.
    padded = f"  {'x' * writes.ACTION_MAX}  "
    assert writes.add_action(editor, legal, factor="timing", text=padded, owner="NTT", due_on="2027-04-01").ok
    assert Action.objects.count() == 3


def test_the_document_lists_the_plans_operations_and_their_answers(document):
    operations = {
        (PLAN, "get"): {"200", "401", "403", "404"},
        (PLAN, "post"): {"201", "401", "403", "404", "422"},
        (ONE, "patch"): {"200", "401", "403", "404", "422"},
    }
    for (path, method), statuses in operations.items():
        operation = document["paths"][path][method]
        assert set(operation["responses"]) == statuses, (path, method)
        assert operation["summary"] and operation["description"]
    patch = document["components"]["schemas"]["ReadinessActionPatch"]
    assert not patch.get("required")  # every field may be left out
    assert set(document["components"]["schemas"]["ReadinessActionIn"]["required"]) == set(GOOD)
