from django.conf import settings
from django.db import models
from django.utils import timezone


class SurveyRound(models.Model):
    year = models.PositiveSmallIntegerField(unique=True, help_text="The financial year starting in this year")
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Survey {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year}/{str(self.year + 1)[-2:]}"


class SurveyResponse(models.Model):
    """An organisation's submitted answers for one round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict, help_text="What was confirmed or changed, for the record")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="one_response_per_round")]

    def __str__(self) -> str:
        return f"{self.organisation} for {self.round}"


class SurveyDraft(models.Model):
    """An organisation's answers for one round before they are submitted.

    Kept on the server, not in the browser session, so that answers survive signing out
    and any editor of the organisation can carry on where a colleague stopped. The
    answers have the shape the question pages write: {"arrangements": {pk: answer},
    "has_new": "yes" | "no" | None}. Submitting deletes the draft.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="drafts")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="survey_drafts"
    )
    answers = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="one_draft_per_round")]

    def __str__(self) -> str:
        return f"Draft for {self.organisation} for {self.round}"
