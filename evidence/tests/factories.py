"""Factories for the evidence library's models. Most tests load the real library instead
(`evidence.importers`); these are for a test that needs one record of its own."""

from __future__ import annotations

import factory

from evidence.models import CaseStudy, Checklist, ChecklistItem, Factor, Quotation, Source, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"theme-{n}")
    label = factory.LazyAttribute(lambda o: o.key.title())


class FactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Factor
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"factor-{n}")
    label = factory.LazyAttribute(lambda o: o.key.title())
    description = "A factor of a test world"
    recommendation = "Do the test thing"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"A study of Testshire, part {n}")
    author = "Testshire Research Unit"
    published = "April 2020"
    year = 2020
    source_type = "report"
    findings = factory.LazyFunction(lambda: ["Testshire shares well."])


class QuotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quotation

    key = factory.Sequence(lambda n: f"quotation-{n}")
    source = factory.SubFactory(SourceFactory)
    text = "proximity creates opportunity"
    document = "is-2020-research-review"
    attribution = "A test attribution"


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy

    key = factory.Sequence(lambda n: f"case-{n}")
    title = "Shared legal"
    source = factory.SubFactory(SourceFactory)
    country = "England"
    summary = "A test case"
    register_title = "Shared legal"


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    key = factory.Sequence(lambda n: f"checklist-{n}")
    title = factory.Sequence(lambda n: f"Testshire's checklist for sharing a service, part {n}")
    source = factory.SubFactory(SourceFactory)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    """An item about one factor (a new one unless `factors=[...]` is given): every item of the
    library is tied to at least one."""

    class Meta:
        model = ChecklistItem
        skip_postgeneration_save = True

    checklist = factory.SubFactory(ChecklistFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Agree which partner leads, and write it down"
    phase = "Initiate"

    @factory.post_generation
    def factors(obj, create, extracted, **kwargs):
        if create:
            obj.factors.set(extracted if extracted is not None else [FactorFactory()])
