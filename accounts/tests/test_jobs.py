"""The daily job that forgets old sign-in records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.utils import timezone

from background import schedule

pytestmark = pytest.mark.django_db


def test_old_sign_in_records_are_deleted_and_recent_ones_kept(settings):
    from accounts.jobs import reset_old_sign_in_logs

    settings.AXES_LOGS_KEPT_DAYS = 30
    now = timezone.now()
    old = AccessLog.objects.create(username="old", ip_address="203.0.113.1", user_agent="x", attempt_time=now)
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=now - timedelta(days=31))
    recent = AccessLog.objects.create(username="recent", ip_address="203.0.113.1", user_agent="x", attempt_time=now)

    assert reset_old_sign_in_logs.call() == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_it_runs_every_day():
    from accounts import jobs  # noqa: F401

    (periodic,) = [p for p in schedule.registered() if p.name == "accounts.jobs.reset_old_sign_in_logs"]
    assert periodic.interval == timedelta(days=1)
