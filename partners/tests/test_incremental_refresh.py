"""After a write, each worker's finder refreshes only what moved (docs/decisions/0010): an
arrangement's write refreshes that arrangement's part of the track record, anything else the
matrices hold rebuilds them, and the answers are always a fresh full build's."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from django.test import Client

from arrangements import register, writes
from arrangements.models import Contract, RegisterChange
from organisations.models import Neighbour
from partners import services
from partners.tests.test_kept_facts import QUERY, _arrangement

# Ask for every candidate, so that a change to anyone's track record shows.
ASK = {**QUERY, "limit": 50}


def answer(query=ASK) -> dict:
    response = Client().get("/api/v1/partners", query)
    assert response.status_code == 200, response.content
    return response.json()


def fresh_answer(query=ASK) -> dict:
    """What a worker that has kept nothing answers: a full build."""
    kept = dict(services._cache)
    services._cache.clear()
    try:
        return answer(query)
    finally:
        services._cache.clear()
        services._cache.update(kept)


@pytest.fixture
def world(places, service_list, users):
    north, south = places["north"], places["south"]
    Neighbour.objects.create(organisation=north, neighbour=south, border_km=23.4)
    Neighbour.objects.create(organisation=south, neighbour=north, border_km=23.4)
    services._cache.clear()
    return users["moderator"]


@pytest.fixture
def builds(monkeypatch):
    """Counts full builds (and the refreshes) from here on."""
    full = mock.Mock(wraps=services.build)
    refresh = mock.Mock(wraps=services.engine.refresh_track_record)
    monkeypatch.setattr(services, "build", full)
    monkeypatch.setattr(services.engine, "refresh_track_record", refresh)
    return full, refresh


EDITS = {
    "created": lambda moderator, a: _arrangement(moderator, "Another legal team", ["SVL", "NTT", "TST"]),
    "partners changed": lambda moderator, a: writes.change(
        moderator, a, {"partners": ["SVL", "TST", "CWM"]}, writes.api(), partial=True
    ),
    "status changed": lambda moderator, a: writes.change(
        moderator, a, {"status": "exploring"}, writes.api(), partial=True
    ),
    "title changed": lambda moderator, a: writes.change(moderator, a, {"title": "Renamed"}, writes.api(), partial=True),
    "deleted": lambda moderator, a: writes.delete(moderator, a, writes.api()),
    "partner from an abolished council": lambda moderator, a: writes.change(
        moderator, a, {"partners": ["SVL", "OLD"]}, writes.api(), partial=True
    ),
}


@pytest.mark.parametrize("edit", EDITS)
def test_after_an_arrangement_edit_the_answer_is_a_fresh_builds_without_a_full_build(world, builds, edit):
    moderator = world
    arrangement = _arrangement(moderator, "Shared legal team", ["SVL", "NTT"])
    before = answer()
    full, refresh = builds
    assert full.call_count == 1  # the first query, with nothing kept
    outcome = EDITS[edit](moderator, arrangement)
    assert getattr(outcome, "ok", True), outcome.problems
    after = answer()
    assert full.call_count == 1 and refresh.call_count == 1  # refreshed, not rebuilt
    assert after == fresh_answer()
    assert after != before or edit == "title changed"  # the track record's words are not in the answer


def test_each_worker_refreshes_its_own_matrices(world, builds, monkeypatch):
    """Two workers each keep their own: both catch up with the same change log."""
    moderator = world
    arrangement = _arrangement(moderator, "Shared legal team", ["SVL", "NTT"])
    answer()
    other: dict = {}
    monkeypatch.setattr(services, "_cache", other)
    answer()  # the second worker builds its own
    full, refresh = builds
    assert full.call_count == 2
    writes.change(moderator, arrangement, {"status": "ended"}, writes.api(), partial=True)
    _arrangement(moderator, "Another legal team", ["SVL", "NTT", "TST"])
    second = answer()  # the second worker, two changes behind
    assert full.call_count == 2 and refresh.call_count == 1
    assert second == fresh_answer()


def test_an_organisation_change_rebuilds_the_matrices(world, builds, places):
    _arrangement(world, "Shared legal team", ["SVL", "NTT"])
    answer()
    full, refresh = builds
    places["south"].latitude = 53.0
    places["south"].save()
    assert answer() == fresh_answer()
    assert full.call_count == 2 + 1  # the query's rebuild, then the fresh answer's own build
    assert refresh.call_count == 0


def test_a_write_the_matrices_do_not_hold_keeps_them(world, builds, places):
    _arrangement(world, "Shared legal team", ["SVL", "NTT"])
    answer()
    data = services.matching_data()
    Contract.objects.create(
        organisation=places["south"],
        category=services.resolve_service("legal").category,
        description="Legal services",
        ends_on="2030-03-31",
    )
    assert services.register_version() != services._cache["version"]  # the facts go
    assert services.matching_data() is data  # the matrices stay
    full, refresh = builds
    assert full.call_count == 1 and refresh.call_count == 0
    assert answer() == fresh_answer()


def test_a_change_seen_inside_a_transaction_that_rolls_back_is_undone(world, builds):
    """A reader inside a write's transaction sees the write; when it rolls back, the next
    query reads that arrangement again rather than keep what never happened."""
    moderator = world
    arrangement = _arrangement(moderator, "Shared legal team", ["SVL", "NTT"])
    before = answer()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        writes.change(moderator, arrangement, {"partners": ["SVL", "TST"]}, writes.api(), partial=True)
        assert answer() != before
        raise Undo
    assert answer() == before
    full, refresh = builds
    assert full.call_count == 1 and refresh.call_count == 2
    assert before == fresh_answer()


def test_a_worker_that_has_not_looked_for_long_builds_again(world, builds):
    """Changes are kept for a day: a worker that may have missed pruned ones starts over."""
    moderator = world
    arrangement = _arrangement(moderator, "Shared legal team", ["SVL", "NTT"])
    answer()
    services._cache["synced_at"] -= register.CHANGES_KEPT
    writes.change(moderator, arrangement, {"status": "ended"}, writes.api(), partial=True)
    assert answer() == fresh_answer()
    full, refresh = builds
    assert full.call_count == 3 and refresh.call_count == 0


def test_changes_older_than_a_day_are_pruned(world):
    moderator = world
    arrangement = _arrangement(moderator, "Shared legal team", ["SVL", "NTT"])
    RegisterChange.objects.update(made_at=RegisterChange.objects.first().made_at - register.CHANGES_KEPT * 2)
    writes.change(moderator, arrangement, {"status": "ended"}, writes.api(), partial=True)
    assert list(RegisterChange.objects.values_list("arrangements", flat=True)) == [[arrangement.pk]]
