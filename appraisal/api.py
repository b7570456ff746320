"""`POST /api/v1/appraisal`: a business case in, its Green Book appraisal out. Stateless: nothing is stored.

The door only translates: JSON to the engine's dataclasses, the engine's results and
problems back to JSON. Every rule and every number lives in `engines.appraisal`.
"""

from __future__ import annotations

import math
from typing import Any

from ninja import Router

from appraisal.schemas import AppraisalIn, AppraisalOut, OptimismBiasIn
from arrangements.schemas import ProblemsOut
from engines import appraisal as engine
from engines.appraisal import case as case_module
from engines.appraisal import optimism, risk, split

router = Router()

DESCRIPTION = """Appraise a business case the Green Book way. Nothing is stored.

**Years and money.** `amounts` has one figure a year from year 0 (the financial year starting
in April of `start_year`, which is not discounted), in pounds in real terms. Costs and savings
are positive; net = savings − costs. `discount` picks the dated, versioned schedule
(standard: 3.5% for years 0–30, then 3.0%, 2.5%, 2.0%, 1.5%, 1.0%; health: 1.5%, 1.29%,
1.07%, 0.86%, 0.64%, 0.43%), compounding year by year; `discount_schedule` says which.

**Payback** counts from the start of year 0 with each year's flow spread evenly through it
(costs recovered exactly at the end of year 1: 2.0 years), to the point after which the
cumulative net stays at or above zero; null when it ends the period below zero.

**BCR** is PV savings / PV costs with its value-for-money label (Poor below 1, Low 1–1.5,
Medium 1.5–2, High 2–4, Very high 4 and over): a label, not a pass mark.

**Switching values**: the % fall in every saving and the % rise in every cost that bring NPV
to zero (negative when NPV is already below zero), and the delay of every saving in years,
possibly fractional, that does: a year's saving slips as a block spread through its year,
and what slips past the period is lost. Null where no value does.

**Optimism bias** (omitted: none) is applied before everything else, each adjustment listed
with its reason: `costs_pct`, `savings_pct`, `delay_years`; or `project_type` for the
guidance's upper bounds, reduced by `mitigation`.

**Risk**: `draws` trials seeded with `seed`; each trial draws each line once (its years move
together) from a triangular or PERT distribution over low, likely and high, savings lines
optionally correlated (a Gaussian copula). P10/P50/P90 NPV, the chance of NPV below zero and
of no payback within the period, the S-curve and the tornado (each line alone at its low and
high values).

**Split** between `partners`, worked when `split` is given: one share per partner applied to
every line; `costs`, `savings` and `net` are undiscounted totals and `npv` discounted, whole
pounds summing exactly to the case's totals. `shapley` shares the case's costs by the Shapley
value of a cost game: a partner alone costs its `standalone_cost`, all together cost the
case's costs, a group in `coalition_costs` costs what is entered, and any other group is
estimated by the economies of scale model c(S) = (1 − θ) × Σ stand-alone costs + θ × the
largest stand-alone cost in S (a share θ of each cost is capacity a group needs once, sized
for its largest member), with θ calibrated so the model gives the case's own costs unless
`shared_fraction` is entered. Exact up to 12 partners, sampled orders beyond.
`worse_off_than_alone`: paying more than its stand-alone cost (or, with none entered, a
negative NPV). `in_core`: no group would pay less on its own.

Problems answer 422 with each field named, e.g. `lines[0].amounts`."""


def _bias(given: OptimismBiasIn) -> tuple[optimism.OptimismBias, list[engine.Problem]]:
    reason = given.reason or "Entered with the case"
    if given.project_type is None:
        simple = optimism.OptimismBias.simple(
            given.costs_pct or 0, given.savings_pct or 0, given.delay_years or 0, reason
        )
        return simple, []
    found = [
        engine.Problem(f"optimism_bias.{name}", "either_or", "Give a project type or your own percentages, not both")
        for name in ("costs_pct", "delay_years")
        if getattr(given, name) is not None
    ]
    try:
        guided = optimism.from_guidance(given.project_type, given.mitigation, given.implementation_years, given.reason)
    except engine.InvalidCase as refused:
        return optimism.OptimismBias(), [*found, *refused.problems]
    extra = optimism.OptimismBias.simple(savings_pct=given.savings_pct or 0, reason=reason)
    return optimism.OptimismBias(guided.adjustments + extra.adjustments), found


def _problems_body(found: list[engine.Problem]) -> dict[str, Any]:
    count = len(found)
    return {
        "detail": f"{count} problem{'s' if count != 1 else ''}: the case was not appraised",
        "problems": [{"field": p.field, "code": p.code, "message": p.message} for p in found],
    }


def _pence(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@router.post("", response={200: AppraisalOut, 422: ProblemsOut}, summary="Appraise a business case",
             description=DESCRIPTION)  # fmt: skip
def appraise(request, payload: AppraisalIn):
    schedule = engine.SCHEDULES[payload.discount]
    case = engine.Case(
        start_year=payload.start_year,
        years=payload.years,
        lines=tuple(
            engine.Line(
                name=line.name,
                kind=line.kind,
                amounts=tuple(line.amounts),
                category=line.category,
                low=None if line.low is None else tuple(line.low),
                high=None if line.high is None else tuple(line.high),
            )
            for line in payload.lines
        ),
        discount=schedule,
    )
    found = case_module.problems(case)
    bias = optimism.OptimismBias()
    if payload.optimism_bias is not None:
        bias, bias_found = _bias(payload.optimism_bias)
        found += bias_found + optimism.problems(bias)
    settings = None
    if payload.risk is not None:
        given = payload.risk
        settings = risk.RiskSettings(given.draws, given.seed, given.distribution, given.savings_correlation)
        found += risk.problems(settings, None if found else case)
    partners = [split.Partner(p.code, p.population, p.baseline, p.usage, p.standalone_cost) for p in payload.partners]
    how = None
    if payload.split is not None:
        given_split = payload.split
        how = split.SplitSettings(
            method=given_split.method,
            shares=given_split.shares,
            coalition_costs=tuple(split.Coalition(tuple(c.members), c.cost) for c in given_split.coalition_costs),
            shared_fraction=given_split.shared_fraction,
            permutations=given_split.permutations,
            seed=given_split.seed,
        )
        costs = sum(sum(line.amounts) for line in case.lines if line.is_cost)
        found += split.problems(partners, how, costs if math.isfinite(costs) else 0.0)
    if found:
        return 422, _problems_body(found)

    # Optimism bias first: the risk and the split are of the adjusted case, which is the case.
    adjusted = optimism.apply(case, bias)
    simulated = engine.simulate(adjusted, settings) if settings is not None else None
    shared = split.split_case(adjusted, partners, how) if how is not None else None
    return 200, results_body(
        engine.appraise(adjusted), bias if payload.optimism_bias is not None else None, simulated, shared
    )


def results_body(
    result: engine.Appraisal,
    bias: optimism.OptimismBias | None,
    simulated: engine.RiskResult | None,
    shared: engine.SplitResult | None,
) -> dict[str, Any]:
    """An appraisal as `AppraisalOut`, money to the penny: this API's answer and a stored case's results."""
    body = result.as_dict()
    for key in ("npv", "pv_costs", "pv_savings"):
        body[key] = _pence(body[key])
    for flow in body["flows"]:
        for key in ("costs", "savings", "net", "present_value", "cumulative_present_value"):
            flow[key] = _pence(flow[key])
    body["optimism_bias"] = bias.as_dict() if bias is not None else None
    body["risk"] = None
    if simulated is not None:
        risk_body = simulated.as_dict()
        for key in ("mean", "p10", "p50", "p90"):
            risk_body[key] = _pence(risk_body[key])
        for point in risk_body["s_curve"]:
            point["npv"] = _pence(point["npv"])
        for bar in risk_body["tornado"]:
            for key in ("low_npv", "high_npv", "low_effect", "high_effect"):
                bar[key] = _pence(bar[key])
        body["risk"] = risk_body
    body["split"] = body["split_details"] = None
    if shared is not None:
        body["split"] = [row.as_dict() for row in shared.partners]
        body["split_details"] = shared.as_dict()
    return body
