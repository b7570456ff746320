"""Risk: a seeded Monte Carlo over each line's low, likely and high amounts.

Each trial draws once per line, a quantile u in (0, 1), and every year of that line takes
its own value at that same quantile: a line's years move together (a project whose ICT
costs run high runs high every year), as the issue decided. Values follow a triangular
distribution over (low, likely, high), or a PERT (a beta distribution with shape
parameters 1 + 4 (likely − low) / (high − low) and 1 + 4 (high − likely) / (high − low)).
Savings lines may be correlated with each other: a Gaussian copula with one correlation
between every pair, since a case that overestimates one saving usually overestimates them
all. Costs are drawn independently.

The draws come from `numpy.random.default_rng(seed)`, so the same seed and inputs give the
same result; a result always reports the seed it used (one is chosen when none is given).
Everything is vectorised over trials and worked in fixed blocks, so memory stays bounded
at a million draws; and because a line's years share one draw, a trial needs one standard
value per distinct shape of a line (usually one), not one per year (see `_Shape`).

"Never pays back within the period" means the undiscounted cumulative net ends below
zero, which is when `case.payback` is None. Below-zero NPV is the discounted equivalent.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from engines.appraisal.case import Case, InvalidCase, Line, Problem, check
from engines.appraisal.case import problems as _problems_of_case

FloatArray = npt.NDArray[np.float64]
Distribution = Literal["triangular", "pert"]
DISTRIBUTIONS: Final[tuple[Distribution, ...]] = ("triangular", "pert")

MAX_DRAWS: Final = 1_000_000
DEFAULT_DRAWS: Final = 10_000
# Trials worked at once: 16,384 × 200 lines × 8 bytes of quantiles is 26 MB at most.
_BLOCK: Final = 16_384
# Points of the PERT quantile table. Its shape parameters are between 1 and 5, so the
# density is bounded and smooth; linear interpolation between 4,097 points errs by well under
# a thousandth of the range, far inside the noise of any number of draws a case uses.
_PERT_GRID: Final = 4_097
S_CURVE_POINTS: Final = 101
# Numbers worked per simulation: trials × (lines + distinct shapes; see `_Shape`). About two
# seconds here, so a single request cannot hold a server for minutes.
MAX_VALUES: Final = 200_000_000


@dataclass(frozen=True, slots=True)
class RiskSettings:
    draws: int = DEFAULT_DRAWS
    seed: int | None = None
    distribution: Distribution = "triangular"
    savings_correlation: float = 0.0


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """One line's effect on NPV when it alone is at its low, then its high, values."""

    line: int
    name: str
    low_npv: float
    high_npv: float

    def swing(self, base: float) -> float:
        return max(abs(self.low_npv - base), abs(self.high_npv - base))

    def as_dict(self, base: float) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.name,
            "low_npv": self.low_npv,
            "high_npv": self.high_npv,
            "low_effect": self.low_npv - base,
            "high_effect": self.high_npv - base,
        }


@dataclass(frozen=True, slots=True)
class RiskResult:
    draws: int
    seed: int
    distribution: Distribution
    savings_correlation: float
    npv: float  # at the likely values: the tornado's centre
    mean: float
    p10: float
    p50: float
    p90: float
    prob_negative: float
    prob_no_payback: float
    # The S-curve: (probability, NPV) at which that share of trials is at or below that NPV.
    s_curve: tuple[tuple[float, float], ...]
    # Largest swing first.
    tornado: tuple[TornadoBar, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "distribution": self.distribution,
            "savings_correlation": self.savings_correlation,
            "mean": self.mean,
            "p10": self.p10,
            "p50": self.p50,
            "p90": self.p90,
            "prob_negative": self.prob_negative,
            "prob_no_payback": self.prob_no_payback,
            "s_curve": [{"probability": p, "npv": v} for p, v in self.s_curve],
            "tornado": [bar.as_dict(self.npv) for bar in self.tornado],
        }


def problems(settings: RiskSettings, case: Case | None = None) -> list[Problem]:
    found: list[Problem] = []
    if not 1 <= settings.draws <= MAX_DRAWS:
        found.append(Problem("risk.draws", "out_of_range", f"Draw between 1 and {MAX_DRAWS:,} trials"))
    elif case is not None and not _problems_of_case(case):
        shapes = sum(len(_line_shapes(line, case.factors)) for line in case.lines)
        values = len(case.lines) + shapes
        if settings.draws * values > MAX_VALUES:
            found.append(
                Problem(
                    "risk.draws",
                    "too_much_work",
                    f"{settings.draws:,} draws of this case's {len(case.lines)} lines and {shapes} distinct shapes "
                    f"are more than one simulation can do: draw at most {MAX_VALUES // values:,}",
                )  # fmt: skip
            )
    if settings.distribution not in DISTRIBUTIONS:
        found.append(Problem("risk.distribution", "invalid", f"Choose one of {', '.join(DISTRIBUTIONS)}"))
    if not 0 <= settings.savings_correlation <= 1:
        found.append(Problem("risk.savings_correlation", "out_of_range", "The correlation is between 0 and 1"))
    if settings.seed is not None and not 0 <= settings.seed < 2**63:
        found.append(Problem("risk.seed", "out_of_range", "A seed is a whole number from 0 to 2^63 − 1"))
    return found


def _normal_cdf(x: FloatArray) -> FloatArray:
    # Abramowitz and Stegun 7.1.26 for erf (absolute error below 1.5e-7): numpy has no erf,
    # and the copula needs only a faithful, monotone map from normals to quantiles.
    z = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1 - poly * np.exp(-z * z)
    return np.asarray(0.5 * (1 + np.sign(x) * erf), dtype=np.float64)


def _quantiles(draws: int, lines: int, savings: list[int], rho: float, rng: np.random.Generator) -> FloatArray:
    """One quantile per trial and line, savings lines correlated through the copula."""
    u = rng.random((draws, lines))
    if rho > 0 and len(savings) > 1:
        common = rng.standard_normal((draws, 1))
        own = rng.standard_normal((draws, len(savings)))
        u[:, savings] = _normal_cdf(math.sqrt(rho) * common + math.sqrt(1 - rho) * own)
    return u


def _triangular(u: FloatArray, mode: float) -> FloatArray:
    """Quantiles `u` of the standard triangular distribution on 0 to 1 with its mode at `mode`."""
    return np.where(u < mode, np.sqrt(u * mode), 1 - np.sqrt((1 - u) * (1 - mode)))


def _pert_table(mode: float) -> FloatArray:
    """Quantiles of the standard PERT on 0 to 1 with its mode at `mode`, Beta(1 + 4 mode, 5 − 4 mode),
    at `_PERT_GRID` evenly spaced probabilities from 0 to 1."""
    alpha, beta = 1 + 4 * mode, 5 - 4 * mode
    x = np.linspace(0.0, 1.0, _PERT_GRID)
    density = x ** (alpha - 1) * (1 - x) ** (beta - 1)
    cdf = np.concatenate(([0.0], np.cumsum((density[1:] + density[:-1]) / 2)))
    return np.asarray(np.interp(np.linspace(0.0, 1.0, _PERT_GRID), cdf / cdf[-1], x), dtype=np.float64)


def _pert(u: FloatArray, table: FloatArray) -> FloatArray:
    # The table is even in probability, so finding a quantile is arithmetic, not the binary
    # search np.interp does: ten times faster, and no less exact at this grid.
    position = u * (len(table) - 1)
    index = np.minimum(position.astype(np.int64), len(table) - 2)
    return np.asarray(table[index] + (position - index) * (table[index + 1] - table[index]), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Shape:
    """A line's years that share one standard shape, reduced to what a trial needs.

    A value is low + (high − low) × Z, where Z is the standard distribution (0 to 1) with its
    mode at (likely − low) / (high − low). Years with the same mode share Z in every trial
    (one draw per line), so a trial's NPV needs Z once per shape, weighted by the sum of
    discount factor × width over those years, not once per year.
    """

    mode: float
    present_width: float  # Σ factor × (high − low) over the shape's years
    width: float  # Σ (high − low), for the undiscounted total


def _line_shapes(line: Line, factors: FloatArray) -> list[_Shape]:
    low, likely, high = (np.asarray(v, dtype=np.float64) for v in (line.lows, line.amounts, line.highs))
    width = high - low
    spread = width > 0
    modes = np.zeros_like(width)
    np.divide(likely - low, width, out=modes, where=spread)
    # Modes that differ only by rounding (low and high as the same percentages of likely
    # every year) are one shape: 1e-12 of the range moves no value by a penny.
    groups: dict[float, list[int]] = {}
    for year in np.flatnonzero(spread).tolist():
        groups.setdefault(round(float(modes[year]), 12), []).append(year)
    return [
        _Shape(mode, float(factors[years] @ width[years]), float(width[years].sum())) for mode, years in groups.items()
    ]


def npv_draws(case: Case, settings: RiskSettings) -> tuple[FloatArray, FloatArray, int]:
    """Each trial's NPV and undiscounted total net, and the seed used."""
    check(case)
    found = problems(settings, case)
    if found:
        raise InvalidCase(found)
    seed = settings.seed if settings.seed is not None else secrets.randbits(63)
    rng = np.random.default_rng(seed)
    savings_lines = [i for i, line in enumerate(case.lines) if not line.is_cost]
    factors = case.factors
    pert = settings.distribution == "pert"
    npv = np.zeros(settings.draws, dtype=np.float64)
    total = np.zeros(settings.draws, dtype=np.float64)
    shapes: list[tuple[int, float, list[_Shape]]] = []
    for i, line in enumerate(case.lines):
        sign = -1.0 if line.is_cost else 1.0
        low = np.asarray(line.lows, dtype=np.float64)
        # Every trial has at least the low values; the spread above them is drawn.
        npv += sign * float(low @ factors)
        total += sign * float(low.sum())
        line_shapes = _line_shapes(line, factors)
        if line_shapes:
            shapes.append((i, sign, line_shapes))
    tables = (
        {shape.mode: _pert_table(shape.mode) for _, _, line_shapes in shapes for shape in line_shapes} if pert else {}
    )
    # Block by block, drawing each block's quantiles as it comes, so memory stays bounded;
    # the block size is fixed, so a seed gives the same draws whatever the machine.
    for start in range(0, settings.draws, _BLOCK):
        size = min(_BLOCK, settings.draws - start)
        u = _quantiles(size, len(case.lines), savings_lines, settings.savings_correlation, rng)
        block = slice(start, start + size)
        for i, sign, line_shapes in shapes:
            for shape in line_shapes:
                if pert:
                    z = _pert(u[:, i], tables[shape.mode])
                else:
                    z = _triangular(u[:, i], shape.mode)
                npv[block] += sign * shape.present_width * z
                total[block] += sign * shape.width * z
    return npv, total, seed


def tornado(case: Case) -> tuple[TornadoBar, ...]:
    """Each line's effect on NPV at its low and high values, the others at likely; largest swing first."""
    factors = case.factors
    base = float(case.savings @ factors - case.costs @ factors)
    bars = []
    for i, line in enumerate(case.lines):
        sign = -1.0 if line.is_cost else 1.0
        likely = float(np.asarray(line.amounts, dtype=np.float64) @ factors)
        low = base + sign * (float(np.asarray(line.lows, dtype=np.float64) @ factors) - likely)
        high = base + sign * (float(np.asarray(line.highs, dtype=np.float64) @ factors) - likely)
        bars.append(TornadoBar(i, line.name, low, high))
    return tuple(sorted(bars, key=lambda bar: (-bar.swing(base), bar.line)))


def simulate(case: Case, settings: RiskSettings | None = None) -> RiskResult:
    """P10, P50 and P90 NPV, the chances of a negative NPV and of no payback, the S-curve and the tornado."""
    settings = settings or RiskSettings()
    npv, total, seed = npv_draws(case, settings)
    factors = case.factors
    base = float(case.savings @ factors - case.costs @ factors)
    scale = sum(float(np.sum(line.highs)) for line in case.lines)
    # The same allowance for inexact sums as `case.payback`, so zero spread agrees with it.
    no_payback = total < -(1e-12 * scale + 1e-9)
    p10, p50, p90 = (float(v) for v in np.percentile(npv, [10, 50, 90]))
    probabilities = np.linspace(0.0, 1.0, S_CURVE_POINTS)
    curve = np.quantile(npv, probabilities)
    return RiskResult(
        draws=settings.draws,
        seed=seed,
        distribution=settings.distribution,
        savings_correlation=settings.savings_correlation,
        npv=base,
        mean=float(npv.mean()),
        p10=p10,
        p50=p50,
        p90=p90,
        prob_negative=float(np.mean(npv < 0)),
        prob_no_payback=float(np.mean(no_payback)),
        s_curve=tuple((float(p), float(v)) for p, v in zip(probabilities, curve, strict=True)),
        tornado=tornado(case),
    )


BAND_MAX_DRAWS: Final = 50_000


def cumulative_band(case: Case, settings: RiskSettings, percentiles: tuple[float, ...] = (10.0, 90.0)) -> FloatArray:
    """Percentiles of the cumulative discounted net cash flow at the end of each year, shape
    (len(percentiles), years), from the same trials as `npv_draws` with the same seed (the
    first `BAND_MAX_DRAWS` of them, which bounds memory at draws × years)."""
    check(case)
    found = problems(settings, case)
    if found:
        raise InvalidCase(found)
    seed = settings.seed if settings.seed is not None else secrets.randbits(63)
    rng = np.random.default_rng(seed)
    draws = min(settings.draws, BAND_MAX_DRAWS)
    savings_lines = [i for i, line in enumerate(case.lines) if not line.is_cost]
    factors = case.factors
    pert = settings.distribution == "pert"
    flows = np.zeros((draws, case.years), dtype=np.float64)
    tables: dict[float, FloatArray] = {}
    for start in range(0, draws, _BLOCK):
        size = min(_BLOCK, draws - start)
        u = _quantiles(size, len(case.lines), savings_lines, settings.savings_correlation, rng)
        for i, line in enumerate(case.lines):
            sign = -1.0 if line.is_cost else 1.0
            low, likely, high = (np.asarray(v, dtype=np.float64) for v in (line.lows, line.amounts, line.highs))
            width = high - low
            modes = np.zeros_like(width)
            np.divide(likely - low, width, out=modes, where=width > 0)
            flows[start : start + size] += sign * low
            # Years with the same mode share one draw of Z (as in `_line_shapes`): worked once.
            groups: dict[float, list[int]] = {}
            for year in np.flatnonzero(width > 0).tolist():
                groups.setdefault(round(float(modes[year]), 12), []).append(year)
            for mode, years in groups.items():
                z = _pert(u[:, i], tables.setdefault(mode, _pert_table(mode))) if pert else _triangular(u[:, i], mode)
                flows[start : start + size, years] += sign * np.outer(z, width[years])
    cumulative = np.cumsum(flows * factors, axis=1)
    return np.asarray(np.percentile(cumulative, list(percentiles), axis=0), dtype=np.float64)
