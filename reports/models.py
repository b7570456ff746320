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
