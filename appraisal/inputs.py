"""A stored case's inputs: their one shape, their checks, and the appraisal they give.

The document (`BusinessCase.data`, the body of `PUT /api/v1/arrangements/{id}/business-case`):

    {"start_year", "years", "discount",
     "lines": [{"name", "kind", "category", "amounts", "low", "high"}],
     "optimism_bias": {"project_type", "one_off_costs_pct", "running_costs_pct", "delay_years",
                       "mitigation", "mitigation_reason", "reason",
                       "savings_from_register", "savings_pct", "savings_reason",
                       "extra": [{"target", "amount", "reason", "source"}]},
     "risk": {"draws", "seed", "distribution", "savings_correlation"},
     "split": {"method", "shares", "coalition_costs": [{"members", "cost"}]},
     "partners": [{"code", "population", "baseline", "usage", "standalone_cost"}]}

Optimism bias starts from the guidance's upper bounds for `project_type`; a figure that
differs from the bound needs a `reason`. The savings cut comes from the register's
reference class when `savings_from_register` (falling back to `savings_pct` when fewer
than 5 comparable arrangements qualify). `extra` holds further adjustments, each with its
reason (a readiness hint may add one). Every adjustment is listed with its reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from engines import appraisal as engine
from engines import ledger
from engines.appraisal import case as case_module
from engines.appraisal import optimism, risk, split
from engines.appraisal.reality import RealityCheck
from sharewell.problems import Problem

PROJECT_TYPES = {key: bound.label for key, bound in optimism.UPPER_BOUNDS.items()}
DEFAULT_PROJECT_TYPE = "outsourcing"
METHODS = ("equal", "population", "baseline", "usage", "custom", "shapley")
SPLIT_LABELS = {
    "equal": "Equal shares",
    "population": "By population",
    "baseline": "By baseline spend",
    "usage": "By usage",
    "custom": "Custom percentages",
    "shapley": "Shapley value of the cost game",
}
KIND_LABELS = {"one_off_cost": "One-off cost", "running_cost": "Running cost", "saving": "Saving"}
CATEGORY_LABELS = {**engine.ONE_OFF_CATEGORIES, **engine.SAVING_CATEGORIES}
PARTNER_FIELDS = ("population", "baseline", "usage", "standalone_cost")


def guidance_bias(project_type: str) -> dict[str, Any]:
    """The optimism bias inputs a new case starts from: the guidance's upper bounds, unmitigated."""
    bound = optimism.UPPER_BOUNDS[project_type]
    return {
        "project_type": project_type,
        "one_off_costs_pct": bound.capital_cost_pct or 0.0,
        "running_costs_pct": bound.operating_cost_pct or 0.0,
        "delay_years": (bound.duration_pct or 0.0) / 100,
        "mitigation": 0.0,
        "mitigation_reason": "",
        "reason": "",
        "savings_from_register": True,
        "savings_pct": 0.0,
        "savings_reason": "",
        "extra": [],
    }


def new_case(start_year: int, partner_codes: list[str]) -> dict[str, Any]:
    """What a new case's form starts from: ten years, the standard schedule, no lines yet."""
    return {
        "start_year": start_year,
        "years": 10,
        "discount": "standard",
        "lines": [],
        "optimism_bias": guidance_bias(DEFAULT_PROJECT_TYPE),
        "risk": {"draws": 10_000, "seed": 1, "distribution": "triangular", "savings_correlation": 0.0},
        "split": {"method": "baseline", "shares": None, "coalition_costs": []},
        "partners": [{"code": code, **dict.fromkeys(PARTNER_FIELDS)} for code in partner_codes],
    }


def _problem(p: engine.Problem) -> Problem:
    return Problem(p.field, p.code, p.message)


def _case(data: dict[str, Any]) -> engine.Case:
    return engine.Case(
        start_year=int(data["start_year"]),
        years=int(data["years"]),
        lines=tuple(
            engine.Line(
                name=line["name"],
                kind=line["kind"],
                amounts=tuple(float(a) for a in line["amounts"]),
                category=line.get("category") or "",
                low=None if line.get("low") is None else tuple(float(a) for a in line["low"]),
                high=None if line.get("high") is None else tuple(float(a) for a in line["high"]),
            )
            for line in data["lines"]
        ),
        discount=engine.SCHEDULES[data["discount"]],
    )


def bias_adjustments(given: dict[str, Any], reference: optimism.ReferenceClass | None) -> optimism.OptimismBias:
    """The adjustments the inputs ask for, each with its reason, in the order they apply."""
    bound = optimism.UPPER_BOUNDS[given["project_type"]]
    mitigation = float(given.get("mitigation") or 0)
    keep = 1 - mitigation
    mitigated = ""
    if mitigation:
        mitigated = f", less {mitigation:.0%} mitigation"
        if given.get("mitigation_reason"):
            mitigated += f" ({given['mitigation_reason']})"
    own = given.get("reason") or ""
    chosen: list[optimism.Adjustment] = []
    for target, key, bound_value, what in (
        ("one_off_costs", "one_off_costs_pct", bound.capital_cost_pct, "capital (one-off) cost"),
        ("running_costs", "running_costs_pct", bound.operating_cost_pct, "operating (running) cost"),
        ("savings_delay", "delay_years", None if bound.duration_pct is None else bound.duration_pct / 100, "duration"),
    ):
        entered = float(given.get(key) or 0)
        unit = "years" if target == "savings_delay" else "%"
        if bound_value is not None and math.isclose(entered, bound_value):
            reason = f"{bound.label}: the guidance's upper bound of {bound_value:g}{unit} on {what}{mitigated}"
            source = optimism.GUIDANCE
        else:
            guide = "none" if bound_value is None else f"{bound_value:g}{unit}"
            reason = (
                f"{entered:g}{unit} on {what} (the guidance's bound for {bound.label.lower()}: {guide}): "
                f"{own}{mitigated}"
            )
            source = "entered with the case"
        if entered or bound_value:  # a bound set to zero is a decision too: it is listed with its reason
            chosen.append(optimism.Adjustment(target, entered * keep, reason, source))
    if given.get("savings_from_register"):
        own_reason = given.get("savings_reason") or "no cut entered (the guidance gives no bound for benefits)"
        fallback_reason = (
            f"Fewer than {optimism.REFERENCE_CLASS_MINIMUM} comparable arrangements in the register have "
            f"signed-off achieved and expected savings, so {own_reason}"
        )
        cut = optimism.savings_cut(reference, float(given.get("savings_pct") or 0), fallback_reason)
        if cut.amount:
            chosen.append(cut)
        else:
            chosen.append(optimism.Adjustment("savings", 0.0, cut.reason, cut.source))
    elif given.get("savings_pct"):
        chosen.append(
            optimism.Adjustment(
                "savings", float(given["savings_pct"]), given.get("savings_reason") or "", "entered with the case"
            )
        )
    for extra in given.get("extra") or []:
        chosen.append(
            optimism.Adjustment(extra["target"], float(extra["amount"]), extra["reason"], extra.get("source") or "")
        )
    return optimism.OptimismBias(tuple(chosen))


def _bias_problems(given: Any) -> list[Problem]:
    if not isinstance(given, dict):
        return [Problem("optimism_bias", "invalid", "Give the optimism bias inputs")]
    found = []
    if given.get("project_type") not in PROJECT_TYPES:
        found.append(Problem("optimism_bias.project_type", "invalid", f"Choose one of {', '.join(PROJECT_TYPES)}"))
        return found
    for key in ("one_off_costs_pct", "running_costs_pct", "delay_years", "savings_pct"):
        value = given.get(key)
        if value is not None and (not isinstance(value, int | float) or not math.isfinite(value) or value < 0):
            found.append(Problem(f"optimism_bias.{key}", "out_of_range", "Enter zero or more"))
    if isinstance(given.get("savings_pct"), int | float) and given["savings_pct"] > 100:
        found.append(Problem("optimism_bias.savings_pct", "out_of_range", "A cut in savings is between 0% and 100%"))
    mitigation = given.get("mitigation") or 0
    if not isinstance(mitigation, int | float) or not 0 <= mitigation <= 1:
        found.append(Problem("optimism_bias.mitigation", "out_of_range", "Mitigation is between 0 and 1"))
    elif mitigation and not (given.get("mitigation_reason") or "").strip():
        found.append(
            Problem(
                "optimism_bias.mitigation_reason", "required", "Say what manages the causes of optimism, to mitigate"
            )
        )
    if found:
        return found
    bound = optimism.UPPER_BOUNDS[given["project_type"]]
    differs = [
        (given.get(key) or 0) != (value or 0)
        for key, value in (
            ("one_off_costs_pct", bound.capital_cost_pct),
            ("running_costs_pct", bound.operating_cost_pct),
            ("delay_years", None if bound.duration_pct is None else bound.duration_pct / 100),
        )
    ]
    if any(differs) and not (given.get("reason") or "").strip():
        found.append(
            Problem("optimism_bias.reason", "required", "Say why the figures differ from the guidance's upper bounds")
        )
    if (
        not given.get("savings_from_register")
        and (given.get("savings_pct") or 0)
        and not (given.get("savings_reason") or "").strip()
    ):
        found.append(Problem("optimism_bias.savings_reason", "required", "Say why savings are cut by this much"))
    for i, extra in enumerate(given.get("extra") or []):
        if not isinstance(extra, dict) or not str(extra.get("reason") or "").strip():
            found.append(Problem(f"optimism_bias.extra[{i}].reason", "required", "Every adjustment needs its reason"))
        elif extra.get("target") not in optimism.TARGETS or not isinstance(extra.get("amount"), int | float):
            found.append(Problem(f"optimism_bias.extra[{i}]", "invalid", "Give a target and an amount"))
    return found


def problems(data: dict[str, Any], partner_codes: list[str]) -> list[Problem]:
    """Everything wrong with a case's inputs, each problem naming its field."""
    found: list[Problem] = []
    if not data.get("lines"):
        found.append(Problem("lines", "required", "Enter at least one cost or saving line"))
    try:
        case = _case(data)
    except (KeyError, TypeError, ValueError):
        return [*found, Problem("lines", "invalid", "Each line needs a name, a kind and one amount a year")]
    found += [_problem(p) for p in case_module.problems(case)]
    if not found and case.start_year + case.years - 1 > ledger.LAST_YEAR:
        # A shared case's plan goes into the ledger, whose financial years end at 2100/01.
        last = ledger.year_label(ledger.LAST_YEAR)
        found.append(Problem("years", "out_of_range", f"The appraisal must end by {last}: shorten it or start earlier"))
    found += _bias_problems(data.get("optimism_bias"))
    given = data.get("risk") or {}
    try:
        settings = risk.RiskSettings(
            int(given.get("draws", 10_000)),
            None if given.get("seed") is None else int(given["seed"]),
            given.get("distribution", "triangular"),
            float(given.get("savings_correlation") or 0),
        )
    except (TypeError, ValueError):
        found.append(Problem("risk.draws", "invalid", "Enter a whole number of draws"))
    else:
        found += [_problem(p) for p in risk.problems(settings, None if found else case)]
    partners = data.get("partners") or []
    codes = [p.get("code") for p in partners]
    for i, code in enumerate(codes):
        if code not in partner_codes:
            found.append(Problem(f"partners[{i}].code", "invalid", f"{code} is not a partner in this arrangement"))
    if len(set(codes)) != len(codes):
        found.append(Problem("partners", "duplicate", "Each partner is listed once"))
    for i, p in enumerate(partners):
        for key in PARTNER_FIELDS:
            value = p.get(key)
            if value is not None and (not isinstance(value, int | float) or not math.isfinite(value) or value < 0):
                found.append(Problem(f"partners[{i}].{key}", "out_of_range", "Enter zero or more"))
    if found:
        return found
    how = split_settings(data)
    if how is not None:
        costs = sum(sum(line.amounts) for line in case.lines if line.is_cost)
        found += [_problem(p) for p in split.problems(engine_partners(data), how, costs)]
    return found


def engine_partners(data: dict[str, Any]) -> list[split.Partner]:
    return [
        split.Partner(p["code"], p.get("population"), p.get("baseline"), p.get("usage"), p.get("standalone_cost"))
        for p in data.get("partners") or []
    ]


def split_settings(data: dict[str, Any]) -> split.SplitSettings | None:
    given = data.get("split")
    if not given or not given.get("method") or len(data.get("partners") or []) < 2:
        return None
    return split.SplitSettings(
        method=given["method"],
        shares=given.get("shares"),
        coalition_costs=tuple(
            split.Coalition(tuple(c["members"]), float(c["cost"])) for c in given.get("coalition_costs") or []
        ),
    )


@dataclass
class Results:
    """Everything the results page, the API and the committee report show of a case."""

    appraisal: engine.Appraisal
    adjusted: engine.Case
    bias: optimism.OptimismBias
    risk: engine.RiskResult
    cash_band: list[tuple[float, float]]  # cumulative discounted cash flow, P10 and P90, by year
    split: engine.SplitResult | None
    reality: RealityCheck
    reality_note: str
    baseline: float | None
    annual_savings: float
    notes: list[str] = field(default_factory=list)


def annual_savings(case: engine.Case) -> float:
    """The case's savings a year: the average over the years that have any."""
    savings = case.savings
    years = [s for s in savings if s > 0]
    return float(sum(years) / len(years)) if years else 0.0


def baseline_of(data: dict[str, Any]) -> float | None:
    given = [p.get("baseline") for p in data.get("partners") or []]
    if not given or any(b is None for b in given):
        return None
    return float(sum(given))


def evaluate(data: dict[str, Any], arrangement) -> Results:
    """Appraise checked inputs with the register's evidence: optimism bias first, then the rest."""
    from appraisal import reality

    case = _case(data)
    bias = bias_adjustments(data["optimism_bias"], reality.reference_class(arrangement))
    adjusted = optimism.apply(case, bias)
    result = engine.appraise(adjusted)
    given = data.get("risk") or {}
    settings = risk.RiskSettings(
        int(given.get("draws", 10_000)),
        None if given.get("seed") is None else int(given["seed"]),
        given.get("distribution", "triangular"),
        float(given.get("savings_correlation") or 0),
    )
    simulated = engine.simulate(adjusted, settings)
    band = risk_band(adjusted, settings)
    how = split_settings(data)
    shared = split.split_case(adjusted, engine_partners(data), how) if how is not None else None
    baseline = baseline_of(data)
    yearly = annual_savings(adjusted)
    check, note = reality.reality_check(arrangement, yearly, baseline)
    return Results(result, adjusted, bias, simulated, band, shared, check, note, baseline, yearly)


def risk_band(case: engine.Case, settings: engine.RiskSettings) -> list[tuple[float, float]]:
    """P10 and P90 of the cumulative discounted cash flow at the end of each year, from the same draws."""
    low, high = risk.cumulative_band(case, settings)
    return [(float(a), float(b)) for a, b in zip(low, high, strict=True)]
