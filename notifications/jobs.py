"""Background jobs that send email: never inside a request."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django_tasks import task


@task
def send_message(subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one plain-text email (the accounts' verification, reset and invitation emails)."""
    return EmailMessage(subject, body, from_email, to).send()
