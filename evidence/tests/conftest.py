from __future__ import annotations

import pytest

from tests.world import load_evidence_library


@pytest.fixture
def library(db):
    """The real evidence library, loaded the way `manage.py load_reference_data` loads it."""
    return load_evidence_library()
