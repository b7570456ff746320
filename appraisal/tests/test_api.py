"""`POST /api/v1/appraisal` through the Django test client, checked against the OpenAPI document.

No test here asks for the database: the appraisal is stateless, and pytest-django would
fail any test that touched it.
"""

from __future__ import annotations

import copy

import jsonschema
import pytest
from django.test import Client

from engines.appraisal.examples import LGA_2012

PATH = "/api/v1/appraisal"

CASE = {
    "start_year": 2026,
    "years": 4,
    "discount": "standard",
    "lines": [
        {"name": "ICT and data migration", "kind": "one_off_cost", "category": "ict_data_migration",
         "amounts": [1000, 0, 0, 0], "low": [900, 0, 0, 0], "high": [1500, 0, 0, 0]},
        {"name": "Staff", "kind": "saving", "category": "staff", "amounts": [0, 400, 400, 400],
         "low": [0, 200, 200, 200], "high": [0, 450, 450, 450]},
    ],
}  # fmt: skip
FULL = {
    **CASE,
    "optimism_bias": {"costs_pct": 10, "savings_pct": 5, "delay_years": 0.5, "reason": "Finance's view"},
    "risk": {"draws": 5000, "seed": 42},
    "partners": [
        {"code": "TST", "population": 500_000, "standalone_cost": 700},
        {"code": "NTN", "population": 100_000, "standalone_cost": 400},
        {"code": "SVL", "population": 100_000, "standalone_cost": 400},
    ],
    "split": {"method": "shapley"},
}


def post(body) -> tuple[int, dict]:
    response = Client().post(PATH, body, content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _valid(document: dict, status: int, body) -> None:
    """Validate with jsonschema against the schema the OpenAPI document declares for that answer,
    and insist every field the answer has is documented, so the document cannot fall behind."""
    schema = document["paths"][PATH]["post"]["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": document["components"]}).validate(body)
    name = schema["$ref"].removeprefix("#/components/schemas/")
    assert set(body) == set(document["components"]["schemas"][name]["properties"])


def test_a_case_worked_by_hand(document):
    status, body = post(CASE)
    assert status == 200, body
    _valid(document, 200, body)
    pv = 400 / 1.035 + 400 / 1.035**2 + 400 / 1.035**3
    assert body["npv"] == round(pv - 1000, 2)
    assert body["pv_costs"] == 1000 and body["pv_savings"] == round(pv, 2)
    assert body["vfm_band"] == "Low"
    assert body["payback_years"] == pytest.approx(3.5)
    assert [f["financial_year"] for f in body["flows"]] == ["2026/27", "2027/28", "2028/29", "2029/30"]
    assert [f["year"] for f in body["flows"]] == [0, 1, 2, 3]
    assert body["flows"][0]["discount_factor"] == 1
    assert body["discount_schedule"] == {"name": "standard", "version": "2026.1", "dated": "2026-12-01",
                                         "source": body["discount_schedule"]["source"]}  # fmt: skip
    assert set(body["switching_values"]) == {"savings_pct", "costs_pct", "delay_years"}
    # Omitted: no optimism bias, no risk, no split.
    assert body["optimism_bias"] is None and body["risk"] is None and body["split"] is None


def test_everything_at_once(document):
    status, body = post(FULL)
    assert status == 200, body
    _valid(document, 200, body)
    assert [a["target"] for a in body["optimism_bias"]["adjustments"]] == [
        "one_off_costs", "running_costs", "savings", "savings_delay"]  # fmt: skip
    assert all(a["reason"] == "Finance's view" for a in body["optimism_bias"]["adjustments"])
    assert body["flows"][0]["costs"] == 1100  # the 10% uplift is in the answer's flows
    risk = body["risk"]
    assert risk["seed"] == 42 and risk["draws"] == 5000
    assert risk["p10"] <= risk["p50"] <= risk["p90"]
    assert len(risk["s_curve"]) == 101 and {bar["name"] for bar in risk["tornado"]} == {
        "ICT and data migration",
        "Staff",
    }
    assert [p["code"] for p in body["split"]] == ["TST", "NTN", "SVL"]
    assert sum(p["costs"] for p in body["split"]) == 1100
    # Alike partners pay alike, but for the odd pound that makes the total exact.
    assert body["split"][1]["share"] == pytest.approx(body["split"][2]["share"])
    assert abs(body["split"][1]["costs"] - body["split"][2]["costs"]) <= 1
    assert body["split_details"]["in_core"] is True and body["split_details"]["exact"] is True
    assert post(FULL)[1]["risk"] == risk  # seeded: the same answer again


@pytest.mark.parametrize("discount, step", [("standard", 1.03), ("health", 1.0129)])
def test_the_discount_schedule_steps_after_year_30(discount, step):
    years = 40
    body = {"start_year": 2026, "years": years, "discount": discount,
            "lines": [{"name": "s", "kind": "saving", "amounts": [1] * years}]}  # fmt: skip
    flows = post(body)[1]["flows"]
    assert flows[30]["discount_factor"] / flows[31]["discount_factor"] == pytest.approx(step)


@pytest.mark.parametrize("study", [s for s in LGA_2012 if s.set_up_cost is not None], ids=lambda s: s.name)
def test_the_lga_2012_cases_pay_back_within_two_years_through_the_api(study):
    case = study.case()
    body = {"start_year": case.start_year, "years": case.years,
            "lines": [{"name": line.name, "kind": line.kind, "category": line.category, "amounts": list(line.amounts)}
                      for line in case.lines]}  # fmt: skip
    status, answer = post(body)
    assert status == 200
    assert answer["payback_years"] < 2


def _with(change) -> dict:
    body = copy.deepcopy(FULL)
    change(body)
    return body


@pytest.mark.parametrize(
    "change, field, code",
    [
        (lambda b: b["lines"][0].update(amounts=[1, 2, 3]), "lines[0].amounts", "wrong_length"),
        (lambda b: b["lines"][1].update(low=[0, 500, 200, 200]), "lines[1].low", "out_of_order"),
        (lambda b: b["lines"][1].update(high=[0, 300, 450, 450]), "lines[1].high", "out_of_order"),
        (lambda b: b["lines"][0].update(amounts=[-1, 0, 0, 0], low=None), "lines[0].amounts", "negative"),
        (lambda b: b["risk"].update(draws=1_000_001), "risk.draws", "out_of_range"),
        (lambda b: b["risk"].update(savings_correlation=2), "risk.savings_correlation", "out_of_range"),
        (lambda b: b.update(years=0), "years", "out_of_range"),
        (lambda b: b.update(years=61), "years", "out_of_range"),
        (lambda b: b.update(split={"method": "custom", "shares": {"TST": 50, "NTN": 30, "SVL": 10}}),
         "split.shares", "not_100"),
        (lambda b: b.update(split={"method": "population"}, partners=[{"code": "TST", "population": 1}, {"code": "X"}]),
         "partners[1].population", "required"),
        (lambda b: b.update(partners=[]), "partners", "required"),
        (lambda b: b["partners"][0].update(standalone_cost=None), "partners[0].standalone_cost", "required"),
        (lambda b: b["split"].update(coalition_costs=[{"members": ["TST", "ZZZ"], "cost": 5}]),
         "split.coalition_costs[0].members", "unknown"),
        (lambda b: b["optimism_bias"].update(savings_pct=150), "optimism_bias.adjustments[2].amount", "out_of_range"),
        (lambda b: b["optimism_bias"].update(project_type="equipment_development"), "optimism_bias.costs_pct",
         "either_or"),
        (lambda b: b["optimism_bias"].update(project_type="castles", costs_pct=None, delay_years=None),
         "optimism_bias.project_type", "invalid"),
        # Shapes are the schema's to refuse, in the same body.
        (lambda b: b["lines"][0].update(kind="magic"), "lines[0].kind", "invalid"),
        (lambda b: b.pop("start_year"), "start_year", "required"),
        (lambda b: b["lines"][0].update(amounts="lots"), "lines[0].amounts", "invalid"),
    ],
)  # fmt: skip
def test_problems_answer_422_naming_the_field(document, change, field, code):
    status, body = post(_with(change))
    assert status == 422, body
    _valid(document, 422, body)
    assert (field, code) in [(p["field"], p["code"]) for p in body["problems"]], body["problems"]


def test_every_problem_is_reported_at_once(document):
    body = _with(lambda b: (b["lines"][0].update(amounts=[1]), b["risk"].update(draws=0)))
    status, answer = post(body)
    assert status == 422
    assert {p["field"] for p in answer["problems"]} >= {"lines[0].amounts", "risk.draws"}
    assert answer["detail"] == f"{len(answer['problems'])} problems: the case was not appraised"


def test_the_guidance_bounds_through_the_api():
    bias = {"project_type": "standard_buildings", "mitigation": 0.5, "savings_pct": 10, "reason": "Survey done"}
    status, body = post({**CASE, "optimism_bias": bias})
    assert status == 200, body
    adjustments = body["optimism_bias"]["adjustments"]
    assert [(a["target"], a["amount"]) for a in adjustments] == [
        ("one_off_costs", 12), ("savings_delay", 0.02), ("savings", 10)]  # fmt: skip
    assert "upper bound of 24%" in adjustments[0]["reason"] and adjustments[0]["source"]


def test_too_much_work_for_one_request_is_refused():
    years = 60
    # A mode in a different place each year: 60 shapes a line to draw.
    line = {"name": "x", "kind": "saving", "low": [0] * years, "amounts": list(range(1, years + 1)),
            "high": [100] * years}  # fmt: skip
    status, body = post({"start_year": 2026, "years": years, "lines": [line] * 10, "risk": {"draws": 1_000_000}})
    assert status == 422
    assert [(p["field"], p["code"]) for p in body["problems"]] == [("risk.draws", "too_much_work")]


def test_the_openapi_document_declares_the_endpoint_its_422_and_its_conventions(document):
    operation = document["paths"][PATH]["post"]
    assert set(operation["responses"]) == {"200", "422"}
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = set(document["components"]["schemas"][request]["properties"])
    assert {"start_year", "years", "discount", "lines", "optimism_bias", "risk", "partners", "split"} <= fields
    # The economies-of-scale model and the delay's meaning are stated where API users read.
    assert "c(S) = (1 − θ)" in operation["description"]
    assert "what slips past the period is lost" in operation["description"]
