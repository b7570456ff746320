"""The register's evidence for a case: the reality check and the reference class for optimism bias.

Reads ledger rows of comparable arrangements (same service category; else same delivery
model) and hands them to the pure engine (`engines.appraisal.reality`). Only signed-off
achieved savings count; an arrangement is never compared with itself. With fewer than 5
comparable arrangements, the reality check uses the published reference points in
`appraisal/reference_points.json`, and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from arrangements.models import Arrangement, LedgerEntry, Measure
from engines import ledger
from engines.appraisal import optimism
from engines.appraisal import reality as engine

MINIMUM = optimism.REFERENCE_CLASS_MINIMUM
POINTS_FILE = Path(__file__).with_name("reference_points.json")


@dataclass(frozen=True)
class ReferencePoint:
    name: str
    share_pct: float
    working: str
    source: str


@cache
def reference_points() -> tuple[ReferencePoint, ...]:
    data = json.loads(POINTS_FILE.read_text())
    points = []
    for p in data["points"]:
        share = p["share_pct"] if "share_pct" in p else 100.0 * p["annual_saving"] / p["baseline"]
        points.append(ReferencePoint(p["name"], share, p["working"], p["source"]))
    return tuple(points)


def _rates(arrangement_ids) -> dict[int, dict[str, float]]:
    rows = LedgerEntry.objects.filter(
        arrangement__in=arrangement_ids,
        measure__in=[Measure.ACHIEVED_SAVING, Measure.EXPECTED_SAVING, Measure.BASELINE_COST],
    ).values_list(
        "arrangement_id", "partner_id", "period_first", "period_last", "measure", "basis", "standing", "amount"
    )
    entries = [ledger.Entry(a, p, ledger.Period(f, last), m, b, s, amount) for a, p, f, last, m, b, s, amount in rows]
    return engine.yearly_rates(entries)


@dataclass(frozen=True)
class Comparison:
    """Comparable arrangements' figures: `values` by arrangement id, and what they are in words."""

    values: dict[int, float]
    basis: str
    level: str  # "category", "model" or "none"


def _comparable(arrangement: Arrangement, measure) -> Comparison:
    """Same category if 5 or more qualify, else same delivery model; `measure` picks the figure."""
    others = Arrangement.objects.alive().exclude(pk=arrangement.pk)
    categories = list(arrangement.categories.all())
    if categories:
        by_category = measure(_rates(others.filter(categories__in=categories).distinct().values("pk")))
        if len(by_category) >= MINIMUM:
            labels = " or ".join(c.label.lower() for c in categories)
            return Comparison(by_category, f"arrangements in {labels}", "category")
    by_model = measure(_rates(others.filter(delivery_model=arrangement.delivery_model).values("pk")))
    label = arrangement.get_delivery_model_display().lower()
    if len(by_model) >= MINIMUM:
        return Comparison(by_model, f"arrangements run by {label}", "model")
    return Comparison(by_model, f"arrangements run by {label}", "none")


def reality_check(
    arrangement: Arrangement, annual_savings: float, baseline: float | None
) -> tuple[engine.RealityCheck, str]:
    """The check, and a note of what it was compared with (the register, or the published points)."""
    found = _comparable(arrangement, engine.achieved_shares)
    if found.level != "none":
        note = (
            f"Compared with the signed-off achieved savings of {len(found.values)} {found.basis} in the register, "
            "as a share of their baseline."
        )
        return engine.check(annual_savings, baseline, list(found.values.values()), found.basis), note
    points = reference_points()
    note = (
        f"Fewer than {MINIMUM} comparable arrangements in the register have signed-off achieved savings and a "
        f"baseline ({len(found.values)}), so the case is compared only with {len(points)} published reference points."
    )
    check = engine.check(annual_savings, baseline, [p.share_pct for p in points], "the published reference points")
    return check, note


def reference_class(arrangement: Arrangement) -> optimism.ReferenceClass | None:
    """Signed-off achieved over expected savings among comparable arrangements (the median), with how many."""
    found = _comparable(arrangement, engine.delivery_ratios)
    if not found.values:
        return None
    ratio = engine.median(list(found.values.values()))
    where = found.basis if found.level != "none" else f"{found.basis} (too few in its service category or model)"
    return optimism.ReferenceClass(ratio, len(found.values), f"Among {where}")
