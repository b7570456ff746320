"""The one part of a committee report that people write: its recommendations, kept per arrangement
or per organisation, editable by the partners' (or the organisation's) editors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Recommendations(models.Model):
    arrangement = models.OneToOneField(
        "arrangements.Arrangement", null=True, blank=True, on_delete=models.CASCADE, related_name="recommendations"
    )
    organisation = models.OneToOneField(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "recommendations"
        constraints = [
            models.CheckConstraint(
                condition=Q(arrangement__isnull=False, organisation__isnull=True)
                | Q(arrangement__isnull=True, organisation__isnull=False),
                name="recommendations_for_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"Recommendations for {self.arrangement or self.organisation}"


class ReportJob(models.Model):
    """A PDF too big to render inside a request: rendered by a background job and kept for the
    person who asked (`reports.jobs`). Small reports are rendered inline and never stored."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the background worker"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    pdf = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report of {self.organisation_id} ({self.state})"
