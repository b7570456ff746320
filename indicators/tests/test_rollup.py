"""The pure roll-up and period helpers: no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import rollup

CHANGES = [
    {"oldcd": "E07000026", "newcd": "E06000063", "type": "merger", "start": "2023"},
    {"oldcd": "E07000028", "newcd": "E06000063", "type": "merger", "start": "2023"},
    {"oldcd": "E08000016", "newcd": "E08000038", "type": "new_code", "start": "2025"},
    {"oldcd": "E06000057", "newcd": "E47000011", "type": "new_geo", "start": "2018"},
    {"oldcd": "E10000006", "newcd": "", "type": "termination", "start": "2023"},
    # A chain: an area merged into one that was later recoded.
    {"oldcd": "A1", "newcd": "B1", "type": "merger", "start": "2019"},
    {"oldcd": "B1", "newcd": "C1", "type": "new_code", "start": "2024"},
]


def test_successor_codes_follow_mergers_code_changes_and_chains():
    successors = rollup.successor_codes(CHANGES)
    assert successors == {
        "E07000026": "E06000063",
        "E07000028": "E06000063",
        "E08000016": "E08000038",
        "A1": "C1",
        "B1": "C1",
    }
    # Joining a combined authority or a county's abolition moves no figures.
    assert "E06000057" not in successors and "E10000006" not in successors
    assert rollup.newest_code("E09000001", successors) == "E09000001"


def test_a_circle_of_changes_is_an_error():
    with pytest.raises(ValueError, match="circle"):
        rollup.successor_codes(
            [
                {"oldcd": "X", "newcd": "Y", "type": "new_code"},
                {"oldcd": "Y", "newcd": "X", "type": "new_code"},
            ]
        )


def test_roll_up_sums_counts_into_the_new_council():
    counts = {
        "allerdale": {"households": 44000, "no_car": 8000},
        "carlisle": {"households": 48000, "no_car": 11000},
        "hartlepool": {"households": 40930, "no_car": 12102},
        "elsewhere": {"households": 1, "no_car": 1},
    }
    combined = rollup.roll_up(counts, {"allerdale": "CBD", "carlisle": "CBD", "hartlepool": "HPL"})
    assert set(combined) == {"CBD", "HPL"}  # an area with no target is left out
    assert combined["CBD"].counts == {"households": 92000, "no_car": 19000}
    assert combined["CBD"].parts == ["allerdale", "carlisle"]
    assert combined["CBD"].is_rolled_up and not combined["HPL"].is_rolled_up
    assert rollup.share(combined["CBD"].counts, ["no_car"], "households") == pytest.approx(100 * 19000 / 92000)


def test_a_count_missing_from_any_part_is_missing_from_the_sum():
    counts = {"a": {"total": 10, "x": 1}, "b": {"total": 20, "x": None}, "c": {"total": 5}}
    combined = rollup.roll_up(counts, {"a": "T", "b": "T", "c": "T"})
    assert combined["T"].counts == {"total": 35}
    assert rollup.share(combined["T"].counts, ["x"], "total") is None


@pytest.mark.parametrize(
    ("counts", "numerator", "denominator", "expected"),
    [
        ({"total": 200, "a": 50}, ["a"], "total", 25.0),
        ({"total": 200, "a": 50, "b": 30}, ["a", "b"], "total", 40.0),
        ({"total": 200, "a": 0}, ["a"], "total", 0.0),  # a real zero stays a zero
        ({"total": 0, "a": 0}, ["a"], "total", None),
        ({"a": 5}, ["a"], "total", None),
        ({"total": 10}, ["a"], "total", None),
    ],
)
def test_share(counts, numerator, denominator, expected):
    assert rollup.share(counts, numerator, denominator) == expected


@pytest.mark.parametrize(
    ("period", "readable"),
    [
        ("2025-01-01/P1Y", "2025"),
        ("2024-04-01/P1Y", "2024/25"),
        ("1999-04-01/P1Y", "1999/00"),
        ("2022-01-01/P3Y", "2022 to 2024"),
        ("2021-04-01/P2Y", "2021/22 to 2022/23"),
        ("2025-04-30", "2025"),
        ("2021 (Census)", "2021 (Census)"),
        ("2020-Q1", "2020-Q1"),
    ],
)
def test_readable_period(period, readable):
    assert rollup.readable_period(period) == readable


def test_period_start_sorts_in_time_order():
    periods = ["2023-01-01/P1Y", "2019-04-10", "2025-04-30", "2024-04-01/P1Y"]
    assert max(periods, key=rollup.period_start) == "2025-04-30"


def test_describe_parts_falls_back_to_a_count_when_too_long():
    assert rollup.describe_parts("rolled up from", ["A", "B"]) == "rolled up from: A, B"
    long = rollup.describe_parts("rolled up from", ["x" * 50] * 10, limit=100)
    assert long == "rolled up from: 10 areas"


area_counts = st.dictionaries(
    keys=st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    values=st.fixed_dictionaries(
        {
            "total": st.integers(min_value=1, max_value=10**6),
            "part": st.integers(min_value=0, max_value=10**6),
        }
    ),
    min_size=1,
    max_size=12,
)


@given(area_counts, st.data())
def test_rolling_up_preserves_totals_and_covers_every_area_once(counts, data):
    targets = data.draw(st.fixed_dictionaries({area: st.sampled_from(["T1", "T2", "T3"]) for area in counts}))
    combined = rollup.roll_up(counts, targets)
    for name in ("total", "part"):
        assert sum(c.counts[name] for c in combined.values()) == sum(a[name] for a in counts.values())
    parts = [area for c in combined.values() for area in c.parts]
    assert sorted(parts) == sorted(counts)


@given(area_counts)
def test_a_rolled_up_share_is_the_size_weighted_mean_of_the_parts(counts):
    counts = {area: {"total": c["total"], "part": min(c["part"], c["total"])} for area, c in counts.items()}
    combined = rollup.roll_up(counts, dict.fromkeys(counts, "T"))["T"]
    whole = rollup.share(combined.counts, ["part"], "total")
    shares = [rollup.share(c, ["part"], "total") for c in counts.values()]
    weighted = sum(s * c["total"] for s, c in zip(shares, counts.values(), strict=True)) / combined.counts["total"]
    assert whole == pytest.approx(weighted)
    assert min(shares) - 1e-9 <= whole <= max(shares) + 1e-9
