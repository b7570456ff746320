"""Running an import job: in a background thread on the site, inline in tests."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from arrangements import importing
from arrangements.models import ImportJob

logger = logging.getLogger(__name__)
MAX_PROBLEMS_KEPT = 1000
MAX_TITLES_SHOWN = 200


def start(job: ImportJob) -> None:
    if settings.IMPORTS_IN_BACKGROUND:
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}").start()
    else:
        run(job.pk)


def _run_in_thread(pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
    finally:
        connection.close()


def run(pk: int) -> None:
    job = ImportJob.objects.get(pk=pk)
    ImportJob.objects.filter(pk=pk).update(state=ImportJob.State.RUNNING, stage="Reading the file")
    step = {"last": -1}

    def progress(stage: str, done: int, total: int) -> None:
        # About a hundred updates per stage at most: enough to watch, cheap to write.
        mark = done * 100 // total if total else 100
        if mark != step["last"] or done == total:
            step["last"] = mark
            ImportJob.objects.filter(pk=pk).update(stage=stage, done=done, total=total)

    try:
        report = importing.run(bytes(job.content), job.filename, job.user, dry_run=job.dry_run, progress=progress,
                               job=None if job.dry_run else job)
    except Exception:
        logger.exception("Import job %s failed", pk)
        ImportJob.objects.filter(pk=pk).update(state=ImportJob.State.FAILED, finished_at=timezone.now())
        return
    ImportJob.objects.filter(pk=pk).update(
        state=ImportJob.State.REJECTED if report.problems else ImportJob.State.DONE,
        finished_at=timezone.now(),
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
