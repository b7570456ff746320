"""Red, amber or green for a benefits plan, against written thresholds. Pure: no Django.

The thresholds (shown on the plan's page, in `Thresholds.describe`):

- **green**: the actual is on plan or better than plan (higher or lower, as the measure says
  is better);
- **amber**: worse than plan by no more than 10% of the planned value (the tolerance);
- **red**: worse than plan by more than that, or no actual for a period that has ended.

A period that has not ended and has no actual yet has no colour ("not yet due"). A measure's
colour is that of its latest period with a colour; a plan's is the worst of its measures'.
When the planned value is zero, any shortfall is red (there is no tolerance of nothing).
Arithmetic is exact (fractions, and a float is read as the decimal it prints as), so 8.8
days against a plan of 8 is exactly 10% worse: amber, not a rounding away from red.

Periods are financial years ("2026/27", 1 April 2026 to 31 March 2027) or their quarters
("2026/27 Q1" is April to June 2026).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

Rag = Literal["green", "amber", "red"]
GREEN: Final = "green"
AMBER: Final = "amber"
RED: Final = "red"
ORDER: Final[dict[str, int]] = {GREEN: 0, AMBER: 1, RED: 2}

Number = int | float | Fraction
_PERIOD = re.compile(r"^(\d{4})/(\d{2})(?: Q([1-4]))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str
    year: int  # the calendar year the financial year starts in
    quarter: int | None  # 1 to 4, or None for the whole year

    @property
    def order(self) -> int:
        return self.year * 10 + (self.quarter or 0)

    @property
    def ends_on(self) -> dt.date:
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year + 1, 3, 31)
        month = 3 + 3 * self.quarter  # Q1 ends in June, Q2 September, Q3 December
        return dt.date(self.year, month, 30 if month in (6, 9) else 31)

    def has_ended(self, today: dt.date) -> bool:
        return self.ends_on < today


def parse_period(text: str) -> Period:
    """'2026/27' or '2026/27 Q1' (also '2026-27', 'q1'); anything else raises PeriodError."""
    cleaned = " ".join(str(text).replace("-", "/").split()).upper()
    match = _PERIOD.match(cleaned)
    if not match:
        raise PeriodError(f"“{text}” is not a financial year like 2026/27 or a quarter like 2026/27 Q1")
    year, next_two, quarter = int(match[1]), int(match[2]), match[3]
    if (year + 1) % 100 != next_two:
        raise PeriodError(f"“{text}”: a financial year runs into the next year, like {year}/{(year + 1) % 100:02d}")
    label = f"{year}/{next_two:02d}" + (f" Q{quarter}" if quarter else "")
    return Period(label, year, int(quarter) if quarter else None)


@dataclass(frozen=True)
class Thresholds:
    amber_tolerance_percent: int = 10

    def describe(self) -> list[tuple[str, str]]:
        return [
            (GREEN, "Green: on plan or better than plan."),
            (AMBER, f"Amber: worse than plan by up to {self.amber_tolerance_percent}% of the planned value."),
            (
                RED,
                f"Red: worse than plan by more than {self.amber_tolerance_percent}%, "
                "or no actual for a period that has ended.",
            ),
        ]


DEFAULT: Final = Thresholds()


def _exact(value: Number) -> Fraction:
    """Exactly the number as written: 8.8 is 44/5, not the binary float nearest it."""
    if isinstance(value, Fraction):
        return value
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def period_rag(
    planned: Number,
    actual: Number | None,
    *,
    higher_is_better: bool,
    ended: bool,
    thresholds: Thresholds = DEFAULT,
) -> Rag | None:
    """The colour of one period, or None when it has not ended and has no actual yet."""
    if actual is None:
        return RED if ended else None
    plan, got = _exact(planned), _exact(actual)
    shortfall = plan - got if higher_is_better else got - plan
    if shortfall <= 0:
        return GREEN
    if shortfall * 100 <= thresholds.amber_tolerance_percent * abs(plan):
        return AMBER
    return RED


@dataclass(frozen=True)
class Point:
    """One period of a measure: its planned value, and its actual if there is one."""

    period: Period
    planned: Number | None
    actual: Number | None


@dataclass(frozen=True)
class PointResult:
    point: Point
    rag: Rag | None
    ended: bool


@dataclass(frozen=True)
class MeasureResult:
    points: tuple[PointResult, ...]
    rag: Rag | None  # that of the latest period with a colour


def measure_rag(
    points: Iterable[Point], *, higher_is_better: bool, today: dt.date, thresholds: Thresholds = DEFAULT
) -> MeasureResult:
    """Every period's colour, in period order, and the measure's (its latest coloured period).
    A period without a planned value has no colour: there is nothing to be on plan against."""
    results = []
    for point in sorted(points, key=lambda p: p.period.order):
        ended = point.period.has_ended(today)
        rag = (
            None
            if point.planned is None
            else period_rag(
                point.planned, point.actual, higher_is_better=higher_is_better, ended=ended, thresholds=thresholds
            )
        )
        results.append(PointResult(point, rag, ended))
    coloured = [r.rag for r in results if r.rag is not None]
    return MeasureResult(tuple(results), coloured[-1] if coloured else None)


def worst(rags: Sequence[Rag | None]) -> Rag | None:
    """A plan's colour: the worst of its measures' (None when none has one yet)."""
    result: Rag | None = None
    for rag in rags:
        if rag is not None and (result is None or ORDER[rag] > ORDER[result]):
            result = rag
    return result
