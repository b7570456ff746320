"""The accounts' periodic task: forgetting old sign-in records."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django_tasks import task

from background.schedule import every


@every(hours=24)
@task
def reset_old_sign_in_logs() -> int:
    """Delete django-axes' records of sign-ins older than AXES_LOGS_KEPT_DAYS (what
    `manage.py axes_reset_logs` does); how many were deleted."""
    return AxesProxyHandler.reset_logs(age_days=settings.AXES_LOGS_KEPT_DAYS)
