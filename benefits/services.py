"""Reading a benefits plan: each measure's periods with planned and actual values, their RAG
(`engines.benefits`), a chart drawn on the server (SVG, with the same figures in a table), and
whether an arrangement's baseline is recorded.

A financial measure reads the arrangement's money ledger: planned values are its expected
savings, actuals its achieved savings (a signed-off figure is preferred to a reported one),
for the whole arrangement and single financial years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from arrangements.models import Arrangement, LedgerEntry, Measure
from benefits.models import BenefitMeasure, Kind
from engines import benefits as engine

RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", None: "Not yet due"}
RAG_TAGS = {"green": "green", "amber": "yellow", "red": "red", None: "grey"}


@dataclass
class Row:
    period: str
    planned: Decimal | None
    actual: Decimal | None
    rag: str | None
    ended: bool
    standing: str = ""  # for a financial actual: reported or signed_off

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def rag_tag(self) -> str:
        return RAG_TAGS[self.rag]


@dataclass
class MeasureView:
    measure: BenefitMeasure
    rows: list[Row]
    rag: str | None
    chart: dict = field(default_factory=dict)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def rag_tag(self) -> str:
        return RAG_TAGS[self.rag]


@dataclass
class Plan:
    measures: list[MeasureView]
    rag: str | None
    thresholds: list[tuple[str, str]]
    baseline: bool

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag] if self.measures else "No plan"

    @property
    def rag_tag(self) -> str:
        return RAG_TAGS[self.rag]


def _exact(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _ledger_points(entries: Iterable[LedgerEntry]) -> dict[str, dict]:
    points: dict[str, dict] = {}
    for e in entries:
        if e.partner_id is not None or e.period_first != e.period_last:
            continue
        point = points.setdefault(e.period, {"planned": None, "actual": None, "standing": ""})
        if e.measure == Measure.EXPECTED_SAVING:
            point["planned"] = Decimal(e.amount)
        elif e.measure == Measure.ACHIEVED_SAVING and (point["standing"] != "signed_off"):
            point["actual"], point["standing"] = Decimal(e.amount), e.standing
    return points


def measure_view(measure: BenefitMeasure, ledger: list[LedgerEntry], today: dt.date) -> MeasureView:
    if measure.kind == Kind.FINANCIAL:
        raw = _ledger_points(ledger)
    else:
        raw = {}
        for value in measure.values.all():
            point = raw.setdefault(value.period, {"planned": None, "actual": None, "standing": ""})
            point[value.basis] = value.value
    points = []
    for label, point in raw.items():
        try:
            period = engine.parse_period(label)
        except engine.PeriodError:
            continue
        points.append(engine.Point(period, _exact(point["planned"]), _exact(point["actual"])))
    result = engine.measure_rag(points, higher_is_better=measure.higher_is_better, today=today)
    rows = [
        Row(
            r.point.period.label,
            raw[r.point.period.label]["planned"],
            raw[r.point.period.label]["actual"],
            r.rag,
            r.ended,
            raw[r.point.period.label]["standing"],
        )
        for r in result.points
    ]
    view = MeasureView(measure, rows, result.rag)
    view.chart = chart(rows)
    return view


def has_cost_baseline(ledger: Iterable[LedgerEntry]) -> bool:
    return any(e.measure == Measure.BASELINE_COST for e in ledger)


def plan_for(arrangement: Arrangement, today: dt.date | None = None) -> Plan:
    today = today or timezone.localdate()
    ledger = list(arrangement.ledger.all())
    measures = list(
        BenefitMeasure.objects.filter(arrangement=arrangement).select_related("owner").prefetch_related("values")
    )
    views = [measure_view(m, ledger, today) for m in measures]
    baseline = has_cost_baseline(ledger) and all(m.has_baseline for m in measures)
    return Plan(views, engine.worst([v.rag for v in views]), engine.DEFAULT.describe(), baseline)


def running_without_baseline(arrangements: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    """The one definition of "running without a baseline", for the dashboard and each
    organisation's portfolio alike: running (live, under review or expanded) with no cost
    baseline in the ledger, or with a benefit measure lacking its baseline value or date. The
    same test as `plan_for(...).baseline`, made in SQL so it is counted, not listed."""
    cost = LedgerEntry.objects.filter(arrangement=OuterRef("pk"), measure=Measure.BASELINE_COST)
    lacking = BenefitMeasure.objects.filter(arrangement=OuterRef("pk")).filter(
        Q(baseline_value__isnull=True) | Q(baseline_on__isnull=True)
    )
    return arrangements.running().filter(~Exists(cost) | Exists(lacking))


def live_without_baseline(arrangements: QuerySet[Arrangement]) -> int:
    """How many of these arrangements are running without a baseline (one COUNT query)."""
    return running_without_baseline(arrangements).order_by().count()


def mark_sign_offs(user, arrangement, entries) -> None:
    """Mark each entry with its standing sign-off (who, for whom) and whether `user` may sign it off
    or withdraw it: only a partner's finance lead, and only the published version."""
    from arrangements import permissions
    from benefits.models import SignOff

    standing = {
        s.entry_id: s
        for s in SignOff.objects.filter(entry__arrangement=arrangement, withdrawn_at__isnull=True).select_related(
            "organisation"
        )
    }
    signer = arrangement.published and permissions.signs_off_for_any(user, arrangement)
    for entry in entries:
        entry.sign_off = standing.get(entry.pk)
        entry.may_sign = bool(
            signer
            and entry.measure == Measure.ACHIEVED_SAVING
            and permissions.sign_off_organisation(user, entry) is not None
        )


# --- the chart ------------------------------------------------------------------------

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 80, 20, 20, 40


def _short(value: Decimal) -> str:
    number = float(value)
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if abs(number) >= size:
            return f"{number / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{number:.2f}".rstrip("0").rstrip(".")


def chart(rows: list[Row]) -> dict:
    """Coordinates of planned (a dashed line) and actual (a solid line with points) for an SVG."""
    values = [v for r in rows for v in (r.planned, r.actual) if v is not None]
    if not rows or not values:
        return {}
    low, high = min(min(values), Decimal(0)), max(values)
    if high == low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(rows) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (i * step if len(rows) > 1 else plot_w / 2), 1)

    def y(v: Decimal) -> float:
        return round(TOP + plot_h - float((v - low) / (high - low)) * plot_h, 1)

    def line(basis: str) -> list[dict]:
        return [
            {"x": x(i), "y": y(getattr(r, basis)), "label": r.period, "value": getattr(r, basis)}
            for i, r in enumerate(rows)
            if getattr(r, basis) is not None
        ]

    planned, actual = line("planned"), line("actual")
    ticks = [low + (high - low) * Decimal(k) / 4 for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "planned": planned,
        "actual": actual,
        "planned_path": " ".join(f"{p['x']},{p['y']}" for p in planned),
        "actual_path": " ".join(f"{p['x']},{p['y']}" for p in actual),
        "x_labels": [{"x": x(i), "y": HEIGHT - BOTTOM + 20, "text": r.period} for i, r in enumerate(rows)],
        "y_ticks": [{"y": y(t), "text": _short(t), "x": LEFT - 8} for t in ticks],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "axis_y": HEIGHT - BOTTOM,
    }
