"""Factories for the service list (tests that need the real list load it: `service_list`)."""

from __future__ import annotations

import factory

from services.models import Service, ServiceCategory


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"test-category-{n}")
    label = factory.Sequence(lambda n: f"Test category {n}")
    family = "Test services"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    lgsl = factory.Sequence(lambda n: 90_000 + n)  # above the real list's identifiers
    label = factory.Sequence(lambda n: f"Test service {n}")
    category = factory.SubFactory(ServiceCategoryFactory)
