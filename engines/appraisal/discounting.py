"""Discount schedules: dated, versioned parameter tables, so every result can say which it used.

The Green Book's rates decline with time. A rate applies to each year inside its band, and
the factor compounds year by year across the bands: the factor for year 31 is
1 / (1.035^30 × 1.030), not 1 / 1.030^31. Year 0 is today (the first financial year) and is
not discounted, so its factor is exactly 1.

A schedule is data, not code: when HM Treasury changes a rate, add a new schedule with a new
version and date, and keep the old one so an old result can still be explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Band:
    """A rate (a fraction: 0.035 is 3.5%) for years `first` to `last` inclusive; `last` None is for ever."""

    first: int
    last: int | None
    rate: float


@dataclass(frozen=True, slots=True)
class DiscountSchedule:
    """A named, versioned table of rates by year, with its source and the date it was entered and
    checked against that source: a new edition of the rates is a new version, never an edit."""

    name: str
    version: str
    dated: date
    source: str
    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        # The bands must tile the years from 0 with no gap or overlap, and run for ever:
        # a year with no rate would silently get a factor of 0 or 1.
        expected_first = 0
        for i, band in enumerate(self.bands):
            if band.first != expected_first:
                raise ValueError(f"Band {i} of {self.name} starts in year {band.first}, not {expected_first}")
            if not -1 < band.rate < 1:
                raise ValueError(f"Band {i} of {self.name} has rate {band.rate}: rates are fractions, like 0.035")
            if band.last is None:
                if i != len(self.bands) - 1:
                    raise ValueError(f"Only the last band of {self.name} may run for ever")
                return
            if band.last < band.first:
                raise ValueError(f"Band {i} of {self.name} ends before it starts")
            expected_first = band.last + 1
        raise ValueError(f"The last band of {self.name} must run for ever (last=None)")

    @classmethod
    def flat(cls, rate: float) -> DiscountSchedule:
        """One rate for every year: for tests, and to compare with spreadsheet NPV functions."""
        return cls(f"flat {rate:.4%}", "1", date(2026, 12, 1), "a single rate", (Band(0, None, rate),))

    def rate(self, year: int) -> float:
        """The rate that discounts year `year` back to year `year - 1`."""
        for band in self.bands:
            if band.first <= year and (band.last is None or year <= band.last):
                return band.rate
        raise ValueError(f"No rate for year {year}")

    def rates(self, years: int) -> FloatArray:
        """The rates of years 0 to `years - 1` (year 0's rate is never used: it is not discounted)."""
        out = np.empty(years, dtype=np.float64)
        for band in self.bands:
            stop = years if band.last is None else min(band.last + 1, years)
            if band.first < stop:
                out[band.first : stop] = band.rate
        return out

    def factors(self, years: int) -> FloatArray:
        """Discount factors for years 0 to `years - 1`: 1 for year 0, then compounding each year's rate."""
        if years < 0:
            raise ValueError("years must be zero or more")
        growth = 1.0 + self.rates(years)
        growth[:1] = 1.0
        return np.asarray(1.0 / np.cumprod(growth), dtype=np.float64)

    def describe(self) -> dict[str, str]:
        """What a result shows so its reader knows which rates it used."""
        return {"name": self.name, "version": self.version, "dated": self.dated.isoformat(), "source": self.source}


# The years at which the Green Book's rates step down; both schedules share them.
_BAND_YEARS: Final = ((0, 30), (31, 75), (76, 125), (126, 200), (201, 300), (301, None))
_SOURCE: Final = "HM Treasury, The Green Book, annex A6 (discounting): long-term discount rates"


def _bands(rates: tuple[float, ...]) -> tuple[Band, ...]:
    return tuple(Band(first, last, rate) for (first, last), rate in zip(_BAND_YEARS, rates, strict=True))


STANDARD: Final = DiscountSchedule(
    name="standard",
    version="2026.1",
    dated=date(2026, 12, 1),
    source=_SOURCE + " (the standard rate, a social time preference rate of 3.5%)",
    bands=_bands((0.035, 0.030, 0.025, 0.020, 0.015, 0.010)),
)

# Health effects are discounted at the lower rate because the wealth effect is left out of it.
HEALTH: Final = DiscountSchedule(
    name="health",
    version="2026.1",
    dated=date(2026, 12, 1),
    source=_SOURCE + " (the health rate, for health and life values)",
    bands=_bands((0.015, 0.0129, 0.0107, 0.0086, 0.0064, 0.0043)),
)

SCHEDULES: Final[dict[str, DiscountSchedule]] = {STANDARD.name: STANDARD, HEALTH.name: HEALTH}
