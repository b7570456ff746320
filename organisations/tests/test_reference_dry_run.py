"""A dry run of the register import on the real files: it reports, and writes nothing."""

from __future__ import annotations

import pytest
from django.conf import settings

from organisations.importers import DECLARATIONS
from organisations.models import Boundary, GssCode, Neighbour, Organisation, OrganisationName, Overlap
from reference.core import Context, run


@pytest.mark.django_db
def test_dry_run_on_an_empty_database_reports_and_writes_nothing():
    assert not Organisation.objects.exists()

    results = {
        r.name: r for r in run(DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False), dry_run=True)
    }

    for model in (Organisation, OrganisationName, GssCode, Boundary, Neighbour, Overlap):
        assert model.objects.count() == 0, model.__name__
    assert results["Councils, combined authorities and the GLA"].created == 470
    assert results["Fire, police and NHS bodies"].created == 139
    # Later declarations saw what earlier ones would have written.
    assert results["Parent counties, combined authorities and successors"].updated > 300
    assert results["Neighbours (shared borders)"].created > 2000
    assert results["Overlapping bodies"].created > 1000
    assert all(r.removed == 0 for r in results.values())
