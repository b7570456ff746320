"""The engine's incremental refresh of the track record (`engine.refresh_track_record`):
for any edits, refreshing the changed arrangements gives what a full build gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners import engine
from partners.engine import SharedRecord

CODES = ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")
ORGANISATIONS = [{"code": c, "name": f"Council {c}", "org_type": "UA", "lat": 52.0, "lon": -1.0} for c in CODES]
# History given without an arrangement (as older callers do) stays put through every refresh.
ANONYMOUS = [("AAA", "BBB", SharedRecord("waste", 2010, "live"))]


def pairs(members: tuple[str, ...], record: SharedRecord) -> list[tuple[str, str, SharedRecord]]:
    """What the service layer gives for one arrangement: every pair of members, in order,
    a member twice (two predecessors of one council) included and skipped by the engine."""
    return [(a, b, record) for n, a in enumerate(members) for b in members[n + 1 :]]


def build(register: dict[int, tuple[tuple[str, ...], SharedRecord]]) -> engine.MatchingData:
    return engine.build_matching_data(
        ORGANISATIONS, history=ANONYMOUS, track_record={a: pairs(*arrangement) for a, arrangement in register.items()}
    )


def assert_same(refreshed: engine.MatchingData, full: engine.MatchingData) -> None:
    assert refreshed.history == full.history  # records, and their order within each pair
    assert dict(refreshed.track_record_rows) == dict(full.track_record_rows)
    assert refreshed.codes == full.codes
    assert np.array_equal(refreshed.features, full.features)


members = st.lists(st.sampled_from(CODES), min_size=0, max_size=4).map(tuple)
records = st.builds(
    SharedRecord,
    service=st.sampled_from(["legal", "waste", "services"]),
    start_year=st.one_of(st.none(), st.integers(2000, 2025)),
    status=st.sampled_from(["live", "ended", "idea", "disaggregated"]),
    title=st.text(max_size=3),
    members=st.integers(2, 6),
)
arrangement = st.tuples(members, records)
register_ = st.dictionaries(st.integers(1, 12), arrangement, max_size=8)
# An edit: an arrangement added or changed (its partners, status, title...), or gone
# (deleted or unpublished: the service layer gives no pairs for it).
edit = st.tuples(st.integers(1, 14), st.one_of(st.none(), arrangement))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(register_, st.lists(st.lists(edit, max_size=4), max_size=4))
def test_refreshing_the_changed_arrangements_is_a_full_build(register, rounds):
    data = build(register)
    for edits in rounds:
        changed = {}
        for a, new in edits:
            if new is None:
                register.pop(a, None)
                changed[a] = []
            else:
                register[a] = new
                changed[a] = pairs(*new)
        previous = data
        history_before = {i: dict(p) for i, p in previous.history.items()}
        data = engine.refresh_track_record(data, changed)
        assert_same(data, build(register))
        # The data a query may still hold is left as it was.
        assert {i: dict(p) for i, p in previous.history.items()} == history_before


def test_a_refresh_moves_the_finder_answer_as_a_rebuild_does():
    """Through the scoring too: a new running arrangement of AAA and CCC counts for CCC."""
    register = {1: (("AAA", "BBB"), SharedRecord("legal", 2020, "live"))}
    data = build(register)
    register[2] = (("AAA", "CCC", "DDD"), SharedRecord("legal", 2024, "live", keys=("category:legal",)))
    refreshed = engine.refresh_track_record(data, {2: pairs(*register[2])})
    query = engine.Query(organisation="AAA", category_key="category:legal", year=2025, limit=None, tier_rule="all")
    got = engine.find_partners(refreshed, query)
    want = engine.find_partners(build(register), query)
    assert [(m.code, m.score) for m in got.matches] == [(m.code, m.score) for m in want.matches]
    assert {m.code: m.score for m in got.matches}["CCC"] > {
        m.code: m.score for m in engine.find_partners(data, query).matches
    }["CCC"]


@pytest.mark.parametrize("now", [[], [("AAA", "AAA", SharedRecord("legal", 2020, "live"))]])
def test_an_arrangement_left_without_pairs_leaves_no_trace(now):
    """Deleted, unpublished, or down to one partner (twice, through two predecessors)."""
    data = build({3: (("AAA", "EEE"), SharedRecord("legal", 2020, "live"))})
    refreshed = engine.refresh_track_record(data, {3: now})
    assert 3 not in refreshed.track_record_rows
    assert refreshed.history == build({}).history
