"""Periodic tasks: registered with `@every(...)` in an app's `jobs.py`, enqueued by the workers.

    @every(hours=24)
    @task
    def prune_import_files() -> int: ...

Every worker's heartbeat thread calls `enqueue_due()`. A run is claimed with one conditional
update of its `PeriodicRun` row, so with several workers each run is enqueued once, and the task
then runs like any other (on whichever worker is free, tried again if its worker dies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from background.models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django-tasks Task that takes no arguments
    interval: timedelta


_registry: dict[str, Periodic] = {}


def every(*, seconds: float = 0, minutes: float = 0, hours: float = 0, days: float = 0) -> Callable[[Any], Any]:
    """Register a task (already decorated with `@task`) to run at this interval."""
    interval = timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
    if interval <= timedelta(0):
        raise ValueError("A periodic task needs an interval")

    def register(task: Any) -> Any:
        _registry[task.module_path] = Periodic(task.module_path, task, interval)
        return task

    return register


def registered() -> list[Periodic]:
    return sorted(_registry.values(), key=lambda p: p.name)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue each registered task whose time has come; the names enqueued. A task never run
    before is due at once (a worker's first start)."""
    now = now or timezone.now()
    enqueued = []
    for periodic in registered():
        if not PeriodicRun.objects.filter(name=periodic.name).exists():
            try:
                with transaction.atomic():
                    PeriodicRun.objects.create(name=periodic.name, next_run_at=now)
            except IntegrityError:
                pass  # another worker made it first
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(name=periodic.name, next_run_at__lte=now).update(
                next_run_at=now + periodic.interval, last_enqueued_at=now
            )
            if claimed:
                periodic.task.enqueue()
                enqueued.append(periodic.name)
    return enqueued
