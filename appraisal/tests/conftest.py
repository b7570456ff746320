"""Business cases in the fictional world of tests/world.py (its shared legal service)."""

from __future__ import annotations

import pytest

from appraisal.tests.factories import case_data


@pytest.fixture
def draft(arrangement, users):
    from appraisal import writes
    from arrangements import writes as arrangement_writes

    outcome = writes.save(users["moderator"], arrangement, case_data(), arrangement_writes.site())
    assert outcome.ok, outcome.problems
    return outcome.case
