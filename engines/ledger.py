"""The money ledger counted once: financial-year periods, and the totals the dashboard shows.

Plain Python (standard library only), no Django: `services` reads ledger rows from the
database, turns them into `Entry` values and calls `totals(...)`; pages and the API show
the `Figures` it returns (`Figures.as_dict()` is JSON-friendly).

Periods are UK financial years (April to March), one year (`2026/27`) or an inclusive
range of them (`2010/11-2011/12`); `parse_period` reads the ways people write them.

Counting each pound once. The register holds figures for an arrangement as a whole and
for its partners, for single years and for ranges of years, reported and signed off. The
rules, applied to each arrangement, measure and basis (planned or actual) separately,
in the order a, d, c, b:

a. Partner against whole. An entry with no partner is the arrangement as a whole; partner
   entries are its shares. Where a whole entry exists for a period, the partner entries
   for that exact period are ignored (whatever their standing): they are part of the
   whole, so they are not listed as left out. Otherwise the partner entries are summed.
b. Overlaps. An annual figure wins over a range that covers its year, and a range counts
   only where no annual figure covers any of its years: a range that partly overlaps
   annual figures is left out entirely (splitting it would invent a yearly profile).
   Of two ranges that overlap, the one that starts first is kept (ties: the longer, then
   the larger amount) and the other left out: ranges are taken in that order, each kept
   unless it overlaps one already kept. Overlapping periods are never added.
c. Standing. Where one period has both signed-off and reported actual figures (possible
   when partners' entries differ in standing), the signed-off figure counts and the
   reported one is left out, so signed off plus reported never counts a year twice.
   Because rule b ignores standing too, a year is never counted under both.
d. Duplicates. After rule a, two entries for the same partner (or the whole), period and
   standing are the same figure recorded twice: the larger counts and the other is left
   out. The write path should make that key unique; this rule stops a slip doubling a total.

Everything left out by rules b to d is listed in `Figures.left_out` with its reason, so a
page can say what was not counted and why. Amounts are whole pounds and may be negative
(a saving that turned into a loss); category and year breakdowns use largest-remainder
apportionment in integers, so their rows always sum exactly to the totals.

Benchmark (`python -m engines.ledger`, best of five with `time.perf_counter`, this
machine: 2 AMD EPYC cores, Python 3.11): `totals` over 200,000 random entries (10,000
arrangements, half the entries partners' shares, one range in ten, one to four categories
each) takes 0.5 s; building the 200,000 `Entry` values takes a further 0.23 s, which the
caller pays as it reads the rows. Both are linear but for sorting within each arrangement.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

# --- Periods ---------------------------------------------------------------------------

# The first calendar years of the earliest and latest financial years accepted: wide
# enough for any historical or planned figure, narrow enough to catch a typed 20026.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100

ENTER_A_PERIOD: Final = "Enter a financial year like 2026/27, or a range like 2010/11-2011/12"
YEARS_OUT_OF_BOUNDS: Final = f"Years must be between {FIRST_YEAR} and {LAST_YEAR}"
ENDS_BEFORE_START: Final = "The range ends before it starts: put the earlier year first, like 2010/11-2011/12"


class PeriodError(ValueError):
    """Text that is not a financial year or range of them; the message is for the person who typed it."""


def year_label(year: int) -> str:
    """The financial year starting in April of `year`, written `2026/27` (and `1999/00`)."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """Financial years `first` to `last` inclusive, each named by the calendar year it starts in.

    Ordered by first year, then last year, so sorting gives the order people read.
    """

    first: int
    last: int

    def __post_init__(self) -> None:
        if not (FIRST_YEAR <= self.first <= LAST_YEAR and FIRST_YEAR <= self.last <= LAST_YEAR):
            raise PeriodError(YEARS_OUT_OF_BOUNDS)
        if self.last < self.first:
            raise PeriodError(ENDS_BEFORE_START)

    @classmethod
    def annual(cls, year: int) -> Period:
        return cls(year, year)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return year_label(self.first)
        return f"{year_label(self.first)}-{year_label(self.last)}"

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def is_annual(self) -> bool:
        return self.first == self.last

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last

    def __str__(self) -> str:
        return self.label


# Every dash people paste from word processors reads as a hyphen.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
# Anything that is not a number, a separator or one of the two words is caught by ".".
_TOKEN = re.compile(r"[0-9]+|fy|to|[/-]|\s+|.")
_SEPARATORS = ("/", "-")  # between the two halves of one financial year
_RANGE_SEPARATORS = ("-", "to")  # between the two ends of a range

# A token is a four-digit year (int), a two-digit short year ("27" kept as text, so it
# cannot be mistaken for a year) or a separator.
_Token = int | str


def _tokens(text: str) -> list[_Token]:
    raw = [t for t in _TOKEN.findall(text.translate(_DASHES).lower()) if not t.isspace()]
    tokens: list[_Token] = []
    for i, token in enumerate(raw):
        if token == "fy":
            # "FY" only ever introduces a year: "FY2026/27", "FY 2010/11 to FY 2011/12".
            if i + 1 < len(raw) and raw[i + 1].isdigit() and len(raw[i + 1]) == 4:
                continue
            raise PeriodError(ENTER_A_PERIOD)
        if token.isdigit():
            if len(token) == 4:
                tokens.append(int(token))
            elif len(token) == 2:
                tokens.append(token)
            else:
                raise PeriodError(ENTER_A_PERIOD)
        elif token in _SEPARATORS or token in _RANGE_SEPARATORS:
            tokens.append(token)
        else:
            raise PeriodError(ENTER_A_PERIOD)
    return tokens


def _is_one_year(tokens: Sequence[_Token]) -> bool:
    """Whether the tokens have the shape of one financial year: 2026, 2026/27 or 2026/2027."""
    if len(tokens) == 1:
        return isinstance(tokens[0], int)
    return (
        len(tokens) == 3
        and isinstance(tokens[0], int)
        and tokens[1] in _SEPARATORS
        and (isinstance(tokens[2], int) or tokens[2].isdigit())
    )


def _one_year(tokens: Sequence[_Token]) -> int:
    """The starting year of one financial year already known to have that shape."""
    start = tokens[0]
    assert isinstance(start, int)
    if len(tokens) == 1:
        return start
    end = tokens[2]
    # The second half must be the next calendar year: 2026/27 or 2026/2027, not 2026/28.
    consistent = end == start + 1 if isinstance(end, int) else int(end) == (start + 1) % 100
    if not consistent:
        written = f"{start}{tokens[1]}{end}"
        raise PeriodError(
            f"{written} is not a financial year: the one that starts in April {start} is {year_label(start)}"
        )
    return start


def financial_year_ending(text: str) -> int | None:
    """The financial year a running total runs to, as the first calendar year of that year:
    "2012-03" (March 2012) is 2011 (2011/12), "2012-04" is 2012; a period's text gives its
    last year. None when the text says neither."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return year - 1 if month <= 3 else year
    try:
        return parse_period(text).last
    except PeriodError:
        return None


def parse_period(text: str) -> Period:
    """The financial year or range of years that `text` names, or a PeriodError saying why not.

    One year: `2026/27`, `2026-27`, `2026/2027`, `2026-2027`, `FY2026/27` and `2026` all
    mean April 2026 to March 2027. A range joins two years with a dash (any kind, spaces
    allowed) or "to": `2010/11-2011/12`, `2010/11 – 2011/12`, `2010/11 to 2011/12`.

    Two calendar years more than one apart, `2007-2009` (or `2007 to 2009`), are a span of
    calendar years: April 2007 to March 2009, i.e. 2007/08 to 2008/09. That is how the
    existing data writes "years 1 and 2 from April 2007", and it agrees with `2026-2027`
    meaning 2026/27. Short years stay strict: `2007-09` is refused, as it might mean either.

    Refused: an inconsistent second half (`2026/28`), a range that ends before it starts,
    years outside 1900 to 2100, empty text, text that can be read two ways, and anything else.
    """
    tokens = _tokens(text or "")
    if not tokens:
        raise PeriodError(ENTER_A_PERIOD)

    # A span of calendar years: 2007-2009 is April 2007 to March 2009.
    if len(tokens) == 3 and isinstance(tokens[0], int) and isinstance(tokens[2], int) and tokens[1] != "/":
        start, end = tokens[0], tokens[2]
        if end <= start:
            raise PeriodError(ENDS_BEFORE_START)
        return Period(start, end - 1)

    if _is_one_year(tokens):
        return Period.annual(_one_year(tokens))

    # A range: try every dash or "to" as the join. "2010-11-2011-12" has one reading;
    # "2010-2011-2012" has two (2010/11-2011/12 or 2010/11-2012/13), so it is refused.
    readings: set[Period] = set()
    problem: PeriodError | None = None
    for i, token in enumerate(tokens):
        if token not in _RANGE_SEPARATORS or not (_is_one_year(tokens[:i]) and _is_one_year(tokens[i + 1 :])):
            continue
        try:
            first, last = _one_year(tokens[:i]), _one_year(tokens[i + 1 :])
            if last < first:
                raise PeriodError(ENDS_BEFORE_START)
            readings.add(Period(first, last))
        except PeriodError as error:
            problem = problem or error
    if len(readings) == 1:
        return readings.pop()
    if not readings and problem is not None:
        raise problem
    raise PeriodError(ENTER_A_PERIOD)


# --- The ledger ------------------------------------------------------------------------

BASELINE_COST: Final = "baseline_cost"
ONE_OFF_COST: Final = "one_off_cost"
RUNNING_COST: Final = "running_cost"
EXPECTED_SAVING: Final = "expected_saving"
ACHIEVED_SAVING: Final = "achieved_saving"
COST_MEASURES: Final = (BASELINE_COST, ONE_OFF_COST, RUNNING_COST)
MEASURES: Final = (*COST_MEASURES, EXPECTED_SAVING, ACHIEVED_SAVING)

PLANNED: Final = "planned"
ACTUAL: Final = "actual"
EXPECTED: Final = "expected"
REPORTED: Final = "reported"
SIGNED_OFF: Final = "signed_off"
STANDINGS: Final[Mapping[str, tuple[str, ...]]] = {PLANNED: (EXPECTED,), ACTUAL: (SIGNED_OFF, REPORTED)}
# A saving is expected because it is planned, and achieved because it happened.
_SAVING_BASIS: Final = {EXPECTED_SAVING: PLANNED, ACHIEVED_SAVING: ACTUAL}

NO_CATEGORY: Final = ""
NO_CATEGORY_LABEL: Final = "No category recorded"

# The three savings figures, in the order of every row.
SAVINGS_COLUMNS: Final = ("expected", "achieved_signed_off", "achieved_reported")
_SAVING_COLUMN: Final = {
    (EXPECTED_SAVING, EXPECTED): 0,
    (ACHIEVED_SAVING, SIGNED_OFF): 1,
    (ACHIEVED_SAVING, REPORTED): 2,
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry. `partner` None is the arrangement as a whole; amounts in whole pounds."""

    arrangement: int
    partner: int | None
    period: Period
    measure: str
    basis: str
    standing: str
    amount: int

    def __post_init__(self) -> None:
        # Refused here, not skipped in `totals`: a figure silently not counted is worse than an error.
        if self.measure not in MEASURES:
            raise ValueError(f"Unknown measure {self.measure!r}: expected one of {', '.join(MEASURES)}")
        if self.basis not in STANDINGS:
            raise ValueError(f"Unknown basis {self.basis!r}: expected {PLANNED!r} or {ACTUAL!r}")
        if self.standing not in STANDINGS[self.basis]:
            allowed = " or ".join(repr(s) for s in STANDINGS[self.basis])
            raise ValueError(f"A {self.basis} entry's standing is {allowed}, not {self.standing!r}")
        basis = _SAVING_BASIS.get(self.measure)
        if basis is not None and basis != self.basis:
            raise ValueError(f"An {self.measure} entry is always {basis}, not {self.basis}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "arrangement": self.arrangement,
            "partner": self.partner,
            "period": self.period.label,
            "measure": self.measure,
            "basis": self.basis,
            "standing": self.standing,
            "amount": self.amount,
        }


# Why an entry was not counted (rules b to d of the module docstring).
RANGE_UNDER_ANNUAL: Final = "range_overlaps_annual"
RANGE_UNDER_RANGE: Final = "range_overlaps_range"
REPORTED_UNDER_SIGNED_OFF: Final = "reported_under_signed_off"
DUPLICATE: Final = "duplicate"


@dataclass(frozen=True, slots=True)
class LeftOut:
    """An entry not counted, why, and the period whose figure was counted instead."""

    entry: Entry
    reason: str
    instead: Period

    @property
    def message(self) -> str:
        period, instead = self.entry.period.label, self.instead.label
        if self.reason == RANGE_UNDER_ANNUAL:
            return f"{period} is left out: it overlaps the figure for {instead}, which is counted instead"
        if self.reason == RANGE_UNDER_RANGE:
            return f"{period} is left out: it overlaps {instead}, which starts first and is counted instead"
        if self.reason == REPORTED_UNDER_SIGNED_OFF:
            return f"The reported figure for {period} is left out: a signed-off figure for it is counted instead"
        return f"The figure for {period} was recorded twice: only the larger is counted"

    def as_dict(self) -> dict[str, Any]:
        return {**self.entry.as_dict(), "reason": self.reason, "instead": self.instead.label, "message": self.message}


@dataclass(frozen=True, slots=True)
class Selection:
    """The entries that count, and those left out with their reasons."""

    counted: list[Entry]
    left_out: list[LeftOut]


def _left_out_order(item: LeftOut) -> tuple[int, str, str, Period, int, str, int]:
    e = item.entry
    return (e.arrangement, e.measure, e.basis, e.period, -1 if e.partner is None else e.partner, e.standing, e.amount)


def count_once(entries: Iterable[Entry]) -> Selection:
    """The entries that count under rules a to d (see the module docstring), and the rest.

    `totals` uses this; it is public so a page about one arrangement can show which of
    its entries count. `left_out` is sorted, so the result never depends on entry order.
    """
    groups: defaultdict[tuple[int, str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.arrangement, entry.measure, entry.basis)].append(entry)
    counted: list[Entry] = []
    left_out: list[LeftOut] = []
    for group in groups.values():
        if len(group) == 1:
            counted.append(group[0])  # most arrangements have one figure per measure: nothing to decide
        else:
            _select(group, counted, left_out)
    left_out.sort(key=_left_out_order)
    return Selection(counted, left_out)


def _select(group: list[Entry], counted: list[Entry], left_out: list[LeftOut]) -> None:
    """Rules a to d for the entries of one arrangement, measure and basis."""
    # Periods are keyed by (first, last) tuples: hashing a dataclass runs Python code,
    # and this loop runs for every entry of the register on every dashboard view.
    # a. A whole entry for a period replaces the partner entries for that period.
    whole = {(e.period.first, e.period.last) for e in group if e.partner is None}
    # d. Then one entry per partner (or whole), period and standing: the larger.
    unique: dict[tuple[int | None, int, int, str], Entry] = {}
    for entry in group:
        period = entry.period
        if entry.partner is not None and (period.first, period.last) in whole:
            continue
        key = (entry.partner, period.first, period.last, entry.standing)
        other = unique.get(key)
        if other is None:
            unique[key] = entry
        else:
            kept, dropped = (entry, other) if entry.amount > other.amount else (other, entry)
            unique[key] = kept
            left_out.append(LeftOut(dropped, DUPLICATE, period))
    by_figure: dict[tuple[int, int, str], list[Entry]] = {}
    for (_partner, first, last, standing), entry in unique.items():
        by_figure.setdefault((first, last, standing), []).append(entry)

    # c. Signed off wins over reported for the same period; then each period has one figure.
    figures: dict[tuple[int, int], list[Entry]] = {}
    for (first, last, standing), members in by_figure.items():
        if standing == REPORTED and (first, last, SIGNED_OFF) in by_figure:
            left_out.extend(LeftOut(e, REPORTED_UNDER_SIGNED_OFF, e.period) for e in members)
        else:
            figures[(first, last)] = members

    # b. Annual figures always count; a range only where nothing counted overlaps it.
    annual_years = sorted(first for first, last in figures if first == last)
    ranges: list[tuple[int, int, int]] = []
    for (first, last), members in figures.items():
        if first == last:
            counted.extend(members)
            continue
        i = bisect_left(annual_years, first)
        if i < len(annual_years) and annual_years[i] <= last:
            instead = Period.annual(annual_years[i])
            left_out.extend(LeftOut(e, RANGE_UNDER_ANNUAL, instead) for e in members)
        else:
            ranges.append((first, last, sum(e.amount for e in members)))
    # Starts first, then the longer, then the larger amount: each kept range starts
    # after the last kept one ends, so comparing with the last kept one is enough.
    ranges.sort(key=lambda r: (r[0], r[0] - r[1], -r[2]))
    last_kept: Period | None = None
    for first, last, _amount in ranges:
        members = figures[(first, last)]
        if last_kept is not None and first <= last_kept.last:
            left_out.extend(LeftOut(e, RANGE_UNDER_RANGE, last_kept) for e in members)
        else:
            counted.extend(members)
            last_kept = members[0].period


# --- Apportioning whole pounds ---------------------------------------------------------


def _integer_weights(weights: Sequence[float]) -> list[int]:
    """The same proportions as integers, exactly (a float is a binary fraction)."""
    fractions = []
    for weight in weights:
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"A share must be a finite number, zero or more, not {weight!r}")
        fractions.append(Fraction(weight))
    if not any(fractions):
        # Shares that are all nought say nothing: read them as equal.
        return [1] * len(fractions)
    denominator = math.lcm(*(f.denominator for f in fractions))
    return [f.numerator * (denominator // f.denominator) for f in fractions]


def _apportion(amount: int, weights: Sequence[int]) -> list[int]:
    # Largest remainder in exact integers: each share is floored, and the pounds left
    # over go to the largest remainders (ties to the earlier), so the shares sum to
    # `amount`. A negative amount is apportioned as its size, so it mirrors a positive one.
    size = abs(amount)
    total = sum(weights)
    shares: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        share, remainder = divmod(size * weight, total)
        shares.append(share)
        remainders.append(remainder)
    for i in sorted(range(len(weights)), key=lambda i: -remainders[i])[: size - sum(shares)]:
        shares[i] += 1
    return shares if amount >= 0 else [-share for share in shares]


def apportion(amount: int, weights: Sequence[float]) -> list[int]:
    """`amount` split in proportion to `weights`, in whole pounds that sum exactly to it.

    Largest-remainder method; equal remainders favour the earlier weight. A zero weight
    never gets a pound; weights that are all zero count as equal.
    """
    if not weights:
        raise ValueError("Apportioning needs at least one weight")
    return _apportion(amount, _integer_weights(weights))


def _spread(amount: int, years: int) -> list[int]:
    # Even over the years; the odd pounds go to the earliest years.
    share, extra = divmod(abs(amount), years)
    shares = [share + 1] * extra + [share] * (years - extra)
    return shares if amount >= 0 else [-s for s in shares]


# --- Totals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """The three savings figures for one category (`NO_CATEGORY` where none was recorded)."""

    category: str
    expected: int
    achieved_signed_off: int
    achieved_reported: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "expected": self.expected,
            "achieved_signed_off": self.achieved_signed_off,
            "achieved_reported": self.achieved_reported,
        }


@dataclass(frozen=True, slots=True)
class YearRow:
    """The three savings figures for one financial year, labelled like `2026/27`."""

    year: str
    expected: int
    achieved_signed_off: int
    achieved_reported: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "expected": self.expected,
            "achieved_signed_off": self.achieved_signed_off,
            "achieved_reported": self.achieved_reported,
        }


@dataclass(frozen=True, slots=True)
class CostTotals:
    """One cost measure, counted by the same rules: planned apart from actual."""

    planned: int = 0
    actual_signed_off: int = 0
    actual_reported: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "planned": self.planned,
            "actual_signed_off": self.actual_signed_off,
            "actual_reported": self.actual_reported,
        }


@dataclass(frozen=True, slots=True)
class Figures:
    """Savings counted once, with breakdowns that sum exactly to them, costs, and what was left out."""

    expected: int
    achieved_signed_off: int
    achieved_reported: int
    # How many arrangements contribute at least one counted entry (even of £0) to each
    # total: "arrangements reporting" for that figure.
    arrangements_counted: dict[str, int]
    # Rows sorted by category key, the empty key ("No category recorded") last.
    by_category: list[CategoryRow]
    # Rows sorted by financial year; a range is spread evenly over its years.
    by_year: list[YearRow]
    costs: dict[str, CostTotals]
    left_out: list[LeftOut] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "achieved_signed_off": self.achieved_signed_off,
            "achieved_reported": self.achieved_reported,
            "arrangements_counted": dict(self.arrangements_counted),
            "by_category": [r.as_dict() for r in self.by_category],
            "by_year": [r.as_dict() for r in self.by_year],
            "costs": {measure: totals.as_dict() for measure, totals in self.costs.items()},
            "left_out": [item.as_dict() for item in self.left_out],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figures:
        """The figures `as_dict()` gave (after a trip through JSON, say): kept figures read back."""
        return cls(
            expected=data["expected"],
            achieved_signed_off=data["achieved_signed_off"],
            achieved_reported=data["achieved_reported"],
            arrangements_counted=dict(data["arrangements_counted"]),
            by_category=[
                CategoryRow(r["category"], r["expected"], r["achieved_signed_off"], r["achieved_reported"])
                for r in data["by_category"]
            ],
            by_year=[
                YearRow(r["year"], r["expected"], r["achieved_signed_off"], r["achieved_reported"])
                for r in data["by_year"]
            ],
            costs={
                measure: CostTotals(c["planned"], c["actual_signed_off"], c["actual_reported"])
                for measure, c in data["costs"].items()
            },
            left_out=[_left_out_from_dict(item) for item in data["left_out"]],
        )


def _left_out_from_dict(data: Mapping[str, Any]) -> LeftOut:
    # The message is worded from the rest, so it is not read back.
    entry = Entry(
        data["arrangement"],
        data["partner"],
        parse_period(data["period"]),
        data["measure"],
        data["basis"],
        data["standing"],
        data["amount"],
    )
    return LeftOut(entry, data["reason"], parse_period(data["instead"]))


def _category_order(key: str) -> tuple[bool, str]:
    # By key, the empty key ("No category recorded") last.
    return (key == NO_CATEGORY, key)


def _year_of(label: str) -> int:
    # A year row's label starts with the calendar year its financial year starts in ("2026/27").
    return int(label[:4])


def combine(*parts: Figures) -> Figures:
    """The figures of disjoint sets of arrangements put together: exactly `totals()` over all
    their entries (with the same categories), without counting them again.

    Every rule of counting once (a to d) and every apportionment works within one arrangement,
    so for arrangements that are in one part only, each part's counted entries, category shares,
    year spreads and left-out entries are those of the whole: sums add, rows add by key, and the
    left-out lists merge in `count_once`'s order (its sort is stable and its key starts with the
    arrangement, so equal keys only ever come from one part, in that part's order).
    Giving parts that share an arrangement counts it twice: the caller keeps them apart.
    """
    savings = [0, 0, 0]
    reporting = dict.fromkeys(SAVINGS_COLUMNS, 0)
    per_category: dict[str, list[int]] = {}
    per_year: dict[str, list[int]] = {}
    costs = {measure: [0, 0, 0] for measure in COST_MEASURES}
    left_out: list[LeftOut] = []
    for part in parts:
        savings[0] += part.expected
        savings[1] += part.achieved_signed_off
        savings[2] += part.achieved_reported
        for name, count in part.arrangements_counted.items():
            reporting[name] = reporting.get(name, 0) + count
        for category in part.by_category:
            row = per_category.setdefault(category.category, [0, 0, 0])
            row[0] += category.expected
            row[1] += category.achieved_signed_off
            row[2] += category.achieved_reported
        for year in part.by_year:
            row = per_year.setdefault(year.year, [0, 0, 0])
            row[0] += year.expected
            row[1] += year.achieved_signed_off
            row[2] += year.achieved_reported
        for measure, cost in part.costs.items():
            line = costs.setdefault(measure, [0, 0, 0])
            line[0] += cost.planned
            line[1] += cost.actual_signed_off
            line[2] += cost.actual_reported
        left_out.extend(part.left_out)
    left_out.sort(key=_left_out_order)
    return Figures(
        expected=savings[0],
        achieved_signed_off=savings[1],
        achieved_reported=savings[2],
        arrangements_counted=reporting,
        by_category=[CategoryRow(key, *per_category[key]) for key in sorted(per_category, key=_category_order)],
        by_year=[YearRow(label, *per_year[label]) for label in sorted(per_year, key=_year_of)],
        costs={measure: CostTotals(*line) for measure, line in costs.items()},
        left_out=left_out,
    )


def _category_shares(weights: Mapping[str, float] | None) -> tuple[list[str], list[int]]:
    if not weights:
        return [NO_CATEGORY], [1]
    keys = sorted(weights)
    integers = _integer_weights([weights[key] for key in keys])
    # A category with a stated share of nought gets no row from this arrangement.
    kept = [(key, weight) for key, weight in zip(keys, integers, strict=True) if weight]
    return [key for key, _ in kept], [weight for _, weight in kept]


def totals(
    entries: Iterable[Entry],
    categories: Mapping[int, Mapping[str, float]] | None = None,
) -> Figures:
    """Savings and costs over `entries`, each pound counted once (rules a to d above).

    `categories[arrangement]` maps category keys to that arrangement's stated shares,
    normalised here to sum to one; give equal shares where none are stated. An
    arrangement missing from `categories`, or with no categories, is counted under
    `NO_CATEGORY` ("No category recorded"). Category and year rows sum exactly to the
    three savings totals.
    """
    selection = count_once(entries)
    categories = categories or {}

    savings = [0, 0, 0]
    lines: defaultdict[tuple[str, str], int] = defaultdict(int)  # costs by (measure, standing)
    per_arrangement: dict[int, list[int]] = {}
    reporting: list[set[int]] = [set(), set(), set()]
    per_year: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0, 0])

    for entry in selection.counted:
        column = _SAVING_COLUMN.get((entry.measure, entry.standing))
        if column is None:
            lines[(entry.measure, entry.standing)] += entry.amount
            continue
        amount = entry.amount
        savings[column] += amount
        reporting[column].add(entry.arrangement)
        arrangement = per_arrangement.get(entry.arrangement)
        if arrangement is None:
            arrangement = per_arrangement[entry.arrangement] = [0, 0, 0]
        arrangement[column] += amount
        period = entry.period
        if period.first == period.last:
            per_year[period.first][column] += amount
        else:
            for year, share in zip(period.years, _spread(amount, period.last - period.first + 1), strict=True):
                per_year[year][column] += share

    per_category: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for arrangement_id, amounts in per_arrangement.items():
        keys, weights = _category_shares(categories.get(arrangement_id))
        if len(keys) == 1:
            row = per_category[keys[0]]
            for column in range(3):
                row[column] += amounts[column]
            continue
        for column in range(3):
            for key, share in zip(keys, _apportion(amounts[column], weights), strict=True):
                per_category[key][column] += share

    return Figures(
        expected=savings[0],
        achieved_signed_off=savings[1],
        achieved_reported=savings[2],
        arrangements_counted={name: len(ids) for name, ids in zip(SAVINGS_COLUMNS, reporting, strict=True)},
        by_category=[CategoryRow(key, *per_category[key]) for key in sorted(per_category, key=_category_order)],
        by_year=[YearRow(year_label(year), *per_year[year]) for year in sorted(per_year)],
        costs={
            measure: CostTotals(
                planned=lines[(measure, EXPECTED)],
                actual_signed_off=lines[(measure, SIGNED_OFF)],
                actual_reported=lines[(measure, REPORTED)],
            )
            for measure in COST_MEASURES
        },
        left_out=selection.left_out,
    )


# --- Benchmark -------------------------------------------------------------------------


def _random_ledger(size: int, seed: int = 1) -> tuple[list[tuple[Any, ...]], dict[int, dict[str, float]]]:
    """A register-shaped random ledger, as the rows `Entry` is built from: 20 entries an
    arrangement, half of them partners' shares, one range in ten."""
    import random

    rng = random.Random(seed)
    kinds = [
        (EXPECTED_SAVING, PLANNED, EXPECTED),
        (ACHIEVED_SAVING, ACTUAL, SIGNED_OFF),
        (ACHIEVED_SAVING, ACTUAL, REPORTED),
        (BASELINE_COST, PLANNED, EXPECTED),
        (ONE_OFF_COST, ACTUAL, REPORTED),
        (RUNNING_COST, ACTUAL, SIGNED_OFF),
    ]
    arrangements = max(size // 20, 1)
    annual = [Period.annual(year) for year in range(2008, 2031)]
    ranges = [Period(year, year + n) for year in range(2008, 2028) for n in (1, 2)]
    rows = []
    for _ in range(size):
        measure, basis, standing = rng.choice(kinds)
        period = rng.choice(annual) if rng.random() < 0.9 else rng.choice(ranges)
        partner = None if rng.random() < 0.5 else rng.randrange(4)
        rows.append((rng.randrange(arrangements), partner, period, measure, basis, standing, rng.randrange(10**7)))
    names = [f"category-{i}" for i in range(15)]
    categories = {a: dict.fromkeys(rng.sample(names, rng.randint(1, 4)), 1.0) for a in range(arrangements)}
    return rows, categories


def _benchmark(size: int = 200_000, repeat: int = 5) -> dict[str, float]:
    """The best of `repeat` timings, in seconds, of building and of totalling `size` entries."""
    import time

    rows, categories = _random_ledger(size)
    timings: dict[str, list[float]] = {"build the entries": [], "totals": []}
    for _ in range(repeat):
        start = time.perf_counter()
        entries = [Entry(*row) for row in rows]
        timings["build the entries"].append(time.perf_counter() - start)
        start = time.perf_counter()
        totals(entries, categories)
        timings["totals"].append(time.perf_counter() - start)
    return {what: min(seconds) for what, seconds in timings.items()}


if __name__ == "__main__":
    for what, seconds in _benchmark().items():
        print(f"{what}, 200,000 entries: {seconds:.2f} s")
