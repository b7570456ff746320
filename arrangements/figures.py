"""The register's money figures: ledger entries read from the database and counted once by
the pure engine (`engines.ledger`). The dashboard, the map and `GET /api/v1/figures` all
call `register_figures`, so they always agree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from arrangements.models import Arrangement, LedgerEntry, Measure
from engines import ledger as engine
from services.models import ServiceCategory

SHARE_NOTE = (
    "Each pound is counted once. An arrangement in several service categories is split evenly between "
    "them. Where a figure for one year and a figure for several years overlap, the one-year figure is "
    "counted and the other left out; a figure for several years is spread evenly over them."
)
NO_CATEGORY_LABEL = "No category recorded"


@dataclass
class RegisterFigures:
    figures: engine.Figures
    labels: dict[str, str]
    arrangements: int

    def label(self, key: str) -> str:
        return self.labels.get(key, NO_CATEGORY_LABEL if not key else key)

    def as_api(self) -> dict:
        f = self.figures
        return {
            "expected": f.expected,
            # Only signed-off savings count as achieved; reported ones are "reported, not yet signed off".
            "achieved": f.achieved_signed_off,
            "achieved_signed_off": f.achieved_signed_off,
            "achieved_reported": f.achieved_reported,
            "by_category": [{**row.as_dict(), "label": self.label(row.category)} for row in f.by_category],
            "by_year": [row.as_dict() for row in f.by_year],
            "arrangements": self.arrangements,
            "note": SHARE_NOTE,
        }

    @property
    def left_out(self) -> list:
        return self.figures.left_out

    def as_dict(self) -> dict:
        """JSON-friendly, so the public's figures can be kept against the register version."""
        return {"figures": self.figures.as_dict(), "labels": dict(self.labels), "arrangements": self.arrangements}

    @classmethod
    def from_dict(cls, data: dict) -> RegisterFigures:
        return cls(engine.Figures.from_dict(data["figures"]), dict(data["labels"]), data["arrangements"])


def combine(*parts: RegisterFigures) -> RegisterFigures:
    """The figures of disjoint sets of arrangements together, exactly as `register_figures` over
    them all: the engine's figures combined, and the arrangements with a savings entry added
    (each is in one part only). The labels are the categories' (the same table for every part)."""
    labels: dict[str, str] = {}
    for part in parts:
        labels.update(part.labels)
    return RegisterFigures(
        engine.combine(*(part.figures for part in parts)), labels, sum(part.arrangements for part in parts)
    )


def _ids(arrangements: QuerySet[Arrangement]) -> QuerySet:
    return arrangements.order_by().values("pk")


def register_figures(arrangements: QuerySet[Arrangement]) -> RegisterFigures:
    """Savings over the arrangements a person may see after the filters: two queries, then the engine."""
    ids = _ids(arrangements)
    rows = LedgerEntry.objects.filter(
        arrangement__in=ids, measure__in=[Measure.EXPECTED_SAVING, Measure.ACHIEVED_SAVING]
    ).values_list(
        "arrangement_id", "partner_id", "period_first", "period_last", "measure", "basis", "standing", "amount"
    )
    entries = [
        engine.Entry(a, p, engine.Period(first, last), m, b, s, amount)
        for a, p, first, last, m, b, s, amount in rows.iterator(chunk_size=5000)
    ]
    shares: dict[int, dict[str, float]] = defaultdict(dict)
    through = Arrangement.categories.through
    for arrangement_id, key in through.objects.filter(arrangement__in=ids).values_list(
        "arrangement_id", "servicecategory__key"
    ):
        shares[arrangement_id][key] = 1.0
    labels = dict(ServiceCategory.objects.values_list("key", "label"))
    return RegisterFigures(engine.totals(entries, shares), labels, len({e.arrangement for e in entries}))


def left_out_of(entries: list[LedgerEntry]) -> dict[int, str]:
    """For one arrangement's page: which of its entries the totals leave out, and why."""
    by_key = {}
    engine_entries = []
    for e in entries:
        item = engine.Entry(
            e.arrangement_id,
            e.partner_id,
            engine.Period(e.period_first, e.period_last),
            e.measure,
            e.basis,
            e.standing,
            e.amount,
        )
        by_key[id(item)] = e.pk
        engine_entries.append(item)
    selection = engine.count_once(engine_entries)
    return {by_key[id(item.entry)]: item.message for item in selection.left_out if id(item.entry) in by_key}


def arrangement_totals(entries: list[LedgerEntry]) -> engine.Figures:
    """One arrangement's savings, counted once (for its row in a download)."""
    return engine.totals(
        [
            engine.Entry(
                e.arrangement_id,
                e.partner_id,
                engine.Period(e.period_first, e.period_last),
                e.measure,
                e.basis,
                e.standing,
                e.amount,
            )
            for e in entries
        ]
    )
