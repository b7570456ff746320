"""Turning source figures into figures for today's councils. Plain Python, no Django.

Census counts come at 2021 boundaries. A council formed since then gets the sum of its
predecessors' counts, and a county the sum of its districts' counts; shares are worked
out only after summing, so each part weighs by its size (never an average of shares).
The ONS time series need only their latest period, shown in words people read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Changes that carry an area's figures to a newer code. A "new_geo" row (joining a
# combined authority) or a "termination" (a county abolished) does not.
FOLLOWED_CHANGES = ("merger", "new_code")


def successor_codes(changes: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Each old GSS code and the newest code its area now sits in, following chains."""
    step = {row["oldcd"]: row["newcd"] for row in changes if row["type"] in FOLLOWED_CHANGES and row["newcd"]}
    newest = {}
    for old, code in step.items():
        seen = {old}
        while code in step:
            if code in seen:
                raise ValueError(f"The changes go round in a circle through {code}")
            seen.add(code)
            code = step[code]
        newest[old] = code
    return newest


def newest_code(code: str, successors: Mapping[str, str]) -> str:
    return successors.get(code, code)


@dataclass
class Combined:
    """Counts summed over some source areas, and which areas they were."""

    counts: dict[str, float] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)

    @property
    def is_rolled_up(self) -> bool:
        return len(self.parts) > 1


def roll_up(
    counts_by_area: Mapping[str, Mapping[str, float | None]], target_of: Mapping[str, str]
) -> dict[str, Combined]:
    """Sum each area's counts into its target; an area with no target is left out.

    A count that any part lacks (absent or None) is left out of the sum altogether:
    a sum of only some parts would understate the whole.
    """
    grouped: dict[str, list[str]] = {}
    for area in counts_by_area:
        if area in target_of:
            grouped.setdefault(target_of[area], []).append(area)
    result = {}
    for target, areas in grouped.items():
        names = set.intersection(
            *({name for name, value in counts_by_area[area].items() if value is not None} for area in areas)
        )
        result[target] = Combined(
            # Every part has a number for these names (the intersection above): the filter only tells mypy.
            counts={
                name: sum(v for area in areas if (v := counts_by_area[area][name]) is not None)
                for name in sorted(names)
            },
            parts=list(areas),
        )
    return result


def share(counts: Mapping[str, float], numerator: Iterable[str], denominator: str) -> float | None:
    """Numerator as a percentage of denominator; None when a count is missing or the base is not positive."""
    base = counts.get(denominator)
    if base is None or base <= 0:
        return None
    total = 0.0
    for name in numerator:
        value = counts.get(name)
        if value is None:
            return None
        total += value
    return 100.0 * total / base


def describe_parts(prefix: str, names: list[str], limit: int = 300) -> str:
    """'prefix: A, B, C', or a count of them when the names would not fit in `limit` characters."""
    text = f"{prefix}: {', '.join(names)}"
    if len(text) <= limit:
        return text
    return f"{prefix}: {len(names)} areas"[:limit]


# --- periods ----------------------------------------------------------------------

_INTERVAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:/P(\d+)Y)?$")


def period_start(period: str) -> str:
    """A key that sorts periods in time order (ISO dates sort as text)."""
    return period.split("/")[0]


def readable_period(period: str) -> str:
    """ISO 8601 periods as people write them.

    "2025-01-01/P1Y" is 2025, "2024-04-01/P1Y" the financial year 2024/25,
    "2022-01-01/P3Y" the three years 2022 to 2024, and a single date ("2025-04-30",
    the survey's reference day) its year. Anything else is shown as it is.
    """
    match = _INTERVAL.match(period.strip())
    if not match:
        return period
    year, month, years = int(match[1]), int(match[2]), int(match[4] or 1)
    if match[4] is None:
        return str(year)

    def one(start: int) -> str:
        return str(start) if month == 1 else f"{start}/{(start + 1) % 100:02d}"

    if years == 1:
        return one(year)
    return f"{one(year)} to {one(year + years - 1)}"
