"""The worker: django-tasks-db's database worker with a heartbeat, recovery and a scheduler.

`manage.py run_worker` runs one. Each worker process keeps a `WorkerProcess` row whose `beat_at`
a thread renews every JOBS_HEARTBEAT_SECONDS, whatever the task in hand is doing. The same thread,
in every worker:

- recovers tasks whose worker has not beaten for JOBS_STALL_AFTER_SECONDS (killed, or its machine
  lost): back in the queue, or failed with `WorkerLost` once they have had JOBS_MAX_ATTEMPTS;
- enqueues the periodic tasks that are due (`background.schedule`).

Several workers, on several machines, can share one database: a task is claimed under a row lock
(SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite), and every change of state made
here is a conditional update on (id, status, started_at), so two workers never both act on one
task, and a worker that was given up for dead cannot overwrite the attempt that replaced it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

from background import Retry, WorkerLost, schedule
from background.models import WorkerProcess
from background.signals import task_heartbeat

logger = logging.getLogger(__name__)
FORGET_DEAD_WORKERS_AFTER = timedelta(days=1)


def new_worker_id() -> str:
    """Unique across the pool, and says where the worker runs (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def stall_after() -> timedelta:
    return timedelta(seconds=settings.JOBS_STALL_AFTER_SECONDS)


def workers_alive(now: datetime | None = None) -> bool:
    """Is any worker beating? (A queued task waits for one.)"""
    now = now or timezone.now()
    return WorkerProcess.objects.filter(beat_at__gte=now - stall_after()).exists()


def _fail(row: DBTaskResult, error: BaseException, now: datetime) -> bool:
    """Mark a running task failed, if it is still the attempt we think it is."""
    failed = DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING, started_at=row.started_at).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
        traceback=str(error),
        return_value=None,
    )
    if failed:
        result = DBTaskResult.objects.get(id=row.id).task_result
        task_finished.send(sender=type(result.task.get_backend()), task_result=result)
    return bool(failed)


def _requeue(row: DBTaskResult, after: float, now: datetime) -> bool:
    run_after = now + timedelta(seconds=after) if after > 0 else get_date_max()
    return bool(
        DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING, started_at=row.started_at).update(
            status=TaskResultStatus.READY, started_at=None, run_after=run_after
        )
    )


def retry_or_fail(row: DBTaskResult, error: BaseException, *, after: float = 0, now: datetime | None = None) -> str:
    """Put a running task back in the queue, or fail it once it has had its attempts: "retried",
    "failed", or "" when another worker got there first."""
    now = now or timezone.now()
    attempts = len(row.worker_ids)
    if attempts < settings.JOBS_MAX_ATTEMPTS:
        if _requeue(row, after, now):
            logger.warning(
                "Task %s (%s) will be tried again (attempt %d failed): %s", row.id, row.task_path, attempts, error
            )
            return "retried"
        return ""
    if _fail(row, error, now):
        logger.error("Task %s (%s) failed after %d attempts: %s", row.id, row.task_path, attempts, error)
        return "failed"
    return ""


def recover_stalled(now: datetime | None = None) -> dict[str, str]:
    """Tasks running on a worker that has stopped beating: tried again, or failed. {task id: outcome}"""
    now = now or timezone.now()
    cutoff = now - stall_after()
    alive = set(WorkerProcess.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    outcomes = {}
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        worker = row.worker_ids[-1] if row.worker_ids else None
        if worker in alive:
            continue
        attempts = len(row.worker_ids)
        error = WorkerLost(
            f"The worker running it stopped, {attempts} time{'s' if attempts != 1 else ''}"
            if attempts >= settings.JOBS_MAX_ATTEMPTS
            else f"The worker running it stopped (attempt {attempts})"
        )
        outcome = retry_or_fail(row, error, now=now)
        if outcome:
            outcomes[str(row.id)] = outcome
    WorkerProcess.objects.filter(beat_at__lt=now - FORGET_DEAD_WORKERS_AFTER).delete()
    return outcomes


class Worker(DatabaseWorker):
    """The library's worker loop and task claiming, with a heartbeat thread and our own `run_task`
    (a `Retry`, or the worker being stopped in the middle of a task, puts the task back in the
    queue rather than failing it)."""

    def __init__(self, *, heartbeat: bool = True, **options) -> None:
        super().__init__(**options)
        self.heartbeat = heartbeat
        self.current: DBTaskResult | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # The heartbeat ---------------------------------------------------------------------------

    def beat(self) -> None:
        """Say this worker is alive, recover the tasks of workers that are not, enqueue what is due."""
        now = timezone.now()
        current = self.current
        task_id = str(current.id) if current is not None else ""
        if not WorkerProcess.objects.filter(worker_id=self.worker_id).update(beat_at=now, task_id=task_id):
            WorkerProcess.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "started_at": now,
                    "beat_at": now,
                    "task_id": task_id,
                },
            )
        if current is not None:
            task_heartbeat.send(sender=type(self), task_result=current.task_result)
        recover_stalled(now)
        schedule.enqueue_due(now)

    def _beat_until_stopped(self) -> None:
        try:
            while not self._stopped.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except Exception:  # a database blip: the next beat tries again
                    logger.exception("Worker %s: the heartbeat failed", self.worker_id)
                close_old_connections()
        finally:
            connections.close_all()

    def run(self) -> None:
        logger.info("Worker %s starting (heartbeat every %ss)", self.worker_id, settings.JOBS_HEARTBEAT_SECONDS)
        try:
            if self.heartbeat:
                self.beat()
                self._thread = threading.Thread(
                    target=self._beat_until_stopped, daemon=True, name=f"heartbeat-{self.worker_id}"
                )
                self._thread.start()
            super().run()
        finally:
            self._stopped.set()
            if self._thread is not None:
                self._thread.join(timeout=settings.JOBS_HEARTBEAT_SECONDS + 5)
            if self.heartbeat:
                WorkerProcess.objects.filter(worker_id=self.worker_id).delete()
            logger.info("Worker %s stopped", self.worker_id)

    # Running one task ------------------------------------------------------------------------

    def _still_ours(self, row: DBTaskResult) -> bool:
        return DBTaskResult.objects.filter(
            id=row.id, status=TaskResultStatus.RUNNING, started_at=row.started_at
        ).exists()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        row = db_task_result
        self.running_task = True
        self.current = row
        try:
            task = row.task
            task_result = row.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except Retry as retry:
                retry_or_fail(row, retry, after=retry.after)
                return
            except (KeyboardInterrupt, SystemExit):
                # Stopped in the middle (a second Ctrl+C, or SIGTERM twice): the next worker resumes it.
                _requeue(row, 0, timezone.now())
                logger.warning("Worker %s stopped during task %s: it is back in the queue", self.worker_id, row.id)
                raise
            if not self._still_ours(row):
                logger.warning("Task %s was given to another worker while this one ran it: result dropped", row.id)
                return
            row.set_successful(value)
            task_finished.send(sender=backend_type, task_result=row.task_result)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:
            logger.exception("Task %s (%s) failed", row.id, row.task_path)
            if self._still_ours(row):
                row.set_failed(error)
                try:
                    task_finished.send(sender=type(row.task.get_backend()), task_result=row.task_result)
                except Exception:
                    logger.exception("Task %s: sending task_finished failed", row.id)
        finally:
            self.running_task = False
            self.current = None
            self._run_tasks += 1


def run_queued_tasks() -> None:
    """Run every task that is ready, in this thread, then return: for tests, inside their
    transaction (no heartbeat thread, and none of the worker loop's closing of connections)."""
    worker = Worker(
        heartbeat=False,
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=new_worker_id(),
        excluded_queue_names=[],
    )
    while True:
        with exclusive_transaction():
            row = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if row is None:
                return
            row.claim(worker.worker_id)
        worker.run_task(row)
