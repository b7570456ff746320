"""The evidence library: sources, what they found, short attributed quotations, case studies
and checklists. Loaded from `evidence/data/*.json` by the reference importer (`evidence.importers`)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Theme(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.label


class Factor(models.Model):
    """A success or failure factor of a partnership (`/work/shared/DOMAIN.md`)."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    description = models.TextField()
    recommendation = models.TextField(help_text="What to do when a partnership is weak on this factor")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("evidence:factor", args=[self.key])


class SourceType(models.TextChoices):
    REPORT = "report", "Report"
    BRIEFING = "briefing", "Briefing paper"
    GUIDE = "guide", "Guide"
    AUDIT = "audit", "Audit report"
    ACADEMIC = "academic", "Academic paper"
    ARTICLE = "article", "Article"
    DATASET = "dataset", "Dataset"
    WEB = "web", "Web page"
    TOOLKIT = "toolkit", "Toolkit"


class SourceQuerySet(models.QuerySet):
    def search(self, q: str = "", theme: str = "", factor: str = "", country: str = ""):
        found = self
        if q:
            found = found.filter(
                models.Q(title__icontains=q)
                | models.Q(author__icontains=q)
                | models.Q(findings_text__icontains=q)
                | models.Q(quotations__text__icontains=q)
            )
        if theme:
            found = found.filter(themes__key=theme)
        if factor:
            found = found.filter(factors__key=factor)
        if country:
            found = found.filter(countries_text__icontains=f"|{country}|")
        return found.distinct()


class Source(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    author = models.CharField("author or publisher", max_length=300)
    published = models.CharField(max_length=80, help_text="As precise as the source allows: “September 2012”")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    source_type = models.CharField(max_length=12, choices=SourceType.choices)
    url = models.URLField(max_length=500, blank=True)
    # Its numbers in the 2020 review's appendix (a duplicate there gives two), empty for the others.
    review_numbers = models.JSONField(default=list, blank=True)
    in_review_list = models.BooleanField(default=False)
    countries = models.JSONField(default=list, blank=True)
    # "|England|Wales|": searchable with icontains on every database.
    countries_text = models.CharField(max_length=500, blank=True, editable=False)
    findings = models.JSONField(default=list, help_text="Key findings, in Sharewell's own words")
    findings_text = models.TextField(blank=True, editable=False)
    figures = models.JSONField(default=list, blank=True)
    themes = models.ManyToManyField(Theme, related_name="sources", blank=True)
    factors = models.ManyToManyField(Factor, related_name="sources", blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:source", args=[self.key])


class Quotation(models.Model):
    """A short quotation, always attributed, that is a substring of the research document it cites."""

    key = models.CharField(max_length=80, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="quotations")
    text = models.TextField()
    document = models.CharField(max_length=80, help_text="The research document it is quoted from")
    attribution = models.CharField(max_length=300)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.text[:60]


class CaseStudy(models.Model):
    """An arrangement the research describes, with its published figures; linked to the register by title."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="case_studies")
    country = models.CharField(max_length=60)
    summary = models.TextField()
    figures = models.JSONField(default=list, blank=True)
    register_title = models.CharField(max_length=200, help_text="The arrangement's title in the register")
    partners = models.JSONField(default=list, blank=True, help_text="Partner names, to match when titles differ")

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class Checklist(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="checklists")

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    phase = models.CharField(max_length=40, blank=True)
    factors = models.ManyToManyField(Factor, related_name="checklist_items")

    class Meta:
        ordering = ["checklist", "number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"], name="one_item_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"
