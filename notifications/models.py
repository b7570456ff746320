"""What each person wants to be emailed about, and which notices have been sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Topic(models.TextChoices):
    """Emails a person may turn off. Essential ones (verifying an address, resetting a password,
    an invitation, a moderator's decision, a sign-off request) are always sent."""

    BOARD = "board_responses", "Responses to what you posted on the partner board"
    SURVEYS = "surveys", "Annual survey rounds opening, and reminders"
    CONTRACTS = "contract_endings", "Contracts ending in 6 and 3 months"
    DIGEST = "weekly_digest", "A weekly digest of changes to your organisation's arrangements"


# On unless turned off; the digest is asked for.
DEFAULT_ON = {Topic.BOARD: True, Topic.SURVEYS: True, Topic.CONTRACTS: True, Topic.DIGEST: False}


class EmailPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference")
    board_responses = models.BooleanField(default=DEFAULT_ON[Topic.BOARD])
    surveys = models.BooleanField(default=DEFAULT_ON[Topic.SURVEYS])
    contract_endings = models.BooleanField(default=DEFAULT_ON[Topic.CONTRACTS])
    weekly_digest = models.BooleanField(default=DEFAULT_ON[Topic.DIGEST])

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"


class SentNotice(models.Model):
    """A notice sent once about one thing (a contract's 6-month warning, say): never sent twice."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
