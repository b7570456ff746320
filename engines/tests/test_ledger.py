"""The ledger engine: periods and counting each pound once, tested without a database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.ledger import (
    ACHIEVED_SAVING,
    ACTUAL,
    BASELINE_COST,
    COST_MEASURES,
    DUPLICATE,
    ENDS_BEFORE_START,
    ENTER_A_PERIOD,
    EXPECTED,
    EXPECTED_SAVING,
    MEASURES,
    NO_CATEGORY,
    ONE_OFF_COST,
    PLANNED,
    RANGE_UNDER_ANNUAL,
    RANGE_UNDER_RANGE,
    REPORTED,
    REPORTED_UNDER_SIGNED_OFF,
    SIGNED_OFF,
    STANDINGS,
    YEARS_OUT_OF_BOUNDS,
    Entry,
    Figures,
    Period,
    PeriodError,
    _benchmark,
    apportion,
    combine,
    count_once,
    parse_period,
    totals,
    year_label,
)

ROOT = Path(__file__).resolve().parents[2]

# --- Periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first, last",
    [
        # One financial year, in every everyday spelling: April 2026 to March 2027.
        ("2026/27", 2026, 2026),
        ("2026-27", 2026, 2026),
        ("2026/2027", 2026, 2026),
        ("2026-2027", 2026, 2026),
        ("FY2026/27", 2026, 2026),
        ("fy 2026/27", 2026, 2026),
        ("FY2026-2027", 2026, 2026),
        ("2026", 2026, 2026),
        ("  2026 / 27 ", 2026, 2026),
        ("2026 – 27", 2026, 2026),
        ("2026\u00a0/\u00a027", 2026, 2026),
        ("1999/00", 1999, 1999),
        ("1999/2000", 1999, 1999),
        ("2099/00", 2099, 2099),
        ("1900/01", 1900, 1900),
        ("2100/01", 2100, 2100),
        # Ranges of financial years, inclusive.
        ("2010/11-2011/12", 2010, 2011),
        ("2010/11 - 2011/12", 2010, 2011),
        ("2010/11 – 2011/12", 2010, 2011),  # en dash
        ("2010/11—2011/12", 2010, 2011),  # em dash
        ("2010/11 — 2011/12", 2010, 2011),
        ("2010/11 to 2011/12", 2010, 2011),
        ("2010/11 TO 2011/12", 2010, 2011),
        ("2010/11to2011/12", 2010, 2011),
        ("FY2010/11-FY2011/12", 2010, 2011),
        ("FY 2010/11 to FY 2011/12", 2010, 2011),
        ("2010-11-2011-12", 2010, 2011),
        ("2010-11 to 2012-13", 2010, 2012),
        ("2010/2011-2011/2012", 2010, 2011),
        ("2010-2011-2011-2012", 2010, 2011),
        ("2010 - 2012/13", 2010, 2012),
        ("2010/11-2010/11", 2010, 2010),
        ("1999/00-2000/01", 1999, 2000),
        # A span of calendar years, B > A + 1: April A to March B.
        ("2007-2009", 2007, 2008),
        ("2007 – 2009", 2007, 2008),
        ("2007 to 2009", 2007, 2008),
        ("2007-2012", 2007, 2011),
    ],
)
def test_parse_period_reads_everyday_forms(text: str, first: int, last: int) -> None:
    assert parse_period(text) == Period(first, last)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026/28", "2026/28 is not a financial year: the one that starts in April 2026 is 2026/27"),
        ("2026-28", "the one that starts in April 2026 is 2026/27"),
        ("2026/2028", "2026/2028 is not a financial year"),
        ("2026/2026", "is not a financial year"),
        ("2010/11-2011/13", "2011/13 is not a financial year"),
        # Short years stay strict: 2007-09 might mean 2007/08-2008/09 or be a slip for 2007/08.
        ("2007-09", "is not a financial year"),
        ("2011/12-2010/11", ENDS_BEFORE_START),
        ("2011/12 to 2010/11", ENDS_BEFORE_START),
        ("2009-2007", ENDS_BEFORE_START),
        ("2007-2007", ENDS_BEFORE_START),
        ("1899/00", YEARS_OUT_OF_BOUNDS),
        ("1899", YEARS_OUT_OF_BOUNDS),
        ("2101/02", YEARS_OUT_OF_BOUNDS),
        ("2101", YEARS_OUT_OF_BOUNDS),
        ("2099/00-2101/02", YEARS_OUT_OF_BOUNDS),
        ("2099-2103", YEARS_OUT_OF_BOUNDS),
        ("", ENTER_A_PERIOD),
        ("   ", ENTER_A_PERIOD),
        ("FY", ENTER_A_PERIOD),
        ("to", ENTER_A_PERIOD),
        ("-", ENTER_A_PERIOD),
        ("26/27", ENTER_A_PERIOD),
        ("2026/7", ENTER_A_PERIOD),
        ("20026", ENTER_A_PERIOD),
        ("2026/27/28", ENTER_A_PERIOD),
        ("2026/27-", ENTER_A_PERIOD),
        ("2026 2027", ENTER_A_PERIOD),
        ("April 2026", ENTER_A_PERIOD),
        ("2026/27 FY", ENTER_A_PERIOD),
        ("2026.27", ENTER_A_PERIOD),
        ("2010/11-2011/12-2012/13", ENTER_A_PERIOD),
        # Two readings (2010/11-2011/12 or 2010/11-2012/13): refused, not guessed.
        ("2010-2011-2012", ENTER_A_PERIOD),
        ("٢٠٢٦", ENTER_A_PERIOD),  # Arabic-Indic digits are not read as a year
    ],
)
def test_parse_period_refuses_with_a_message_people_understand(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_period(text)
    assert message in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_the_messages_name_the_forms_and_the_limits() -> None:
    assert ENTER_A_PERIOD == "Enter a financial year like 2026/27, or a range like 2010/11-2011/12"
    assert YEARS_OUT_OF_BOUNDS == "Years must be between 1900 and 2100"


@pytest.mark.parametrize(
    "period, label",
    [
        (Period(2026, 2026), "2026/27"),
        (Period(2010, 2011), "2010/11-2011/12"),
        (Period(1999, 1999), "1999/00"),
        (Period(2099, 2099), "2099/00"),
        (Period(1900, 2100), "1900/01-2100/01"),
        (Period(2008, 2009), "2008/09-2009/10"),
    ],
)
def test_period_label(period: Period, label: str) -> None:
    assert period.label == label
    assert str(period) == label


def test_period_years_covers_and_overlaps() -> None:
    span = Period(2010, 2012)
    assert list(span.years) == [2010, 2011, 2012]
    assert not span.is_annual and Period.annual(2011).is_annual
    assert span.covers(2010) and span.covers(2012) and not span.covers(2013) and not span.covers(2009)
    assert span.overlaps(Period.annual(2012)) and span.overlaps(Period(2005, 2010))
    assert not span.overlaps(Period(2013, 2014)) and not Period(2013, 2014).overlaps(span)


def test_periods_sort_by_first_then_last_year() -> None:
    periods = [Period(2011, 2011), Period(2010, 2012), Period(2010, 2010), Period(2009, 2015)]
    assert sorted(periods) == [Period(2009, 2015), Period(2010, 2010), Period(2010, 2012), Period(2011, 2011)]


@pytest.mark.parametrize("first, last", [(2012, 2011), (1899, 1900), (2100, 2101)])
def test_a_period_cannot_be_made_invalid(first: int, last: int) -> None:
    with pytest.raises(PeriodError):
        Period(first, last)


valid_years = st.integers(1900, 2100)
periods = st.tuples(valid_years, valid_years).map(lambda pair: Period(min(pair), max(pair)))


@given(periods)
def test_a_label_reads_back_as_its_period(period: Period) -> None:
    assert parse_period(period.label) == period


@given(valid_years)
def test_every_spelling_of_one_year_reads_the_same(year: int) -> None:
    short = f"{(year + 1) % 100:02d}"
    spellings = [f"{year}/{short}", f"{year}-{short}", f"{year}/{year + 1}", f"FY{year}/{short}", str(year)]
    if year < 2100:
        spellings.append(f"{year}-{year + 1}")
    assert {parse_period(text) for text in spellings} == {Period.annual(year)}


# --- Entries ---------------------------------------------------------------------------

KINDS = [(m, b, s) for m in MEASURES for b in STANDINGS for s in STANDINGS[b]]
KINDS = [k for k in KINDS if not (k[0] == EXPECTED_SAVING and k[1] == ACTUAL)]
KINDS = [k for k in KINDS if not (k[0] == ACHIEVED_SAVING and k[1] == PLANNED)]


def expected(arrangement: int, period: str, amount: int, partner: int | None = None) -> Entry:
    return Entry(arrangement, partner, parse_period(period), EXPECTED_SAVING, PLANNED, EXPECTED, amount)


def achieved(
    arrangement: int, period: str, amount: int, partner: int | None = None, standing: str = SIGNED_OFF
) -> Entry:
    return Entry(arrangement, partner, parse_period(period), ACHIEVED_SAVING, ACTUAL, standing, amount)


@pytest.mark.parametrize(
    "measure, basis, standing, problem",
    [
        ("savings", PLANNED, EXPECTED, "Unknown measure"),
        (EXPECTED_SAVING, "forecast", EXPECTED, "Unknown basis"),
        (EXPECTED_SAVING, PLANNED, SIGNED_OFF, "standing"),
        (BASELINE_COST, ACTUAL, EXPECTED, "standing"),
        (EXPECTED_SAVING, ACTUAL, REPORTED, "always planned"),
        (ACHIEVED_SAVING, PLANNED, EXPECTED, "always actual"),
    ],
)
def test_an_entry_that_makes_no_sense_is_refused(measure: str, basis: str, standing: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Entry(1, None, Period.annual(2020), measure, basis, standing, 100)


# --- Counting rules: worked examples ---------------------------------------------------


def test_one_figure_in_four_categories_is_counted_once() -> None:
    figures = totals(
        [expected(1, "2011/12", 39_150_000)],
        {1: {"finance": 1, "hr": 1, "ict": 1, "legal": 1}},
    )
    assert figures.expected == 39_150_000
    assert [(row.category, row.expected) for row in figures.by_category] == [
        ("finance", 9_787_500),
        ("hr", 9_787_500),
        ("ict", 9_787_500),
        ("legal", 9_787_500),
    ]
    assert sum(row.expected for row in figures.by_category) == 39_150_000


def test_stated_shares_are_normalised_and_rounding_never_loses_a_pound() -> None:
    figures = totals(
        [expected(1, "2020/21", 1_000), expected(2, "2020/21", 100)],
        {1: {"a": 3, "b": 1}, 2: {"a": 0.2, "b": 0.2, "c": 0.2}},
    )
    rows = {row.category: row.expected for row in figures.by_category}
    # 750 + 34 (an odd pound to the first of equal remainders), 250 + 33, 33.
    assert rows == {"a": 784, "b": 283, "c": 33}
    assert sum(rows.values()) == figures.expected == 1_100


def test_an_arrangement_with_no_categories_is_counted_under_no_category_last() -> None:
    figures = totals(
        [expected(1, "2020/21", 500), expected(2, "2020/21", 200), expected(3, "2020/21", 1)], {2: {"waste": 1}, 3: {}}
    )
    assert [(row.category, row.expected) for row in figures.by_category] == [("waste", 200), (NO_CATEGORY, 501)]


def test_a_category_with_a_stated_share_of_nothing_gets_no_row() -> None:
    figures = totals([expected(1, "2020/21", 500)], {1: {"waste": 1, "ict": 0}})
    assert [(row.category, row.expected) for row in figures.by_category] == [("waste", 500)]


def test_an_annual_figure_wins_over_a_range_that_covers_its_year() -> None:
    annual = achieved(1, "2011/12", 620_000)
    span = achieved(1, "2010/11-2012/13", 3_000_000)
    figures = totals([annual, span])
    assert figures.achieved_signed_off == 620_000
    assert [(item.entry, item.reason, item.instead) for item in figures.left_out] == [
        (span, RANGE_UNDER_ANNUAL, Period.annual(2011))
    ]
    assert "2010/11-2012/13 is left out" in figures.left_out[0].message


def test_a_range_counts_where_no_annual_figure_covers_its_years() -> None:
    figures = totals([achieved(1, "2012/13", 100), achieved(1, "2010/11-2011/12", 300)])
    assert figures.achieved_signed_off == 400
    assert figures.left_out == []
    assert [(row.year, row.achieved_signed_off) for row in figures.by_year] == [
        ("2010/11", 150),
        ("2011/12", 150),
        ("2012/13", 100),
    ]


def test_overlaps_are_decided_within_one_arrangement_and_measure() -> None:
    # The range belongs to another arrangement, and to another measure: nothing overlaps.
    figures = totals(
        [achieved(1, "2011/12", 620_000), achieved(2, "2010/11-2012/13", 3_000_000), expected(1, "2010/11-2012/13", 5)]
    )
    assert figures.achieved_signed_off == 3_620_000 and figures.expected == 5
    assert figures.left_out == []


def test_of_two_overlapping_ranges_the_one_that_starts_first_counts() -> None:
    early = expected(1, "2010/11-2012/13", 300)
    late = expected(1, "2011/12-2013/14", 900)
    figures = totals([late, early])
    assert figures.expected == 300
    assert [(item.entry, item.reason, item.instead) for item in figures.left_out] == [
        (late, RANGE_UNDER_RANGE, early.period)
    ]


def test_of_two_ranges_starting_together_the_longer_counts() -> None:
    short, long = expected(1, "2010/11-2011/12", 900), expected(1, "2010/11-2012/13", 300)
    assert totals([short, long]).expected == 300


def test_ranges_are_kept_in_order_each_unless_it_overlaps_one_kept() -> None:
    # The second overlaps the first and is left out; the third overlaps only the second.
    figures = totals(
        [expected(1, "2010/11-2012/13", 1), expected(1, "2012/13-2014/15", 10), expected(1, "2014/15-2015/16", 100)]
    )
    assert figures.expected == 101
    assert [item.entry.period.label for item in figures.left_out] == ["2012/13-2014/15"]


def test_a_whole_entry_replaces_its_partners_entries_for_that_period() -> None:
    figures = totals(
        [expected(1, "2020/21", 1_000), expected(1, "2020/21", 600, partner=7), expected(1, "2020/21", 500, partner=8)]
    )
    assert figures.expected == 1_000
    # The partners' entries are shares of the whole, not figures left out.
    assert figures.left_out == []


def test_partners_entries_are_summed_where_there_is_no_whole_entry() -> None:
    figures = totals(
        [expected(1, "2020/21", 1_000), expected(1, "2021/22", 600, partner=7), expected(1, "2021/22", 500, partner=8)]
    )
    assert figures.expected == 2_100
    assert figures.arrangements_counted["expected"] == 1


def test_a_partners_annual_figure_wins_over_a_whole_range() -> None:
    # Rule a is per exact period; then rule b compares the periods' figures.
    figures = totals([achieved(1, "2010/11-2011/12", 2_000_000), achieved(1, "2011/12", 300_000, partner=7)])
    assert figures.achieved_signed_off == 300_000
    assert figures.left_out[0].reason == RANGE_UNDER_ANNUAL


def test_signed_off_wins_over_reported_for_the_same_period() -> None:
    signed = achieved(1, "2020/21", 100, partner=7, standing=SIGNED_OFF)
    reported = achieved(1, "2020/21", 50, partner=8, standing=REPORTED)
    figures = totals([reported, signed, achieved(1, "2021/22", 70, partner=8, standing=REPORTED)])
    assert (figures.achieved_signed_off, figures.achieved_reported) == (100, 70)
    assert [(item.entry, item.reason) for item in figures.left_out] == [(reported, REPORTED_UNDER_SIGNED_OFF)]
    assert figures.arrangements_counted == {"expected": 0, "achieved_signed_off": 1, "achieved_reported": 1}


def test_a_year_is_never_counted_as_both_signed_off_and_reported() -> None:
    # A reported annual figure wins over a signed-off range covering its year: rule b ignores standing.
    figures = totals([achieved(1, "2010/11-2011/12", 900), achieved(1, "2011/12", 40, standing=REPORTED)])
    assert (figures.achieved_signed_off, figures.achieved_reported) == (0, 40)


def test_a_whole_entry_replaces_partners_whatever_their_standing() -> None:
    figures = totals([achieved(1, "2020/21", 80, standing=REPORTED), achieved(1, "2020/21", 100, partner=7)])
    assert (figures.achieved_signed_off, figures.achieved_reported) == (0, 80)


def test_the_same_figure_recorded_twice_counts_once() -> None:
    figures = totals(
        [
            expected(1, "2020/21", 400),
            expected(1, "2020/21", 500),
            expected(1, "2020/21", 30, partner=2),
            expected(1, "2021/22", 30, partner=2),
            expected(1, "2021/22", 30, partner=2),
        ]
    )
    assert figures.expected == 530
    assert [(item.reason, item.entry.amount) for item in figures.left_out] == [(DUPLICATE, 400), (DUPLICATE, 30)]


def test_expected_and_achieved_are_kept_apart() -> None:
    figures = totals(
        [expected(1, "2020/21", 1_000), achieved(1, "2020/21", 700), achieved(2, "2020/21", 5, standing=REPORTED)]
    )
    assert (figures.expected, figures.achieved_signed_off, figures.achieved_reported) == (1_000, 700, 5)
    assert figures.arrangements_counted == {"expected": 1, "achieved_signed_off": 1, "achieved_reported": 1}


def test_a_counted_zero_is_an_arrangement_reporting() -> None:
    figures = totals([achieved(1, "2020/21", 0), achieved(2, "2020/21", 10)])
    assert figures.arrangements_counted["achieved_signed_off"] == 2


def test_costs_follow_the_same_rules_planned_apart_from_actual() -> None:
    year = Period.annual(2011)
    figures = totals(
        [
            Entry(1, None, year, BASELINE_COST, PLANNED, EXPECTED, 11_500_000),
            Entry(1, 3, year, BASELINE_COST, PLANNED, EXPECTED, 9_000_000),  # a share of the whole
            Entry(1, None, Period(2010, 2012), BASELINE_COST, PLANNED, EXPECTED, 30_000_000),  # overlaps
            Entry(1, None, year, BASELINE_COST, ACTUAL, SIGNED_OFF, 11_000_000),
            Entry(1, 3, Period.annual(2010), ONE_OFF_COST, ACTUAL, REPORTED, 800_000),
        ]
    )
    assert figures.costs[BASELINE_COST].as_dict() == {
        "planned": 11_500_000,
        "actual_signed_off": 11_000_000,
        "actual_reported": 0,
    }
    assert figures.costs[ONE_OFF_COST].actual_reported == 800_000
    assert set(figures.costs) == set(COST_MEASURES)
    # Costs are not savings.
    assert (figures.expected, figures.by_category, figures.by_year) == (0, [], [])


def test_a_range_is_spread_evenly_over_its_years_odd_pounds_first() -> None:
    figures = totals([expected(1, "2010/11-2012/13", 100), expected(2, "2010/11-2012/13", -100)])
    assert [(row.year, row.expected) for row in figures.by_year] == [("2010/11", 0), ("2011/12", 0), ("2012/13", 0)]
    figures = totals([expected(1, "2010/11-2012/13", 100)])
    assert [(row.year, row.expected) for row in figures.by_year] == [("2010/11", 34), ("2011/12", 33), ("2012/13", 33)]


def test_the_figures_are_json_friendly() -> None:
    figures = totals([expected(1, "2011/12", 620_000), expected(1, "2010/11-2012/13", 3_000_000)], {1: {"ict": 1}})
    data = json.loads(json.dumps(figures.as_dict()))
    assert data["expected"] == 620_000
    assert data["by_category"] == [
        {"category": "ict", "expected": 620_000, "achieved_signed_off": 0, "achieved_reported": 0}
    ]
    assert data["by_year"][0]["year"] == "2011/12"
    assert data["left_out"][0]["period"] == "2010/11-2012/13"
    assert data["left_out"][0]["reason"] == RANGE_UNDER_ANNUAL
    assert data["costs"][BASELINE_COST] == {"planned": 0, "actual_signed_off": 0, "actual_reported": 0}


def test_no_entries_no_figures() -> None:
    figures = totals([])
    assert (figures.expected, figures.achieved_signed_off, figures.achieved_reported) == (0, 0, 0)
    assert figures.by_category == [] and figures.by_year == [] and figures.left_out == []


@pytest.mark.parametrize(
    "amount, weights, shares",
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (10, [0.1, 0.2, 0.7], [1, 2, 7]),
        (7, [1, 0, 1], [4, 0, 3]),
        (5, [0, 0], [3, 2]),
        (1, [1e-300, 1], [0, 1]),
        (0, [1, 2], [0, 0]),
    ],
)
def test_apportion(amount: int, weights: list[float], shares: list[int]) -> None:
    assert apportion(amount, weights) == shares


@pytest.mark.parametrize("weights", [[], [-1, 2], [float("nan")], [float("inf"), 1]])
def test_apportion_refuses_weights_that_are_not_shares(weights: list[float]) -> None:
    with pytest.raises(ValueError):
        apportion(100, weights)


# --- Properties ------------------------------------------------------------------------

# A narrow window of years, few arrangements and partners: so overlaps and clashes are common.
annual_periods = st.integers(2010, 2015).map(Period.annual)
range_periods = st.tuples(st.integers(2010, 2014), st.integers(1, 3)).map(
    lambda p: Period(p[0], min(p[0] + p[1], 2016))
)


def entry_of(arrangement: int, partner: int | None, period: Period, kind: tuple[str, str, str], amount: int) -> Entry:
    measure, basis, standing = kind
    return Entry(arrangement, partner, period, measure, basis, standing, amount)


entries = st.builds(
    entry_of,
    st.integers(0, 3),
    st.none() | st.integers(0, 2),
    annual_periods | range_periods,
    st.sampled_from(KINDS),
    st.integers(0, 10**9),
)
ledgers = st.lists(entries, max_size=40)
weights = st.floats(0, 100, allow_nan=False) | st.integers(0, 5)
category_maps = st.dictionaries(
    st.integers(0, 3), st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), weights, max_size=4)
)

SAVINGS_KINDS = [
    ("expected", EXPECTED_SAVING, EXPECTED),
    ("achieved_signed_off", ACHIEVED_SAVING, SIGNED_OFF),
    ("achieved_reported", ACHIEVED_SAVING, REPORTED),
]


def savings(figures: Figures) -> dict[str, int]:
    return {
        "expected": figures.expected,
        "achieved_signed_off": figures.achieved_signed_off,
        "achieved_reported": figures.achieved_reported,
    }


@given(ledgers, category_maps)
def test_category_rows_sum_to_the_totals(ledger: list[Entry], categories: dict[int, dict[str, float]]) -> None:
    figures = totals(ledger, categories)
    for name, total in savings(figures).items():
        assert sum(getattr(row, name) for row in figures.by_category) == total


@given(ledgers, category_maps)
def test_year_rows_sum_to_the_totals(ledger: list[Entry], categories: dict[int, dict[str, float]]) -> None:
    figures = totals(ledger, categories)
    for name, total in savings(figures).items():
        assert sum(getattr(row, name) for row in figures.by_year) == total
    assert [row.year for row in figures.by_year] == sorted({row.year for row in figures.by_year})


@given(ledgers)
def test_totals_never_exceed_the_plain_sum_of_amounts(ledger: list[Entry]) -> None:
    figures = totals(ledger)
    for name, measure, standing in SAVINGS_KINDS:
        plain = sum(e.amount for e in ledger if e.measure == measure and e.standing == standing)
        assert 0 <= savings(figures)[name] <= plain
    for measure in COST_MEASURES:
        for name, standing in [("planned", EXPECTED), ("actual_signed_off", SIGNED_OFF), ("actual_reported", REPORTED)]:
            plain = sum(e.amount for e in ledger if e.measure == measure and e.standing == standing)
            assert 0 <= figures.costs[measure].as_dict()[name] <= plain


@given(ledgers.flatmap(lambda ledger: st.tuples(st.just(ledger), st.permutations(ledger))), category_maps)
def test_totals_do_not_depend_on_the_order_of_entries(
    pair: tuple[list[Entry], list[Entry]], categories: dict[int, dict[str, float]]
) -> None:
    ledger, shuffled = pair
    assert totals(shuffled, categories).as_dict() == totals(ledger, categories).as_dict()


@given(ledgers, category_maps, st.data())
def test_a_partner_entry_under_a_whole_entry_changes_nothing(
    ledger: list[Entry], categories: dict[int, dict[str, float]], data: st.DataObject
) -> None:
    wholes = [e for e in ledger if e.partner is None]
    if not wholes:
        ledger = [
            *ledger,
            data.draw(
                entries.map(lambda e: Entry(e.arrangement, None, e.period, e.measure, e.basis, e.standing, e.amount))
            ),
        ]
        wholes = ledger[-1:]
    whole = data.draw(st.sampled_from(wholes))
    share = Entry(
        whole.arrangement,
        data.draw(st.integers(0, 5)),
        whole.period,
        whole.measure,
        whole.basis,
        data.draw(st.sampled_from(STANDINGS[whole.basis])),
        data.draw(st.integers(0, 10**9)),
    )
    position = data.draw(st.integers(0, len(ledger)))
    with_share = [*ledger[:position], share, *ledger[position:]]
    assert totals(with_share, categories).as_dict() == totals(ledger, categories).as_dict()


@given(ledgers)
def test_counted_periods_never_overlap(ledger: list[Entry]) -> None:
    # Within one arrangement, measure and basis, counted periods are the same (partners'
    # shares of one figure, summed) or apart; and no year has two standings.
    periods: defaultdict[tuple[int, str, str], set[tuple[Period, str]]] = defaultdict(set)
    selection = count_once(ledger)
    for e in selection.counted:
        periods[(e.arrangement, e.measure, e.basis)].add((e.period, e.standing))
    for found in periods.values():
        for period, standing in found:
            for other, other_standing in found:
                if (period, standing) != (other, other_standing):
                    assert not period.overlaps(other)
    # Every entry is counted, left out, or a partner's share under a whole entry.
    left_out = [item.entry for item in selection.left_out]
    assert len(selection.counted) + len(left_out) <= len(ledger)
    assert sorted(map(repr, selection.counted + left_out)) == sorted(
        repr(e)
        for e in ledger
        if e.partner is None
        or not any(
            w.partner is None
            and (w.arrangement, w.measure, w.basis, w.period) == (e.arrangement, e.measure, e.basis, e.period)
            for w in ledger
        )
    )


# --- Putting figures of disjoint sets of arrangements together ---------------------------

# Which arrangements (of 0 to 3) fall in the first part; the rest are in the second.
arrangement_splits = st.sets(st.integers(0, 3))


def split(ledger: list[Entry], first: set[int]) -> tuple[list[Entry], list[Entry]]:
    return [e for e in ledger if e.arrangement in first], [e for e in ledger if e.arrangement not in first]


@given(ledgers, category_maps, arrangement_splits)
def test_figures_of_two_parts_combine_to_the_figures_of_the_whole(
    ledger: list[Entry], categories: dict[int, dict[str, float]], first: set[int]
) -> None:
    # The public's part kept, the drafts counted live: together, exactly what counting all gives
    # (rows in the same order, left-out entries in the same order), whichever part comes first.
    a, b = split(ledger, first)
    whole = totals(ledger, categories)
    assert combine(totals(a, categories), totals(b, categories)) == whole
    assert combine(totals(b, categories), totals(a, categories)) == whole
    assert combine(totals(a, categories), totals(b, categories)).as_dict() == whole.as_dict()


@given(ledgers, category_maps, st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_figures_of_many_parts_combine_and_nothing_is_nothing(
    ledger: list[Entry], categories: dict[int, dict[str, float]], part_of: list[int]
) -> None:
    parts = [[e for e in ledger if part_of[e.arrangement] == n] for n in range(3)]
    assert combine(*(totals(part, categories) for part in parts)) == totals(ledger, categories)
    assert combine(totals(ledger, categories)) == totals(ledger, categories)
    assert combine() == totals([])


@given(ledgers, category_maps)
def test_figures_read_back_from_their_dict(ledger: list[Entry], categories: dict[int, dict[str, float]]) -> None:
    figures = totals(ledger, categories)
    assert Figures.from_dict(figures.as_dict()) == figures
    # Through JSON too, as the register keeps them.
    assert Figures.from_dict(json.loads(json.dumps(figures.as_dict()))) == figures


def test_combined_rows_keep_the_order_of_totals() -> None:
    a = totals([expected(1, "2012/13", 10), expected(1, "2009/10-2010/11", 7)], {1: {"waste": 1}})
    b = totals([expected(2, "2011/12", 5), achieved(2, "2012/13", 3)], {})
    both = combine(a, b)
    assert [row.category for row in both.by_category] == ["waste", NO_CATEGORY]
    assert [row.year for row in both.by_year] == ["2009/10", "2010/11", "2011/12", "2012/13"]
    assert (both.expected, both.achieved_signed_off, both.arrangements_counted["expected"]) == (22, 3, 2)


@given(st.integers(-(10**12), 10**12), st.lists(weights, min_size=1, max_size=6))
def test_apportion_sums_exactly_and_stays_within_a_pound(amount: int, shares: list[float]) -> None:
    result = apportion(amount, shares)
    assert sum(result) == amount
    total = sum(shares)
    for share, weight in zip(result, shares, strict=True):
        quota = amount * weight / total if total else amount / len(shares)
        assert abs(share - quota) < 1 + 1e-6 * abs(amount)


def test_year_label() -> None:
    assert [year_label(y) for y in (1999, 2000, 2026, 2099)] == ["1999/00", "2000/01", "2026/27", "2099/00"]


def test_the_engine_imports_no_django() -> None:
    # A fresh interpreter: this test process has Django loaded by pytest-django already.
    script = "import sys, engines.ledger; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False).returncode == 0


def test_the_benchmark_runs() -> None:
    assert set(_benchmark(size=2_000, repeat=1)) == {"build the entries", "totals"}


@pytest.mark.parametrize(
    "text, year",
    [
        ("2012-03", 2011),
        ("2012-04", 2012),
        ("2011/12", 2011),
        ("2010/11-2011/12", 2011),
        ("2012-13", 2012),
        ("soon", None),
        ("", None),
    ],
)
def test_financial_year_ending(text: str, year: int | None) -> None:
    from engines.ledger import financial_year_ending

    assert financial_year_ending(text) == year
