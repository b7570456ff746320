"""Imports as background jobs: the page while a job waits, runs, stalls or fails; a retried job
starting clean; the periodic tasks. (The worker killed for real: test_worker_restart.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from arrangements import importing, jobs
from arrangements.models import Arrangement, ImportJob
from background.signals import task_heartbeat
from background.worker import recover_stalled, run_queued_tasks

ROW = "{title},desc,legal,joint committee,live,2019,,Northtown District Council,Southvale,,,,,,None yet,"


@pytest.fixture
def upload(users, csv_file):
    """upload(n) -> (client, job page URL): the moderator uploads a file of `n` new arrangements."""
    client = Client()
    client.force_login(users["moderator"])

    def post(rows: int = 3, dry_run: bool = False):
        content = csv_file(*(ROW.format(title=f"Job row {n}") for n in range(rows)))
        data = {"file": SimpleUploadedFile("rows.csv", content)} | ({"dry_run": "on"} if dry_run else {})
        response = client.post("/arrangements/import/", data)
        assert response.status_code == 302
        return client, response["Location"]

    return post


class HalfWritten(BaseException):
    """Stands for the worker's process dying: nothing in `importing.run` catches it."""


def _half_written(job: ImportJob, monkeypatch) -> None:
    """Write the job's first batch, held, and stop there as a killed worker would."""
    monkeypatch.setattr(importing, "BATCH", 2)

    def progress(stage, done, total):
        if stage == "Saving":
            raise HalfWritten

    with pytest.raises(HalfWritten):
        importing.run(bytes(job.content), job.filename, job.user, progress=progress, job=job)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, attempts=1)


def test_a_queued_import_waits_for_the_worker_and_says_so_without_javascript(
    places, service_list, users, upload, queued_jobs
):
    client, url = upload()
    page = client.get(url).content.decode()
    assert "waiting for the worker to start it" in page
    assert "No background worker is running at the moment" in page
    assert "data-sw-job-progress" in page and f'href="{url}">refresh it</a>' in page  # updates itself, or by hand
    assert not Arrangement.objects.exists()

    run_queued_tasks()
    page = client.get(url).content.decode()
    assert "Import complete" in page and "3 added" in page and "data-sw-job-progress" not in page
    job = ImportJob.objects.get()
    assert job.attempts == 1 and job.heartbeat_at and DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_a_running_import_that_stops_reporting_shows_as_stalled_not_running(
    places, service_list, users, upload, queued_jobs, settings
):
    settings.JOBS_STALL_AFTER_SECONDS = 60
    client, url = upload()
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING,
        stage="Saving",
        done=2,
        total=3,
        heartbeat_at=timezone.now() - timedelta(seconds=30),
    )
    assert "Importing…" in client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=90))
    page = client.get(url).content.decode()
    assert "The import has stalled" in page and "<title>Stalled: import of rows.csv" in page
    assert "(2 of 3 rows): the background worker running it seems to have stopped" in page
    assert "Importing…" not in page and "data-sw-job-progress" in page
    assert "No background worker is running at the moment, so it will be tried again when one starts" in page


def test_the_worker_keeps_a_long_silent_import_alive(places, service_list, users, upload, queued_jobs):
    upload()
    job = ImportJob.objects.get()
    old = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, heartbeat_at=old)
    row = DBTaskResult.objects.get(id=job.task_id)
    task_heartbeat.send(sender=None, task_result=row.task_result)
    assert ImportJob.objects.get().heartbeat_at > old


def test_a_retried_import_first_removes_what_the_stopped_attempt_wrote(
    places, service_list, users, upload, queued_jobs, monkeypatch
):
    client, url = upload(rows=5)
    job = ImportJob.objects.get()
    _half_written(job, monkeypatch)
    assert Arrangement.objects.filter(held_for_import=job).count() == 2
    assert not Arrangement.objects.alive().exists()  # held: nobody sees half an import

    run_queued_tasks()  # the attempt after the worker died
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.attempts == 2 and job.report["created"] == 5
    titles = list(Arrangement.objects.alive().values_list("title", flat=True))
    assert sorted(titles) == [f"Job row {n}" for n in range(5)]  # each once


def test_an_import_whose_worker_died_at_every_attempt_fails_with_a_reason_and_keeps_nothing(
    places, service_list, users, upload, queued_jobs, settings, monkeypatch
):
    settings.JOBS_MAX_ATTEMPTS = 3
    client, url = upload(rows=5)
    job = ImportJob.objects.get()
    _half_written(job, monkeypatch)
    DBTaskResult.objects.filter(id=job.task_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["a", "b", "c"], started_at=timezone.now() - timedelta(hours=1)
    )
    recover_stalled()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.failure == jobs.WORKER_STOPPED.format(attempts=3)
    assert not Arrangement.objects.exists()
    page = client.get(url).content.decode()
    assert "Sorry, the import failed" in page and "interrupted 3 times because the background worker" in page
    assert "data-sw-job-progress" not in page


def test_a_database_blip_puts_the_import_back_in_the_queue(
    places, service_list, users, upload, queued_jobs, monkeypatch
):
    client, url = upload()

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(importing, "run", unreachable)
    run_queued_tasks()
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.QUEUED and DBTaskResult.objects.get(id=job.task_id).status == "READY"
    page = client.get(url).content.decode()
    assert "It will be tried again from the start (attempt 2 of 3): waiting to try again (database problem)" in page


def test_an_import_that_breaks_fails_with_words_not_a_traceback(places, service_list, users, upload, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(importing, "run", broken)
    client, url = upload()
    page = client.get(url).content.decode()
    assert "Sorry, the import failed" in page and "Something went wrong on our side" in page
    assert "ZeroDivisionError" not in page


def test_imports_left_unfinished_with_no_task_to_finish_them_are_failed(
    places, service_list, users, upload, queued_jobs, settings
):
    settings.JOBS_STALL_AFTER_SECONDS = 60
    long_ago = timezone.now() - timedelta(hours=2)
    # From the days of the import thread: no task, "running" for ever.
    legacy = ImportJob.objects.create(
        user=users["moderator"], filename="old.csv", content=b"x", state=ImportJob.State.RUNNING
    )
    ImportJob.objects.filter(pk=legacy.pk).update(created_at=long_ago)
    upload()  # queued, its task waiting for a worker: left alone however long it waits
    waiting = ImportJob.objects.latest("pk")
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=long_ago)
    running = ImportJob.objects.create(
        user=users["moderator"],
        filename="now.csv",
        content=b"x",
        state=ImportJob.State.RUNNING,
        heartbeat_at=timezone.now(),
    )

    assert jobs.fail_abandoned_imports.call() == 1
    states = dict(ImportJob.objects.values_list("pk", "state"))
    assert states == {legacy.pk: "failed", waiting.pk: "queued", running.pk: "running"}
    assert ImportJob.objects.get(pk=legacy.pk).failure == jobs.ABANDONED


def test_uploaded_files_are_deleted_once_old_and_a_checked_file_then_asks_to_be_uploaded_again(
    places, service_list, users, upload, settings
):
    settings.IMPORT_FILES_KEPT_DAYS = 30
    client, url = upload(dry_run=True)
    recent = ImportJob.objects.create(
        user=users["moderator"],
        filename="new.csv",
        content=b"kept",
        state=ImportJob.State.DONE,
        finished_at=timezone.now(),
    )
    ImportJob.objects.exclude(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert jobs.prune_import_files.call() == 1
    old = ImportJob.objects.exclude(pk=recent.pk).get()
    assert old.file_deleted and bytes(old.content) == b"" and old.report["titles_total"] == 3
    assert bytes(ImportJob.objects.get(pk=recent.pk).content) == b"kept"

    page = client.get(url).content.decode()
    assert "No problems found" in page and "uploaded files are kept for 30 days" in page
    assert "Import these arrangements" not in page
    client.post(url)
    assert ImportJob.objects.count() == 2 and not Arrangement.objects.exists()
