from django.db import models

from services.categories import CATEGORY_BY_KEY


class ServiceCategory(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    family = models.CharField(max_length=60, help_text="A wider grouping for menus, e.g. Regulatory")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.label


class ServiceTier(models.TextChoices):
    """Who provides a service in two-tier England (GOV.UK's local services list)."""

    COUNTY = "county", "County and unitary councils"
    DISTRICT = "district", "District and unitary councils"
    ALL = "all", "All councils"
    UNKNOWN = "", "Not recorded"


class Service(models.Model):
    """A Local Government Service List (LGSL) service."""

    lgsl = models.PositiveIntegerField("LGSL identifier", unique=True)
    label = models.CharField(max_length=200, db_index=True)
    description = models.TextField(blank=True)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="services")
    tier = models.CharField(max_length=10, choices=ServiceTier.choices, blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} (LGSL {self.lgsl})"

    @property
    def category_label(self) -> str:
        return CATEGORY_BY_KEY[self.category.key].label if self.category_id else ""
