"""One definition of "running without a baseline", counted in SQL, for the dashboard and each
organisation's portfolio alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from arrangements.models import Arrangement
from arrangements.tests.factories import ArrangementFactory, LedgerEntryFactory, PartnershipFactory
from benefits import portfolio, services
from benefits.tests.factories import BenefitMeasureFactory


def _with_baseline(status: str, **fields) -> Arrangement:
    """An arrangement of Northtown's with a cost baseline in the ledger and a measure with its baseline."""
    arrangement = ArrangementFactory(status=status, **fields)
    LedgerEntryFactory(arrangement=arrangement, measure="baseline_cost", standing="reported", basis="actual")
    return arrangement


@pytest.fixture
def northtowns(places):
    """Northtown's arrangements: each running status without a baseline, one ended without,
    one live with a full baseline, one live whose measure lacks its baseline date."""
    made = {status: ArrangementFactory(status=status) for status in ("live", "under_review", "expanded", "ended")}
    made["recorded"] = _with_baseline("live")
    BenefitMeasureFactory(arrangement=made["recorded"], owner=places["north"])
    made["measure_lacking"] = _with_baseline("live")
    BenefitMeasureFactory(arrangement=made["measure_lacking"], owner=places["north"], baseline_on=None)
    for arrangement in made.values():
        PartnershipFactory(arrangement=arrangement, organisation=places["north"], role="lead")
    return made


def test_running_means_live_under_review_or_expanded_and_a_baseline_means_cost_and_every_measure(northtowns):
    lacking = services.running_without_baseline(Arrangement.objects.all())

    assert set(lacking) == {northtowns[k] for k in ("live", "under_review", "expanded", "measure_lacking")}


def test_the_count_is_one_query_whatever_the_register(northtowns):
    with CaptureQueriesContext(connection) as queries:
        assert services.live_without_baseline(Arrangement.objects.published()) == 4
    assert len(queries) == 1
    assert "COUNT(" in queries[0]["sql"].upper()


def test_the_dashboard_and_the_portfolio_agree_and_say_which_statuses(northtowns, places):
    html = Client().get("/dashboard/").content.decode()

    assert 'id="figure-no-baseline">4<' in html
    assert "(live, under review or expanded) with no baseline recorded" in html
    assert portfolio.portfolio(places["north"], AnonymousUser()).live_without_baseline == 4
