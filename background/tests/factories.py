"""Factories for the background workers' own records, over the fictional world of tests/world.py."""

from __future__ import annotations

import factory
from django.utils import timezone

from background.models import PeriodicRun, WorkerProcess


class WorkerProcessFactory(factory.django.DjangoModelFactory):
    """A worker beating now, holding no task: alive to `background.worker.workers_alive`."""

    class Meta:
        model = WorkerProcess

    # In the shape `background.worker.new_worker_id` gives: host, pid, a random tail.
    worker_id = factory.LazyAttribute(lambda o: f"{o.host}-{o.pid}-a1b2c3")
    host = "worker.testshire.example"
    pid = factory.Sequence(lambda n: 4000 + n)
    started_at = factory.LazyFunction(timezone.now)
    beat_at = factory.LazyAttribute(lambda o: o.started_at)
    task_id = ""


class PeriodicRunFactory(factory.django.DjangoModelFactory):
    """A periodic task due now and never enqueued yet, as `background.schedule.enqueue_due` first writes it."""

    class Meta:
        model = PeriodicRun

    name = factory.Sequence(lambda n: f"tests.jobs.tidy_testshire_{n}")
    next_run_at = factory.LazyFunction(timezone.now)
    last_enqueued_at = None
