"""The reality check: where a case's claimed savings sit among what comparable arrangements achieved.

Pure Python. `percentile(value, references)` is the share of reference values at or below
`value` (ties count half, so a value equal to every reference sits at the 50th), in
percent. `check(...)` returns the percentile, the comparison it rests on and, when the
case claims more than almost everyone achieved (above the 90th percentile, or above every
reference), a warning in plain words.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from engines import ledger

WARN_ABOVE: Final = 90.0


def percentile(value: float, references: Sequence[float]) -> float | None:
    """The percentile rank of `value` among `references` (0 to 100); None with no references."""
    finite = [r for r in references if math.isfinite(r)]
    if not finite or not math.isfinite(value):
        return None
    below = sum(1 for r in finite if r < value)
    equal = sum(1 for r in finite if r == value)
    return 100.0 * (below + 0.5 * equal) / len(finite)


@dataclass(frozen=True, slots=True)
class RealityCheck:
    claimed_pct: float | None  # annual savings as a percentage of the baseline
    percentile: float | None
    count: int
    basis: str  # what the references are, in words
    median_pct: float | None
    warning: str | None

    @property
    def sentence(self) -> str:
        if self.claimed_pct is None:
            return "No reality check: enter each partner's baseline (its annual cost of the service before sharing)."
        if self.percentile is None:
            claim = f"The case claims savings of {self.claimed_pct:.1f}% of its baseline a year"
            return claim + "; nothing to compare it with."
        text = (
            f"The case claims savings of {self.claimed_pct:.1f}% of its baseline a year: "
            f"more than {self.percentile:.0f}% of {self.basis} ({self.count}, median {self.median_pct:.1f}%)."
        )
        return text + (f" {self.warning}" if self.warning else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "claimed_pct": self.claimed_pct,
            "percentile": self.percentile,
            "count": self.count,
            "basis": self.basis,
            "median_pct": self.median_pct,
            "warning": self.warning,
            "sentence": self.sentence,
        }


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def check(annual_savings: float, baseline: float | None, references: Sequence[float], basis: str) -> RealityCheck:
    """`references` are savings as percentages of baseline; `basis` says in words what they are."""
    if baseline is None or not baseline > 0 or not math.isfinite(annual_savings):
        return RealityCheck(None, None, len(references), basis, None, None)
    claimed = 100.0 * annual_savings / baseline
    rank = percentile(claimed, references)
    if rank is None:
        return RealityCheck(claimed, None, 0, basis, None, None)
    median = _median(references)
    warning = None
    if rank > WARN_ABOVE or claimed > max(references):
        warning = (
            f"This is more than almost any of them achieved: the case should show why it will do better "
            f"than {basis}, or plan for the {median:.1f}% that is typical."
        )
    return RealityCheck(claimed, rank, len(references), basis, median, warning)


# --- What the register's arrangements achieved -------------------------------------------

ACHIEVED: Final = "achieved"
EXPECTED: Final = "expected"
BASELINE: Final = "baseline"


def _key(entry: ledger.Entry) -> str | None:
    if entry.measure == "achieved_saving":
        return ACHIEVED if entry.standing == "signed_off" else None  # reported figures never count here
    if entry.measure == "expected_saving":
        return EXPECTED
    if entry.measure == "baseline_cost":
        return BASELINE
    return None


def yearly_rates(entries: Iterable[ledger.Entry]) -> dict[int, dict[str, float]]:
    """Each arrangement's signed-off achieved savings, expected savings and baseline cost a year.

    The entries are counted once by the ledger's rules (a partner's share never adds to the
    whole; overlapping periods never add), then each measure's total is divided by the
    number of financial years its counted entries cover. Reported achieved figures are
    dropped before anything else, so they can never move a reference.
    """
    kept = [e for e in entries if _key(e) is not None]
    totals: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    years: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for entry in ledger.count_once(kept).counted:
        key = _key(entry)
        assert key is not None
        totals[entry.arrangement][key] += entry.amount
        years[entry.arrangement][key].update(entry.period.years)
    return {
        arrangement: {key: total / len(years[arrangement][key]) for key, total in by_key.items()}
        for arrangement, by_key in totals.items()
    }


def achieved_shares(rates: dict[int, dict[str, float]]) -> dict[int, float]:
    """Signed-off achieved savings as a percentage of the baseline, for arrangements with both."""
    return {
        arrangement: 100.0 * r[ACHIEVED] / r[BASELINE]
        for arrangement, r in rates.items()
        if ACHIEVED in r and r.get(BASELINE, 0) > 0
    }


def delivery_ratios(rates: dict[int, dict[str, float]]) -> dict[int, float]:
    """Signed-off achieved over expected savings a year, for arrangements with both."""
    return {
        arrangement: r[ACHIEVED] / r[EXPECTED]
        for arrangement, r in rates.items()
        if ACHIEVED in r and r.get(EXPECTED, 0) > 0
    }


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("The median of nothing")
    return _median(values)
