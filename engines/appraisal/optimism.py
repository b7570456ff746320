"""Optimism bias: costs up, savings down, savings later, each adjustment written down with its reason.

Appraisers are reliably optimistic, so the Green Book asks for an explicit, empirically
based adjustment. Its supplementary guidance gives upper bounds by project type (below);
the adjustment starts there and is reduced by a mitigation factor (0 to 1) as the case
shows that the causes of optimism are managed: adjusted = upper bound × (1 − mitigation).

The guidance gives bounds for capital cost and works duration, and for outsourcing the
operating cost; it gives none for benefits, so a cut in savings is always entered with its
own reason (the register's reference class will supply one). Every adjustment is kept as
an `Adjustment` with its reason and source, so "24% is what we've always used" is visible
on the page and in the API's answer rather than hidden in a spreadsheet cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from engines.appraisal.case import ONE_OFF_COST, RUNNING_COST, SAVING, Case, InvalidCase, Problem

GUIDANCE: Final = "HM Treasury, Green Book supplementary guidance: optimism bias (upper bounds)"


@dataclass(frozen=True, slots=True)
class UpperBound:
    """The guidance's upper bounds for one project type, in percent; None where it gives none."""

    key: str
    label: str
    capital_cost_pct: float | None
    duration_pct: float | None
    operating_cost_pct: float | None = None


UPPER_BOUNDS: Final[dict[str, UpperBound]] = {
    bound.key: bound
    for bound in (
        UpperBound("standard_buildings", "Standard buildings", 24, 4),
        UpperBound("non_standard_buildings", "Non-standard buildings", 51, 39),
        UpperBound("standard_civil_engineering", "Standard civil engineering", 44, 20),
        UpperBound("non_standard_civil_engineering", "Non-standard civil engineering", 66, 25),
        UpperBound("equipment_development", "Equipment and development", 200, 54),
        UpperBound("outsourcing", "Outsourcing", None, None, 41),
    )
}

Target = Literal["one_off_costs", "running_costs", "savings", "savings_delay"]
TARGETS: Final[tuple[Target, ...]] = ("one_off_costs", "running_costs", "savings", "savings_delay")


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One adjustment: a percentage uplift of costs or cut of savings, or a delay of savings in years."""

    target: Target
    amount: float
    reason: str
    source: str = ""

    @property
    def unit(self) -> str:
        return "years" if self.target == "savings_delay" else "percent"

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "amount": self.amount,
            "unit": self.unit,
            "reason": self.reason,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class OptimismBias:
    """The adjustments to apply, in order; the same target twice compounds."""

    adjustments: tuple[Adjustment, ...] = ()

    @classmethod
    def simple(
        cls, costs_pct: float = 0, savings_pct: float = 0, delay_years: float = 0, reason: str = "Entered"
    ) -> OptimismBias:
        """One uplift for all costs, one cut for all savings and one delay: what the API takes."""
        chosen: list[Adjustment] = []
        if costs_pct:
            chosen.append(Adjustment("one_off_costs", costs_pct, reason))
            chosen.append(Adjustment("running_costs", costs_pct, reason))
        if savings_pct:
            chosen.append(Adjustment("savings", savings_pct, reason))
        if delay_years:
            chosen.append(Adjustment("savings_delay", delay_years, reason))
        return cls(tuple(chosen))

    def as_dict(self) -> dict[str, Any]:
        return {"adjustments": [a.as_dict() for a in self.adjustments]}


def from_guidance(
    project_type: str,
    mitigation: float = 0.0,
    implementation_years: float = 1.0,
    mitigation_reason: str = "",
) -> OptimismBias:
    """The guidance's upper bounds for `project_type`, reduced by `mitigation` (0 to 1).

    The duration bound is a percentage of the implementation time, so the savings are
    delayed by that share of `implementation_years`. Where the guidance gives no bound for
    a target, that target is left alone: a savings cut needs its own evidence.
    """
    bound = UPPER_BOUNDS.get(project_type)
    if bound is None:
        raise InvalidCase(
            [Problem("optimism_bias.project_type", "invalid", f"Choose one of {', '.join(UPPER_BOUNDS)}")]
        )
    if not 0 <= mitigation <= 1:
        raise InvalidCase([Problem("optimism_bias.mitigation", "out_of_range", "Mitigation is between 0 and 1")])
    keep = 1 - mitigation
    why = f"{bound.label}: the guidance's upper bound of {{pct:g}}%"
    if mitigation:
        why += f", less {mitigation:.0%} mitigation" + (f" ({mitigation_reason})" if mitigation_reason else "")
    chosen: list[Adjustment] = []
    if bound.capital_cost_pct is not None:
        reason = why.format(pct=bound.capital_cost_pct) + " on capital (one-off) cost"
        chosen.append(Adjustment("one_off_costs", bound.capital_cost_pct * keep, reason, GUIDANCE))
    if bound.operating_cost_pct is not None:
        reason = why.format(pct=bound.operating_cost_pct) + " on operating (running) cost"
        chosen.append(Adjustment("running_costs", bound.operating_cost_pct * keep, reason, GUIDANCE))
    if bound.duration_pct is not None and implementation_years > 0:
        years = implementation_years * bound.duration_pct / 100 * keep
        reason = why.format(pct=bound.duration_pct) + f" on duration, of {implementation_years:g} years' implementation"
        chosen.append(Adjustment("savings_delay", years, reason, GUIDANCE))
    return OptimismBias(tuple(chosen))


@dataclass(frozen=True, slots=True)
class ReferenceClass:
    """What similar arrangements really achieved: signed-off achieved over expected savings, and how many."""

    ratio: float
    count: int
    description: str


REFERENCE_CLASS_MINIMUM: Final = 5


def savings_cut(reference: ReferenceClass | None, fallback_pct: float, fallback_reason: str) -> Adjustment:
    """The cut in savings a reference class supports, or the fallback when it rests on too few.

    A class of fewer than `REFERENCE_CLASS_MINIMUM` arrangements says more about those few
    than about arrangements like this one, so the generic figure is used and the reason says so.
    """
    if reference is not None and reference.count >= REFERENCE_CLASS_MINIMUM:
        cut = max(0.0, (1 - reference.ratio) * 100)
        reason = (
            f"{reference.description}: {reference.count} arrangements achieved {reference.ratio:.0%} "
            "of the savings they expected (signed-off figures)"
        )
        return Adjustment("savings", cut, reason, "the register")
    few = "" if reference is None else f" (only {reference.count} comparable arrangements with signed-off savings)"
    return Adjustment("savings", fallback_pct, fallback_reason + few)


def problems(bias: OptimismBias) -> list[Problem]:
    found: list[Problem] = []
    for i, adjustment in enumerate(bias.adjustments):
        where = f"optimism_bias.adjustments[{i}]"
        if adjustment.target not in TARGETS:
            found.append(Problem(f"{where}.target", "invalid", f"Choose one of {', '.join(TARGETS)}"))
        elif not math.isfinite(adjustment.amount):
            found.append(Problem(f"{where}.amount", "not_finite", "An adjustment must be a number"))
        elif adjustment.target == "savings" and not 0 <= adjustment.amount <= 100:
            found.append(Problem(f"{where}.amount", "out_of_range", "A cut in savings is between 0% and 100%"))
        elif adjustment.target in ("one_off_costs", "running_costs") and adjustment.amount < 0:
            found.append(Problem(f"{where}.amount", "out_of_range", "An uplift of costs is 0% or more"))
        elif adjustment.target == "savings_delay" and adjustment.amount < 0:
            found.append(Problem(f"{where}.amount", "out_of_range", "A delay is zero years or more"))
    return found


def apply(case: Case, bias: OptimismBias) -> Case:
    """`case` with each adjustment applied to its lines' likely, low and high amounts alike."""
    found = problems(bias)
    if found:
        raise InvalidCase(found)
    lines = list(case.lines)
    for adjustment in bias.adjustments:
        for i, line in enumerate(lines):
            if adjustment.target == "one_off_costs" and line.kind == ONE_OFF_COST:
                lines[i] = line.scaled(1 + adjustment.amount / 100)
            elif adjustment.target == "running_costs" and line.kind == RUNNING_COST:
                lines[i] = line.scaled(1 + adjustment.amount / 100)
            elif adjustment.target == "savings" and line.kind == SAVING:
                lines[i] = line.scaled(1 - adjustment.amount / 100)
            elif adjustment.target == "savings_delay" and line.kind == SAVING:
                lines[i] = line.delayed(adjustment.amount)
    return replace(case, lines=tuple(lines))
