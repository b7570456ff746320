"""The questionnaire as data: every factor the issue lists, one light question per factor at
every stage, questions that depend on the stage, and evidence behind every question."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from engines import readiness as engine
from evidence.importers import load
from evidence.models import Source
from readiness import questions
from tests.world import load_evidence_library

# The factors the issue names, in its words, to our keys.
ISSUE_FACTORS = {
    "leadership (political and managerial)": "leadership",
    "shared vision and objectives": "vision",
    "trust and history": "trust",
    "business case and baseline": "business_case",
    "benefits plan": "benefits_plan",
    "capacity and resources": "capacity",
    "staff and union engagement and TUPE": "staff_engagement",
    "communication": "communication",
    "IT and data compatibility and migration": "it_data",
    "HR terms and conditions": "hr_terms",
    "governance and member oversight": "governance",
    "a written agreement": "written_agreement",
    "service level agreements": "sla",
    "exit strategy": "exit_strategy",
    "contingency plan": "contingency",
    "the split of costs and benefits": "cost_benefit_split",
    "pace and phasing": "pace",
    "timing": "timing",
}


def test_every_factor_the_issue_lists_has_questions_and_is_in_the_library():
    asked = {q.factor for q in questions.every_question()}
    assert set(ISSUE_FACTORS.values()) <= asked
    assert asked == {f["key"] for f in load("factors")}


@pytest.mark.parametrize("stage", list(engine.STAGE_LABELS))
def test_the_light_set_is_one_question_per_factor_at_every_stage(stage):
    light = questions.for_stage(stage, "light")
    assert sorted(q.factor for q in light) == sorted(set(ISSUE_FACTORS.values()))


def test_the_questions_asked_depend_on_the_stage():
    ids = {stage: {q.id for q in questions.for_stage(stage)} for stage in engine.STAGE_LABELS}
    assert "timing-2" in ids["initiate"] and "timing-2" not in ids["operate"]  # contracts that stop joining
    assert "it_data-2" in ids["set_up"] and "it_data-2" in ids["implement"] and "it_data-2" not in ids["lessons"]
    assert "exit_strategy-2" in ids["operate"] and "exit_strategy-2" not in ids["initiate"]
    assert len({frozenset(v) for v in ids.values()}) == len(ids)  # every stage asks a different set


def test_questions_have_unique_ids_and_a_scale_where_higher_is_readier():
    every = questions.every_question()
    assert len({q.id for q in every}) == len(every)
    assert all(q.min < q.max for q in every)
    assert all(set(q.stages) <= set(engine.STAGE_LABELS) and q.stages for q in every)


def test_every_question_links_to_at_least_one_source_that_exists(db):
    load_evidence_library()
    known = set(Source.objects.values_list("key", flat=True))
    for q in questions.every_question():
        assert q.sources, q.id
        assert set(q.sources) <= known, (q.id, set(q.sources) - known)


def test_the_questions_api_matches_the_openapi_document_and_filters(db):
    import jsonschema

    document = Client().get("/api/v1/openapi.json").json()
    schema = document["paths"]["/api/v1/readiness/questions"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    body = Client().get("/api/v1/readiness/questions").json()
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    assert len(body) == len(questions.every_question())
    first = body[0]
    assert set(first) == {"id", "factor", "text", "scale", "sources", "stages", "light"}
    assert first["scale"] == {"min": 1, "max": 5}
    light = Client().get("/api/v1/readiness/questions?stage=operate&mode=light").json()
    assert len(light) == len(ISSUE_FACTORS)
    bad = Client().get("/api/v1/readiness/questions?stage=someday")
    assert bad.status_code == 422
    schema422 = document["paths"]["/api/v1/readiness/questions"]["get"]["responses"]["422"]["content"][
        "application/json"
    ]["schema"]
    jsonschema.Draft202012Validator({**schema422, "components": document["components"]}).validate(bad.json())
    assert json.loads(bad.content)["problems"][0]["field"] == "stage"
