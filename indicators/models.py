"""Indicators per council, for profiles and for finding similar places.

Each value keeps its source and period. A council without a value has no row: pages
show "not available", never zero.
"""

from django.db import models


class IndicatorGroup(models.TextChoices):
    PEOPLE = "people", "People"
    PLACE = "place", "Place"
    DEPRIVATION = "deprivation", "Deprivation"
    ECONOMY = "economy", "Economy"
    ENVIRONMENT = "environment", "Environment"


class Indicator(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    label = models.CharField(max_length=200)
    group = models.CharField(max_length=20, choices=IndicatorGroup.choices)
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. %, £, per km², tonnes CO₂ per person")
    decimal_places = models.PositiveSmallIntegerField(default=1)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300)
    source_url = models.URLField(max_length=400, blank=True)
    licence = models.CharField(max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class IndicatorValueQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation).select_related("indicator")


class IndicatorValue(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField()
    period = models.CharField(max_length=40, help_text="The period the value refers to, e.g. 2021 or 2023/24")
    note = models.CharField(max_length=300, blank=True, help_text="e.g. rolled up from 2021 districts")

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "indicator"], name="one_value_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator_id} of {self.organisation_id}: {self.value} ({self.period})"
