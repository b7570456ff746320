"""Running an import job: a background task run by `manage.py run_worker` (inline in tests).

The upload page saves the file as an `ImportJob` and `start()` enqueues `run_import`. A worker runs
`importing.run(...)`, writing progress and a heartbeat to the job. If the worker dies part-way,
recovery (background.worker) puts the task back in the queue and the next attempt first discards
what the last one wrote (held, so never visible); after JOBS_MAX_ATTEMPTS the job is failed, with
a reason the person who uploaded it can read. Periodic tasks here fail imports left behind with
no task (from before the job queue, say) and delete uploaded files once they are old.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from arrangements import importing, writes
from arrangements.models import ImportJob
from background import Retry
from background.schedule import every
from background.signals import task_finished, task_heartbeat

logger = logging.getLogger(__name__)
MAX_PROBLEMS_KEPT = 1000
MAX_TITLES_SHOWN = 200
FINISHED = (ImportJob.State.DONE, ImportJob.State.REJECTED, ImportJob.State.FAILED)
UNFINISHED = (ImportJob.State.QUEUED, ImportJob.State.RUNNING)

# What the person who uploaded the file reads on the job's page when it fails.
WORKER_STOPPED = (
    "The import was interrupted {attempts} times because the background worker running it stopped, so it "
    "has been given up. Nothing was imported. Upload the file again, and if this happens again, tell the "
    "site’s administrator."
)
ABANDONED = (
    "The import stopped before it finished (the server was restarted while it ran). Nothing was imported. "
    "Upload the file again."
)
BROKE = (
    "Something went wrong on our side while importing, so it was stopped. Nothing was imported. Your file is "
    "kept for {days} days so that a moderator can look into it; try again later."
)


class Superseded(BaseException):
    """This attempt was given up for dead and another has begun: stop, touching nothing.
    (A BaseException, so `importing.run` does not discard what the new attempt writes.)"""


def start(job: ImportJob) -> None:
    """Queue the job for a worker (or, with JOBS_RUN_INLINE, run it now)."""
    result = run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)


def is_stalled(job: ImportJob, now=None) -> bool:
    """Running, but no heartbeat for JOBS_STALL_AFTER_SECONDS: its worker has probably died."""
    if job.state != ImportJob.State.RUNNING:
        return False
    last = job.heartbeat_at or job.created_at
    return last < (now or timezone.now()) - timedelta(seconds=settings.JOBS_STALL_AFTER_SECONDS)


@task
def run_import(pk: int) -> str:
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or job.state in FINISHED:
        return "nothing to do"  # deleted, or finished by an attempt given up for dead that was not
    if job.attempts:
        # An earlier attempt stopped part-way: remove what it wrote before starting again.
        writes.discard(job)
    attempt = job.attempts + 1
    ImportJob.objects.filter(pk=pk).update(
        state=ImportJob.State.RUNNING,
        stage="Reading the file",
        done=0,
        total=0,
        attempts=attempt,
        heartbeat_at=timezone.now(),
    )
    step = {"last": -1}

    def progress(stage: str, done: int, total: int) -> None:
        # About a hundred updates per stage at most: enough to watch, cheap to write.
        mark = done * 100 // total if total else 100
        if mark != step["last"] or done == total:
            step["last"] = mark
            if not ImportJob.objects.filter(pk=pk, attempts=attempt).update(
                stage=stage, done=done, total=total, heartbeat_at=timezone.now()
            ):
                raise Superseded

    try:
        report = importing.run(
            bytes(job.content),
            job.filename,
            job.user,
            dry_run=job.dry_run,
            progress=progress,
            job=None if job.dry_run else job,
        )
    except Superseded:
        logger.warning("Import job %s: attempt %s was superseded by a later one", pk, attempt)
        return "superseded"
    except (OperationalError, InterfaceError) as error:
        # The database went away for a moment: worth another attempt, on a worker (inline there is none).
        logger.exception("Import job %s: database error", pk)
        if not settings.JOBS_RUN_INLINE and attempt < settings.JOBS_MAX_ATTEMPTS:
            ImportJob.objects.filter(pk=pk, attempts=attempt).update(
                state=ImportJob.State.QUEUED, stage="Waiting to try again (database problem)"
            )
            raise Retry(f"database error: {error}") from error
        fail(pk, BROKE.format(days=settings.IMPORT_FILES_KEPT_DAYS))
        return "failed"
    except Exception:
        logger.exception("Import job %s failed", pk)
        fail(pk, BROKE.format(days=settings.IMPORT_FILES_KEPT_DAYS))
        return "failed"
    ImportJob.objects.filter(pk=pk, attempts=attempt).update(
        state=ImportJob.State.REJECTED if report.problems else ImportJob.State.DONE,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        report={
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "dry_run": report.dry_run,
            "problem_count": len(report.problems),
            "held": report.held,
            "rows_with_problems": report.rows_with_problems,
            "problems": [
                {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
                for p in report.problems[:MAX_PROBLEMS_KEPT]
            ],
            "titles": report.titles[:MAX_TITLES_SHOWN] if report.dry_run else [],
            "titles_total": len(report.titles),
        },
    )
    return "rejected" if report.problems else "done"


def fail(pk: int, reason: str) -> bool:
    """Mark an unfinished job failed, first removing anything it wrote."""
    job = ImportJob.objects.filter(pk=pk, state__in=UNFINISHED).first()
    if job is None:
        return False
    writes.discard(job)
    return bool(
        ImportJob.objects.filter(pk=pk, state__in=UNFINISHED).update(
            state=ImportJob.State.FAILED, failure=reason, finished_at=timezone.now()
        )
    )


@receiver(task_finished, dispatch_uid="arrangements-import-task-finished")
def _import_task_failed(sender, task_result, **kwargs) -> None:
    """The task failed outside the import's own handling: its worker died too often (recovery gave
    it up), or the task could not even start."""
    if task_result.status != TaskResultStatus.FAILED or task_result.task.func is not run_import.func:
        return
    (pk,) = task_result.args
    lost = any(e.exception_class_path == "background.WorkerLost" for e in task_result.errors)
    attempts = len(task_result.worker_ids)
    fail(pk, WORKER_STOPPED.format(attempts=attempts) if lost else BROKE.format(days=settings.IMPORT_FILES_KEPT_DAYS))


@receiver(task_heartbeat, dispatch_uid="arrangements-import-task-heartbeat")
def _import_task_alive(sender, task_result, **kwargs) -> None:
    """The worker is alive and running it (a long read of a big file reports no progress)."""
    if task_result.task.func is run_import.func:
        (pk,) = task_result.args
        ImportJob.objects.filter(pk=pk, state=ImportJob.State.RUNNING).update(heartbeat_at=timezone.now())


@every(minutes=5)
@task
def fail_abandoned_imports() -> int:
    """Fail unfinished jobs that no task will finish: from before the job queue, or whose task is
    gone. A job whose task waits in the queue, or runs, is left to the worker and its recovery."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_STALL_AFTER_SECONDS)
    stale = ImportJob.objects.filter(state__in=UNFINISHED).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    failed = 0
    for job in stale.only("pk", "task_id"):
        if job.task_id and _task_status(job.task_id) in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            continue
        failed += fail(job.pk, ABANDONED)
    return failed


def _task_status(task_id: str) -> str | None:
    try:
        return run_import.get_result(task_id).status
    except (TaskResultDoesNotExist, NotImplementedError):  # pruned, or run inline (no results kept)
        return None


@every(hours=24)
@task
def prune_import_files() -> int:
    """Delete the uploaded file of each job finished more than IMPORT_FILES_KEPT_DAYS ago (what it
    imported, and its report, stay)."""
    cutoff = timezone.now() - timedelta(days=settings.IMPORT_FILES_KEPT_DAYS)
    old = ImportJob.objects.filter(state__in=FINISHED, finished_at__lt=cutoff, file_deleted=False)
    return old.update(content=b"", file_deleted=True)
