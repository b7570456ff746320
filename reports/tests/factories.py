"""Factories for committee reports' recommendations and background report jobs, over tests/world.py."""

from __future__ import annotations

import factory

from accounts.tests.factories import UserFactory
from arrangements.tests.factories import ArrangementFactory
from organisations.tests.factories import OrganisationFactory
from reports.models import Recommendations, ReportJob


class RecommendationsFactory(factory.django.DjangoModelFactory):
    """An arrangement's recommendations; for an organisation's, pass `arrangement=None, organisation=...`
    (the database takes one or the other, never both)."""

    class Meta:
        model = Recommendations

    arrangement = factory.SubFactory(ArrangementFactory)
    organisation = None
    text = "That cabinet agrees to extend the shared service with Southvale for five years."
    updated_by = factory.SubFactory(UserFactory)


class ReportJobFactory(factory.django.DjangoModelFactory):
    """An organisation's report asked for by someone signed in, waiting for the background worker."""

    class Meta:
        model = ReportJob

    organisation = factory.SubFactory(OrganisationFactory)
    requested_by = factory.SubFactory(UserFactory)
    state = ReportJob.State.QUEUED
