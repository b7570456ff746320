"""Test data for business cases, over the fictional world of tests/world.py."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from appraisal.models import BusinessCase, CaseVersion
from arrangements.tests.factories import ArrangementFactory


def case_data(**changes) -> dict:
    """A small case for the shared legal service: Northtown (NTT) and Southvale (SVL). The `draft`
    fixture saves it as a moderator, who may enter both partners' figures."""
    data = {
        "start_year": 2026,
        "years": 5,
        "discount": "standard",
        "lines": [
            {"name": "ICT and data migration", "kind": "one_off_cost", "category": "ict_data_migration",
             "amounts": [200_000, 0, 0, 0, 0], "low": [180_000, 0, 0, 0, 0], "high": [300_000, 0, 0, 0, 0]},
            {"name": "Staff savings", "kind": "saving", "category": "staff",
             "amounts": [50_000, 100_000, 100_000, 100_000, 100_000], "low": None, "high": None},
        ],
        "optimism_bias": {"project_type": "outsourcing", "one_off_costs_pct": 0, "running_costs_pct": 41,
                          "delay_years": 0, "mitigation": 0, "mitigation_reason": "", "reason": "",
                          "savings_from_register": False, "savings_pct": 0, "savings_reason": "", "extra": []},
        "risk": {"draws": 2000, "seed": 7, "distribution": "triangular", "savings_correlation": 0},
        "split": {"method": "baseline", "shares": None, "coalition_costs": []},
        "partners": [
            {"code": "NTT", "population": 90_000, "baseline": 1_200_000, "usage": None, "standalone_cost": None},
            {"code": "SVL", "population": 80_000, "baseline": 800_000, "usage": None, "standalone_cost": None},
        ],
    }  # fmt: skip
    data.update(changes)
    return data


class BusinessCaseFactory(factory.django.DjangoModelFactory):
    """A draft of `case_data()`'s case, not yet shared (version 0). Written straight to the database:
    a test of what sharing does (the ledger's plan, the versions) goes through `appraisal.writes`."""

    class Meta:
        model = BusinessCase

    arrangement = factory.SubFactory(ArrangementFactory)
    data = factory.LazyFunction(case_data)
    updated_by = factory.SubFactory(UserFactory)


class CaseVersionFactory(factory.django.DjangoModelFactory):
    """A shared version of a case, holding the case's inputs as they are."""

    class Meta:
        model = CaseVersion

    case = factory.SubFactory(
        BusinessCaseFactory,
        shared=True,
        shared_at=factory.LazyFunction(timezone.now),
        shared_by=factory.SelfAttribute("updated_by"),
        version=1,
    )
    number = factory.Sequence(lambda n: n + 1)
    data = factory.LazyAttribute(lambda o: o.case.data)
    changes = factory.LazyFunction(lambda: ["Shared with everyone who can see the arrangement"])
    door = "edited on the site"
    # A figure of the right size, not the engine's: only a change of it is put in words.
    npv = 1_250_000.0
    user = factory.SubFactory(UserFactory)
