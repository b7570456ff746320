"""The background app's own periodic task: forgetting finished task results."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from background.schedule import every

KEEP_SUCCEEDED = timedelta(days=7)
KEEP_FAILED = timedelta(days=90)  # long enough to look into


@every(hours=24)
@task
def prune_task_results() -> int:
    """Delete finished task results: succeeded after a week, failed after 90 days."""
    now = timezone.now()
    succeeded, _ = DBTaskResult.objects.successful().filter(finished_at__lt=now - KEEP_SUCCEEDED).delete()
    failed, _ = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()
    return succeeded + failed
