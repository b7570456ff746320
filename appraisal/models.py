"""A stored business case: one per arrangement, built together by its partners.

The case's inputs are kept as one JSON document in the shape of the appraisal API's
request (`appraisal.inputs` checks and reads it), so the pages, the API and the engine
agree on one description of a case. A draft is seen by the partners' members and
moderators only; once a partner editor shares it everyone who can see the arrangement
can. Each share, and each save of a shared case, keeps a numbered `CaseVersion` with what
changed in words. Only `appraisal.writes` creates or changes these records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class BusinessCase(models.Model):
    arrangement = models.OneToOneField(
        "arrangements.Arrangement", on_delete=models.CASCADE, related_name="business_case"
    )
    data = models.JSONField(help_text="The case's inputs, in the shape of POST /api/v1/appraisal")
    shared = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, help_text="The latest shared version; 0 while a draft")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Business case for {self.arrangement}"

    @property
    def source_label(self) -> str:
        """What the ledger's `source` says of entries written from this case."""
        return f"Business case {self.pk}, version {self.version}"


class CaseVersion(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    changes = models.JSONField(default=list, help_text="What changed since the version before, in words")
    door = models.CharField(max_length=300)
    npv = models.FloatField(null=True, help_text="Net present value of this version, for the change in words")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_case_version_per_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.case}"
