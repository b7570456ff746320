"""The business case pages: the results, the form that builds the case, sharing it, and its versions.

The form's inputs are named like the problems' fields (`lines[0].amounts`), so a problem
from the write path links straight to its input. Every figure is worked on the server;
the charts are SVG drawn here, each with its data table.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from appraisal import inputs, summary, writes
from appraisal.models import BusinessCase
from arrangements import writes as arrangement_writes
from arrangements.models import Arrangement
from readiness import summary as readiness_summary
from sharewell.problems import Problem

BLANK_LINES = 3
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def field_id(name: str) -> str:
    """`lines[0].amounts` -> `lines-0-amounts`: the input's id, for the error summary's link."""
    return re.sub(r"[\[\].]+", "-", name).strip("-")


def _nearest(target: str, known: set[str]) -> str:
    """The input a problem is about, or the nearest section that holds it (`lines-0-x` -> `lines-0`)."""
    inside = sorted(k for k in known if k.startswith(target + "-"))
    if target not in known and inside:  # `split.shares` -> the first partner's share
        return inside[0]
    while target and target not in known:
        target = target.rpartition("-")[0]
    return target or "main-content"


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


def _visible_case(request, arrangement: Arrangement) -> BusinessCase | None:
    case = writes.case_of(arrangement)
    if case is not None and not writes.can_see(request.user, arrangement, case):
        raise Http404("No business case you can see")
    return case


# --- results ---------------------------------------------------------------------------


def case_page(request, pk: int):
    arrangement = _arrangement(request, pk)
    case = _visible_case(request, arrangement)
    can_edit = writes.can_edit(request.user, arrangement)
    if case is None and not can_edit:
        raise Http404("This arrangement has no business case yet")
    context: dict[str, Any] = {"arrangement": arrangement, "case": case, "can_edit": can_edit}
    if case is not None:
        context.update(summary.page_context(case, arrangement))
        context["can_share"] = not case.shared and writes.can_share(request.user, arrangement)
        context["latest"] = case.versions.order_by("-number").first()
    return render(request, "appraisal/case.html", context)


@require_POST
@login_required
def share(request, pk: int):
    arrangement = _arrangement(request, pk)
    _visible_case(request, arrangement)
    outcome = writes.share(request.user, arrangement)
    if outcome.forbidden:
        raise PermissionDenied(outcome.problems[0].message)
    if outcome.problems:
        messages.error(request, "The case could not be shared: " + "; ".join(p.message for p in outcome.problems))
    elif outcome.changed:
        messages.success(
            request, f"Shared as version {outcome.version.number}. Its plan is in the arrangement's money ledger."
        )
    return redirect("appraisal:case", pk=arrangement.pk)


def versions(request, pk: int):
    arrangement = _arrangement(request, pk)
    case = _visible_case(request, arrangement)
    if case is None:
        raise Http404("This arrangement has no business case yet")
    return render(
        request,
        "appraisal/versions.html",
        {"arrangement": arrangement, "case": case, "versions": case.versions.select_related("organisation")},
    )


# --- the form ----------------------------------------------------------------------------


def _text(values) -> str:
    if values is None:
        return ""
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _numbers(raw: str, name: str, found: list[Problem]) -> list[float] | None:
    tokens = [t for t in re.split(r"[,;\s]+", raw.replace("£", "").strip()) if t]
    if not tokens:
        return None
    if not all(NUMBER.match(t) for t in tokens):
        found.append(Problem(name, "invalid", "Enter numbers separated by commas, one a year, like 966000, 0"))
        return None
    return [float(t) for t in tokens]


def _number(raw: str, name: str, found: list[Problem], *, integer: bool = False, default=None):
    text = raw.replace("£", "").replace(",", "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        found.append(Problem(name, "invalid", "Enter a whole number" if integer else "Enter a number"))
        return default
    if not math.isfinite(value):
        found.append(Problem(name, "invalid", "Enter a number"))
        return default
    return value


def _coalitions(raw: str, found: list[Problem]) -> list[dict[str, Any]]:
    """'NTT SVL: 500000', one group a line: the known costs of groups of partners over the period."""
    groups = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        members, _, cost = line.partition(":")
        codes = [c for c in re.split(r"[,\s]+", members.strip().upper()) if c]
        amount = cost.replace("£", "").replace(",", "").strip()
        if not codes or not NUMBER.match(amount):
            found.append(
                Problem(
                    "split.coalition_costs",
                    "invalid",
                    f"Line {number} of the groups' costs: write codes, a colon and the cost, like NTT SVL: 500000",
                )
            )
            continue
        groups.append({"members": codes, "cost": float(amount)})
    return groups


def _coalitions_text(groups) -> str:
    return "\n".join(f"{' '.join(g['members'])}: {g['cost']:.0f}" for g in groups or [])


def data_from_post(post, partner_codes: list[str], current: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The posted form as a case document, and the problems found reading it."""
    found: list[Problem] = []
    data: dict[str, Any] = {
        "start_year": _number(
            post.get("start_year", ""), "start_year", found, integer=True, default=current["start_year"]
        ),
        "years": _number(post.get("years", ""), "years", found, integer=True, default=current["years"]),
        "discount": post.get("discount") if post.get("discount") in ("standard", "health") else "standard",
        "lines": [],
    }
    count = _number(post.get("line_count", "0"), "line_count", [], integer=True, default=0) or 0
    for i in range(min(count, 60)):
        prefix = f"lines[{i}]"
        name = post.get(f"{prefix}.name", "").strip()
        amounts_raw = post.get(f"{prefix}.amounts", "")
        if not name and not amounts_raw.strip():
            continue
        index = len(data["lines"])
        where = f"lines[{index}]"
        problems_here: list[Problem] = []
        line = {
            "name": name,
            "kind": post.get(f"{prefix}.kind", ""),
            "category": post.get(f"{prefix}.category", ""),
            "amounts": _numbers(amounts_raw, f"{where}.amounts", problems_here) or [],
            "low": _numbers(post.get(f"{prefix}.low", ""), f"{where}.low", problems_here),
            "high": _numbers(post.get(f"{prefix}.high", ""), f"{where}.high", problems_here),
        }
        if not name:
            problems_here.append(Problem(f"{where}.name", "required", f"Enter a name for line {index + 1}"))
        if line["kind"] not in inputs.KIND_LABELS:
            problems_here.append(Problem(f"{where}.kind", "invalid", f"Choose what kind of line {index + 1} is"))
        found += problems_here
        data["lines"].append(line)
    bias = dict(current["optimism_bias"])
    bias.update(
        project_type=post.get("optimism_bias.project_type", bias["project_type"]),
        one_off_costs_pct=_number(
            post.get("optimism_bias.one_off_costs_pct", ""), "optimism_bias.one_off_costs_pct", found, default=0.0
        ),
        running_costs_pct=_number(
            post.get("optimism_bias.running_costs_pct", ""), "optimism_bias.running_costs_pct", found, default=0.0
        ),
        delay_years=_number(post.get("optimism_bias.delay_years", ""), "optimism_bias.delay_years", found, default=0.0),
        mitigation=_number(post.get("optimism_bias.mitigation", ""), "optimism_bias.mitigation", found, default=0.0),
        mitigation_reason=post.get("optimism_bias.mitigation_reason", "").strip(),
        reason=post.get("optimism_bias.reason", "").strip(),
        savings_from_register=post.get("optimism_bias.savings_from_register") == "yes",
        savings_pct=_number(post.get("optimism_bias.savings_pct", ""), "optimism_bias.savings_pct", found, default=0.0),
        savings_reason=post.get("optimism_bias.savings_reason", "").strip(),
    )
    if "use-bounds" in post and bias["project_type"] in inputs.PROJECT_TYPES:
        bias.update(
            {
                k: v
                for k, v in inputs.guidance_bias(bias["project_type"]).items()
                if k.endswith(("_pct", "_years")) and k != "savings_pct"
            }
        )
    data["optimism_bias"] = bias
    data["risk"] = {
        "draws": _number(post.get("risk.draws", ""), "risk.draws", found, integer=True, default=10_000),
        "seed": _number(post.get("risk.seed", ""), "risk.seed", found, integer=True, default=1),
        "distribution": post.get("risk.distribution")
        if post.get("risk.distribution") in ("triangular", "pert")
        else "triangular",
        "savings_correlation": _number(
            post.get("risk.savings_correlation", ""), "risk.savings_correlation", found, default=0.0
        ),
    }
    method = post.get("split.method", "")
    shares = None
    if method == "custom":
        shares = {
            code: _number(post.get(f"split.shares.{code}", ""), f"split.shares.{code}", found, default=0.0)
            for code in partner_codes
        }
    data["split"] = {
        "method": method if method in inputs.METHODS else "",
        "shares": shares,
        "coalition_costs": _coalitions(post.get("split.coalition_costs", ""), found),
    }
    data["partners"] = []
    for i, code in enumerate(partner_codes):
        row: dict[str, Any] = {"code": code}
        for key in inputs.PARTNER_FIELDS:
            row[key] = _number(post.get(f"partners[{i}].{key}", ""), f"partners[{i}].{key}", found)
        data["partners"].append(row)
    return data, found


def _partner_rows(data: dict[str, Any], arrangement: Arrangement) -> list[dict[str, Any]]:
    """One row per current partner, in the arrangement's order, with what the case holds for it."""
    given = {p["code"]: p for p in data.get("partners") or []}
    rows = []
    for i, partnership in enumerate(writes.current_partners(arrangement)):
        code = partnership.organisation.code
        row = {"index": i, "code": code, "name": partnership.organisation.name}
        for key in inputs.PARTNER_FIELDS:
            value = given.get(code, {}).get(key)
            row[key] = "" if value is None else f"{value:g}"
        shares = (data.get("split") or {}).get("shares") or {}
        row["share"] = "" if shares.get(code) is None else f"{shares[code]:g}"
        rows.append(row)
    return rows


def _ordered_partners(data: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    given = {p["code"]: p for p in data.get("partners") or []}
    return {**data, "partners": [given.get(c) or {"code": c, **dict.fromkeys(inputs.PARTNER_FIELDS)} for c in codes]}


READINESS_SOURCE = "Readiness assessment"
ADJUSTMENT_LABELS = {
    "savings": "off savings",
    "one_off_costs": "on one-off costs",
    "running_costs": "on running costs",
    "savings_delay": "delay of savings, in years",
}


def _with_readiness(extra: list[dict], hint: dict | None, wanted: bool) -> list[dict]:
    """The case's further adjustments with the readiness allowance added, refreshed or taken out.

    The partners decide: the allowance is suggested from their readiness assessment and applied
    only when ticked; ticked with no current hint, an allowance added earlier is kept as it was."""
    earlier = [e for e in extra if str(e.get("source") or "").startswith(READINESS_SOURCE)]
    others = [e for e in extra if e not in earlier]
    if not wanted:
        return others
    if hint is None:
        return others + earlier
    source = f"{READINESS_SOURCE}, round {hint['round']}"
    added = [{"target": "savings", "amount": hint["savings_cut_pct"], "reason": hint["reason"], "source": source}]
    added += [
        {"target": target, "amount": hint["cost_uplift_pct"], "reason": hint["reason"], "source": source}
        for target in ("one_off_costs", "running_costs")
        if hint["cost_uplift_pct"]
    ]
    return others + added


@login_required
def edit(request, pk: int):
    arrangement = _arrangement(request, pk)
    readiness_hint = readiness_summary.optimism_hint(arrangement)
    case = _visible_case(request, arrangement)
    if not writes.can_edit(request.user, arrangement):
        raise PermissionDenied("Only editors of a partner organisation and moderators can change the business case.")
    codes = writes.partner_codes(arrangement)
    current = _ordered_partners(case.data, codes) if case else inputs.new_case(timezone.localdate().year, codes)
    data, found = current, []
    if request.method == "POST":
        data, found = data_from_post(request.POST, codes, current)
        if "optimism_bias.readiness_offered" in request.POST:
            bias = data["optimism_bias"]
            wanted = request.POST.get("optimism_bias.readiness") == "yes"
            bias["extra"] = _with_readiness(list(bias.get("extra") or []), readiness_hint, wanted)
        if found:  # show everything else that is wrong too, not one round at a time
            flagged = {p.field.split(".")[0] for p in found}
            found += [
                p
                for p in inputs.problems(data, codes)
                if p.field.split(".")[0] not in flagged and not p.field.startswith("lines")
            ]
        if not found and "use-bounds" not in request.POST:
            outcome = writes.save(request.user, arrangement, data, arrangement_writes.site())
            if outcome.forbidden:
                raise PermissionDenied(outcome.problems[0].message)
            found = outcome.problems
            if not found:
                if outcome.version is not None:
                    messages.success(
                        request, f"Saved as version {outcome.version.number}; its plan replaces the last in the ledger."
                    )
                elif outcome.changed:
                    messages.success(
                        request, "Draft saved. Only the partners and moderators can see it until a partner shares it."
                    )
                else:
                    messages.info(request, "Nothing had changed.")
                return redirect("appraisal:case", pk=arrangement.pk)
    errors = {field_id(p.field): p.message for p in found}

    def f(name, label, value, hint="", width="govuk-input--width-10", options=None, textarea=False):
        shown = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        return {
            "name": name,
            "id": field_id(name),
            "label": label,
            "value": shown,
            "hint": hint,
            "width": width,
            "options": options,
            "textarea": textarea,
            "errors": [errors[field_id(name)]] if field_id(name) in errors else [],
        }

    kinds = [("", "Choose"), *inputs.KIND_LABELS.items()]
    categories = [("", "None"), *inputs.CATEGORY_LABELS.items()]
    rows = [*data["lines"], *([{}] * BLANK_LINES)]
    lines = []
    for i, line in enumerate(rows):
        p = f"lines[{i}]"
        lines.append(
            {
                "index": i,
                "id": field_id(p),
                "fields": [
                    f(f"{p}.name", "Name", line.get("name", ""), width="govuk-!-width-full"),
                    f(f"{p}.kind", "Kind", line.get("kind", ""), options=kinds),
                    f(f"{p}.category", "Category", line.get("category", ""), options=categories),
                    f(
                        f"{p}.amounts",
                        "Amount in each year (£)",
                        _text(line.get("amounts")),
                        "One a year from year 0, separated by commas, no thousands separators: 966000, 0",
                        "govuk-!-width-full",
                    ),
                    f(
                        f"{p}.low",
                        "Low values (optional)",
                        _text(line.get("low")),
                        "For the risk analysis; default: the amounts",
                        "govuk-!-width-full",
                    ),
                    f(f"{p}.high", "High values (optional)", _text(line.get("high")), width="govuk-!-width-full"),
                ],
            }
        )
    bias = data["optimism_bias"]
    bound = (
        inputs.optimism.UPPER_BOUNDS.get(bias.get("project_type"))
        or inputs.optimism.UPPER_BOUNDS[inputs.DEFAULT_PROJECT_TYPE]
    )
    bias_fields = [
        f(
            "optimism_bias.one_off_costs_pct",
            "Uplift of one-off costs (%)",
            bias.get("one_off_costs_pct"),
            f"The guidance's upper bound for {bound.label.lower()}: {bound.capital_cost_pct or 0:g}%",
            "govuk-input--width-5",
        ),
        f(
            "optimism_bias.running_costs_pct",
            "Uplift of running costs (%)",
            bias.get("running_costs_pct"),
            f"Upper bound: {bound.operating_cost_pct or 0:g}%",
            "govuk-input--width-5",
        ),
        f(
            "optimism_bias.delay_years",
            "Delay of savings (years)",
            bias.get("delay_years"),
            f"Upper bound: {bound.duration_pct or 0:g}% of one year's implementation",
            "govuk-input--width-5",
        ),
        f(
            "optimism_bias.reason",
            "Why these figures, if not the upper bounds",
            bias.get("reason"),
            "",
            "govuk-!-width-full",
        ),
        f(
            "optimism_bias.mitigation",
            "Mitigation factor (0 to 1)",
            bias.get("mitigation"),
            "How far the case shows the causes of optimism are managed: each figure is reduced by this share",
            "govuk-input--width-5",
        ),
        f(
            "optimism_bias.mitigation_reason",
            "What manages them (needed with a mitigation)",
            bias.get("mitigation_reason"),
            "",
            "govuk-!-width-full",
        ),
        f(
            "optimism_bias.savings_from_register",
            "Cut in savings",
            "yes" if bias.get("savings_from_register") else "no",
            "The register's reference class: what comparable arrangements really achieved of what they expected",
            options=[("yes", "From the register's reference class"), ("no", "As entered below")],
        ),
        f(
            "optimism_bias.savings_pct",
            "Cut in savings (%)",
            bias.get("savings_pct"),
            "As entered; with the register, used only when fewer than 5 comparable arrangements "
            "have signed-off savings",
            "govuk-input--width-5",
        ),
        f("optimism_bias.savings_reason", "Why this cut", bias.get("savings_reason"), "", "govuk-!-width-full"),
    ]
    risk_given = data["risk"]
    risk_fields = [
        f("risk.draws", "Draws", risk_given.get("draws"), "1 to 1,000,000", "govuk-input--width-10"),
        f("risk.seed", "Seed", risk_given.get("seed"), "The same seed gives the same result", "govuk-input--width-10"),
        f(
            "risk.distribution",
            "Distribution",
            risk_given.get("distribution"),
            options=[("triangular", "Triangular"), ("pert", "PERT")],
        ),
        f(
            "risk.savings_correlation",
            "Correlation between savings lines (0 to 1)",
            risk_given.get("savings_correlation"),
            "",
            "govuk-input--width-5",
        ),
    ]
    split_given = data.get("split") or {}
    shares = split_given.get("shares") or {}
    partner_rows = []
    given = {p["code"]: p for p in data.get("partners") or []}
    for i, partnership in enumerate(writes.current_partners(arrangement)):
        code = partnership.organisation.code
        row = given.get(code, {})
        partner_rows.append(
            {
                "name": partnership.organisation.name,
                "id": field_id(f"partners[{i}]"),
                "fields": [
                    f(
                        f"partners[{i}].baseline",
                        "Baseline: annual cost of the service before sharing (£)",
                        row.get("baseline"),
                        "",
                        "govuk-input--width-10",
                    ),
                    f(
                        f"partners[{i}].population",
                        "Population (optional)",
                        row.get("population"),
                        "",
                        "govuk-input--width-10",
                    ),
                    f(
                        f"partners[{i}].usage",
                        "Usage (optional)",
                        row.get("usage"),
                        "In any unit, the same for every partner",
                        "govuk-input--width-10",
                    ),
                    f(
                        f"partners[{i}].standalone_cost",
                        "Stand-alone cost over the period (optional, £)",
                        row.get("standalone_cost"),
                        "What it would pay to provide the service alone: for the Shapley split and the worse-off check",
                        "govuk-input--width-10",
                    ),
                    f(
                        f"split.shares.{code}",
                        "Custom share (%, optional)",
                        shares.get(code),
                        "Only for custom percentages",
                        "govuk-input--width-5",
                    ),
                ],
            }
        )
    general = [
        f(
            "start_year",
            "First financial year starts in April of",
            data.get("start_year"),
            "Year 0, not discounted",
            "govuk-input--width-4",
        ),
        f("years", "Years in the appraisal", data.get("years"), "1 to 60", "govuk-input--width-4"),
        f(
            "discount",
            "Discount schedule",
            data.get("discount"),
            options=[("standard", "Standard (3.5% for years 0 to 30)"), ("health", "Health (1.5% for years 0 to 30)")],
        ),
    ]
    coalitions = f(
        "split.coalition_costs",
        "Known costs of groups of partners (Shapley only, optional)",
        _coalitions_text(split_given.get("coalition_costs")),
        "One group a line: partner codes, a colon and its cost over the period, like NTT SVL: 500000. "
        "A group not given is estimated from the stand-alone costs by the economies of scale model "
        "c(S) = (1 − θ) × Σ stand-alone costs + θ × the largest stand-alone cost in S, with θ set so the "
        "model gives the case's own costs.",
        "govuk-!-width-full",
        textarea=True,
    )
    known = {
        "lines",
        coalitions["id"],
        "partners",
        "optimism-bias",
        "risk",
        "split",
        "optimism_bias-project_type",
        "split-method",
    }
    for group in (general, bias_fields, risk_fields):
        known |= {item["id"] for item in group}
    for row in (*lines, *partner_rows):
        known |= {row["id"], *(item["id"] for item in row["fields"])}
    return render(
        request,
        "appraisal/edit.html",
        {
            "arrangement": arrangement,
            "case": case,
            "general": general,
            "lines": lines,
            "line_count": len(lines),
            "partners": partner_rows,
            "bias_fields": bias_fields,
            "project_type": f(
                "optimism_bias.project_type",
                "Project type",
                bias.get("project_type"),
                "The guidance's upper bounds for this type fill the figures below",
                options=list(inputs.PROJECT_TYPES.items()),
            ),
            "risk_fields": risk_fields,
            "method": f(
                "split.method",
                "Split method",
                split_given.get("method"),
                options=[("", "No split"), *inputs.SPLIT_LABELS.items()],
            ),
            "coalitions": coalitions,
            "readiness_hint": readiness_hint,
            "readiness_applied": [
                {**e, "label": ADJUSTMENT_LABELS.get(e.get("target"), e.get("target"))}
                for e in bias.get("extra") or []
                if str(e.get("source") or "").startswith(READINESS_SOURCE)
            ],
            "problems": [(_nearest(field_id(p.field), known), p.message) for p in found],
        },
    )
