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
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="survey_responses")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict, help_text="What was confirmed or changed, for the record")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="one_response_per_round")]

    def __str__(self) -> str:
        return f"{self.organisation} for {self.round}"
