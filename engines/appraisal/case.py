"""A business case's cash flows and what the Green Book asks of them: NPV, BCR, payback, switching values.

Conventions, decided once so the engine, the pages and the API agree:

- Years are counted from 0, the first financial year of the case, which is not discounted.
  `Flow.financial_year` names each year (`2026/27`).
- Costs and savings are positive amounts in pounds (real terms); net = savings − costs.
- Payback counts from the start of year 0 with each year's flow spread evenly through the
  year, so a case that has recovered its costs exactly at the end of year 1 pays back in
  2.0 years. It is the moment after which the cumulative net stays at or above zero to the
  end of the period: a later cost (an ICT refresh, say) that puts the case back under water
  means its costs were not recovered after all. None when the cumulative net ends below
  zero. Discounted payback is the same over present values.
- The benefit–cost ratio is PV savings / PV costs, shown with the value-for-money label
  only: the Green Book says a BCR is not a pass/fail test.
- Switching values are how far one thing must move, the others held, for NPV to be zero:
  the percentage fall in every saving, the percentage rise in every cost, and the delay in
  years (possibly fractional) of every saving. A delay moves each year's saving as a block
  spread evenly through its year, so a delay of 0.25 moves a quarter of year k's saving into
  year k + 1; savings pushed past the end of the period are lost, because the period is the
  case's horizon. A negative percentage means NPV is already below zero and savings must
  rise (or costs fall) by that much; there is no negative delay, so delay is None then.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from engines.appraisal.discounting import STANDARD, DiscountSchedule
from engines.ledger import year_label

FloatArray = npt.NDArray[np.float64]

Kind = Literal["one_off_cost", "running_cost", "saving"]
ONE_OFF_COST: Final = "one_off_cost"
RUNNING_COST: Final = "running_cost"
SAVING: Final = "saving"
KINDS: Final[tuple[Kind, ...]] = ("one_off_cost", "running_cost", "saving")

# Suggested categories, for the pages' pick lists; a line's category is a free label.
ONE_OFF_CATEGORIES: Final = {
    "redundancy_pension_strain": "Redundancy and pension strain",
    "ict_data_migration": "ICT and data migration",
    "accommodation": "Accommodation",
    "hr_tupe": "HR and TUPE",
    "legal": "Legal",
    "programme_management": "Programme management",
    "other": "Other",
}
SAVING_CATEGORIES: Final = {"staff": "Staff", "other": "Other"}

MAX_YEARS: Final = 60
MAX_LINES: Final = 200

# Value-for-money labels by lower bound of the BCR, highest first.
VFM_BANDS: Final = ((4.0, "Very high"), (2.0, "High"), (1.5, "Medium"), (1.0, "Low"))
VFM_POOR: Final = "Poor"


# --- Problems --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an input. `field` is its path in the API's request (`lines[0].amounts`)."""

    field: str
    code: str
    message: str


class InvalidCase(ValueError):
    """Inputs the engine cannot appraise; `problems` says which and why, each naming its field."""

    def __init__(self, problems: Sequence[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)


# --- Inputs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a case: its likely amount in each year, and optionally a low and a high.

    `low` and `high` default to `amounts` (no uncertainty); they feed the risk analysis only.
    """

    name: str
    kind: Kind
    amounts: tuple[float, ...]
    category: str = ""
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None

    @property
    def is_cost(self) -> bool:
        return self.kind != SAVING

    @property
    def lows(self) -> tuple[float, ...]:
        return self.amounts if self.low is None else self.low

    @property
    def highs(self) -> tuple[float, ...]:
        return self.amounts if self.high is None else self.high

    def scaled(self, factor: float) -> Line:
        """Every amount (likely, low and high) times `factor`."""

        def times(values: tuple[float, ...] | None) -> tuple[float, ...] | None:
            return None if values is None else tuple(v * factor for v in values)

        return replace(
            self, amounts=tuple(a * factor for a in self.amounts), low=times(self.low), high=times(self.high)
        )

    def delayed(self, years: float) -> Line:
        """Every amount moved `years` later (see `delay`); what passes the end of the period is lost."""

        def later(values: tuple[float, ...] | None) -> tuple[float, ...] | None:
            return None if values is None else tuple(delay(np.asarray(values, dtype=np.float64), years).tolist())

        return replace(
            self, amounts=tuple(delay(np.asarray(self.amounts, dtype=np.float64), years).tolist()),
            low=later(self.low), high=later(self.high),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Case:
    """A business case: `years` years from financial year `start_year`, its lines, its discount schedule."""

    start_year: int
    years: int
    lines: tuple[Line, ...]
    discount: DiscountSchedule = STANDARD

    @property
    def costs(self) -> FloatArray:
        """Total costs (one-off and running) in each year."""
        return self._total(cost=True)

    @property
    def savings(self) -> FloatArray:
        return self._total(cost=False)

    @property
    def net(self) -> FloatArray:
        return self.savings - self.costs

    @property
    def factors(self) -> FloatArray:
        return self.discount.factors(self.years)

    def _total(self, *, cost: bool) -> FloatArray:
        total = np.zeros(self.years, dtype=np.float64)
        for line in self.lines:
            if line.is_cost == cost:
                total += np.asarray(line.amounts, dtype=np.float64)
        return total


def problems(case: Case) -> list[Problem]:
    """Everything wrong with `case`, each naming its field as the API's request does."""
    found: list[Problem] = []
    if not 1 <= case.years <= MAX_YEARS:
        found.append(
            Problem("years", "out_of_range", f"An appraisal runs for 1 to {MAX_YEARS} years, not {case.years}")
        )
        return found  # every line's length would be reported against a number that is itself wrong
    if not 1900 <= case.start_year <= 2100:
        found.append(Problem("start_year", "out_of_range", "The first financial year must be between 1900 and 2100"))
    if not case.lines:
        found.append(Problem("lines", "required", "A case needs at least one line of costs or savings"))
    if len(case.lines) > MAX_LINES:
        found.append(Problem("lines", "too_many", f"A case has at most {MAX_LINES} lines"))
    for i, line in enumerate(case.lines):
        where = f"lines[{i}]"
        if line.kind not in KINDS:
            found.append(Problem(f"{where}.kind", "invalid", f"A line is one of {', '.join(KINDS)}"))
        # Low and high default to the amounts: report them only where they were given.
        columns = {"amounts": line.amounts}
        columns.update(
            {name: values for name, values in (("low", line.low), ("high", line.high)) if values is not None}
        )
        lengths_ok = True
        for name, values in columns.items():
            if len(values) != case.years:
                lengths_ok = False
                found.append(
                    Problem(
                        f"{where}.{name}",
                        "wrong_length",
                        f"{line.name or where}: {name} has {len(values)} years, but the case runs for {case.years}",
                    )  # fmt: skip
                )
            elif not all(math.isfinite(v) for v in values):
                lengths_ok = False
                found.append(Problem(f"{where}.{name}", "not_finite", f"{line.name or where}: {name} must be numbers"))
            elif any(v < 0 for v in values):
                lengths_ok = False
                found.append(
                    Problem(
                        f"{where}.{name}",
                        "negative",
                        f"{line.name or where}: enter costs and savings as positive amounts (net = savings − costs)",
                    )  # fmt: skip
                )
        if lengths_ok:
            for year, (low, likely, high) in enumerate(zip(line.lows, line.amounts, line.highs, strict=True)):
                if not low <= likely <= high:
                    field_name = "low" if low > likely else "high"
                    found.append(
                        Problem(
                            f"{where}.{field_name}",
                            "out_of_order",
                            f"{line.name or where}, year {year}: low ({low:,.0f}) ≤ likely ({likely:,.0f}) "
                            f"≤ high ({high:,.0f}) must hold",
                        )  # fmt: skip
                    )
                    break
    return found


def check(case: Case) -> None:
    """Raise InvalidCase with every problem, if there are any."""
    found = problems(case)
    if found:
        raise InvalidCase(found)


# --- Building blocks -------------------------------------------------------------------


def delay(amounts: FloatArray, years: float) -> FloatArray:
    """`amounts` moved `years` later, each year's amount spread evenly through its year.

    A delay of n + f (0 ≤ f < 1) puts (1 − f) of year k's amount into year k + n and f into
    year k + n + 1; what falls past the last year is lost.
    """
    if years < 0 or not math.isfinite(years):
        raise ValueError("A delay is zero or more years")
    n = math.floor(years)
    f = years - n
    count = len(amounts)
    out = np.zeros(count, dtype=np.float64)
    if n < count:
        out[n:] += (1 - f) * amounts[: count - n]
    if n + 1 < count:
        out[n + 1 :] += f * amounts[: count - n - 1]
    return out


def _tolerance(flows: FloatArray) -> float:
    # Sums of floats are inexact: a case that recovers £100 with £100 may sum to -1e-14.
    # A millionth of a penny per pound moved is far below anything a reader could see.
    return 1e-12 * float(np.abs(flows).sum()) + 1e-9


def payback(flows: FloatArray) -> float | None:
    """Years from the start of year 0 until the cumulative flow stays at or above zero.

    Each year's flow is spread evenly through it. None when the cumulative ends below zero;
    0.0 when it is never below zero.
    """
    tolerance = _tolerance(flows)
    cumulative = np.concatenate(([0.0], np.cumsum(flows)))  # at the start of each year, then the end
    below = np.flatnonzero(cumulative < -tolerance)
    if below.size == 0:
        return 0.0
    last = int(below[-1])
    if last == len(flows):
        return None
    # The cumulative is below zero at the start of year `last` and at or above it at the
    # end, so that year's flow is positive and the crossing is inside it.
    return last + float(-cumulative[last] / flows[last])


def vfm_band(bcr: float | None) -> str | None:
    """The value-for-money label of a benefit–cost ratio (None when there is no ratio)."""
    if bcr is None:
        return None
    for lower, label in VFM_BANDS:
        if bcr >= lower:
            return label
    return VFM_POOR


# --- Results ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flow:
    """One year of the case: undiscounted costs, savings and net, and the net's present value."""

    year: int
    financial_year: str
    costs: float
    savings: float
    net: float
    discount_factor: float
    present_value: float
    cumulative_present_value: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "financial_year": self.financial_year,
            "costs": self.costs,
            "savings": self.savings,
            "net": self.net,
            "discount_factor": self.discount_factor,
            "present_value": self.present_value,
            "cumulative_present_value": self.cumulative_present_value,
        }


@dataclass(frozen=True, slots=True)
class SwitchingValues:
    """How far savings may fall, costs rise (percent) or savings slip (years) before NPV is zero."""

    savings_pct: float | None
    costs_pct: float | None
    delay_years: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"savings_pct": self.savings_pct, "costs_pct": self.costs_pct, "delay_years": self.delay_years}


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The results of `appraise`, with the schedule they were discounted by."""

    case: Case
    flows: tuple[Flow, ...]
    npv: float
    pv_costs: float
    pv_savings: float
    bcr: float | None
    vfm_band: str | None
    payback_years: float | None
    discounted_payback_years: float | None
    switching_values: SwitchingValues
    notes: tuple[str, ...] = field(default=())

    @property
    def schedule(self) -> DiscountSchedule:
        return self.case.discount

    def as_dict(self) -> dict[str, Any]:
        return {
            "npv": self.npv,
            "pv_costs": self.pv_costs,
            "pv_savings": self.pv_savings,
            "bcr": self.bcr,
            "vfm_band": self.vfm_band,
            "payback_years": self.payback_years,
            "discounted_payback_years": self.discounted_payback_years,
            "flows": [flow.as_dict() for flow in self.flows],
            "switching_values": self.switching_values.as_dict(),
            "discount_schedule": self.schedule.describe(),
            "notes": list(self.notes),
        }


def switching_values(savings: FloatArray, costs: FloatArray, factors: FloatArray) -> SwitchingValues:
    """The switching values of a case given by its yearly savings, costs and discount factors."""
    pv_savings = float(savings @ factors)
    pv_costs = float(costs @ factors)
    npv = pv_savings - pv_costs
    tolerance = _tolerance(np.concatenate((savings, costs)))
    # Written as 1 − costs/savings (not npv/savings) so a case with no costs switches at exactly
    # 100%, never a hair over, which would ask for negative savings.
    savings_pct = 100 * (1 - pv_costs / pv_savings) if pv_savings > 0 else None
    costs_pct = 100 * (pv_savings / pv_costs - 1) if pv_costs > 0 else None
    return SwitchingValues(savings_pct, costs_pct, _delay_to_zero(savings, factors, pv_costs, npv, tolerance))


def _delay_to_zero(
    savings: FloatArray, factors: FloatArray, pv_costs: float, npv: float, tolerance: float
) -> float | None:
    if abs(npv) <= tolerance:
        return 0.0
    if npv < 0:
        return None  # delaying savings never raises NPV
    # PV of the savings delayed by a whole m years; between whole years it is linear in the
    # fraction (see `delay`), so the root is found exactly by scanning m and interpolating.
    count = len(savings)
    previous = npv
    for m in range(1, count + 1):
        pv = float(savings[: count - m] @ factors[m:]) if m < count else 0.0
        current = pv - pv_costs
        if current <= 0:
            return (m - 1) + previous / (previous - current)
        previous = current
    raise AssertionError("unreachable: every saving has left the period by a delay of the whole period")


def appraise(case: Case) -> Appraisal:
    """NPV, PV of costs and savings, BCR and its label, payback, flows and switching values of `case`."""
    check(case)
    costs, savings, factors = case.costs, case.savings, case.factors
    net = savings - costs
    present = net * factors
    cumulative = np.cumsum(present)
    pv_costs = float(costs @ factors)
    pv_savings = float(savings @ factors)
    bcr = pv_savings / pv_costs if pv_costs > 0 else None
    flows = tuple(
        Flow(
            year=year,
            financial_year=year_label(case.start_year + year),
            costs=float(costs[year]),
            savings=float(savings[year]),
            net=float(net[year]),
            discount_factor=float(factors[year]),
            present_value=float(present[year]),
            cumulative_present_value=float(cumulative[year]),
        )
        for year in range(case.years)
    )
    notes = () if bcr is not None else ("There is no benefit–cost ratio: the case has no costs",)
    return Appraisal(
        case=case,
        flows=flows,
        npv=pv_savings - pv_costs,
        pv_costs=pv_costs,
        pv_savings=pv_savings,
        bcr=bcr,
        vfm_band=vfm_band(bcr),
        payback_years=payback(net),
        discounted_payback_years=payback(present),
        switching_values=switching_values(savings, costs, factors),
        notes=notes,
    )
