from __future__ import annotations

import pytest
from django.conf import settings

from evidence.importers import DECLARATIONS
from reference.core import Context, run


def load_library() -> list:
    return run(DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))


@pytest.fixture
def library(db):
    """The real evidence library, loaded the way `manage.py load_reference_data` loads it."""
    return load_library()
