"""A readiness assessment: rounds of answers, one set per partner organisation, and an action plan.

Only `readiness.writes` creates or changes these records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Round(models.Model):
    """One assessment of an arrangement. The newest is the current round; earlier ones are kept for the trend."""

    arrangement = models.ForeignKey(
        "arrangements.Arrangement", on_delete=models.CASCADE, related_name="readiness_rounds"
    )
    number = models.PositiveIntegerField()
    stage = models.CharField(max_length=12, help_text="The stage when the round started (from the status)")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The partners may publish the round's summary (scores per factor, no partner's answers).
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "number"], name="one_readiness_round_number")]

    def __str__(self) -> str:
        return f"Readiness round {self.number} of {self.arrangement_id}"

    @property
    def stage_label(self) -> str:
        from engines.readiness import STAGE_LABELS

        return STAGE_LABELS.get(self.stage, self.stage)


class Answer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=40, help_text="A question id in readiness/data/questions.json")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "organisation", "question"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question} = {self.value}"


class Action(models.Model):
    """An action in the arrangement's plan, usually from a weak factor's recommendation."""

    arrangement = models.ForeignKey(
        "arrangements.Arrangement", on_delete=models.CASCADE, related_name="readiness_actions"
    )
    factor = models.CharField(max_length=40)
    text = models.TextField()
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
