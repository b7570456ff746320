"""The worker's additions to the library: retries, recovery of tasks whose worker died, the
heartbeat, and periodic tasks. Tasks queue in the database (`queued_jobs`) and run in this
thread (`run_queued_tasks`); the real processes are in arrangements' test_worker_restart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from background import Retry, schedule
from background.models import PeriodicRun, WorkerProcess
from background.signals import task_finished, task_heartbeat
from background.worker import Worker, new_worker_id, recover_stalled, run_queued_tasks, workers_alive

pytestmark = pytest.mark.usefixtures("queued_jobs")
RAN: list = []


@task
def record(value: str) -> str:
    RAN.append(value)
    return value.upper()


@task
def mail_server_down() -> None:
    raise Retry("the mail server did not answer", after=60)


@task
def broken() -> None:
    raise ValueError("a bug")


@task
def stopped_midway() -> None:
    raise SystemExit(1)  # as the worker's signal handler does on a second Ctrl+C


def _row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(id=result.id)


def _claimed_by(result, *workers: str, minutes_ago: float = 5) -> DBTaskResult:
    """As if `workers` had each claimed it in turn, the last one `minutes_ago`."""
    row = _row(result)
    row.worker_ids = list(workers)
    row.status = TaskResultStatus.RUNNING
    row.started_at = timezone.now() - timedelta(minutes=minutes_ago)
    row.save()
    return row


def _beat(worker_id: str, seconds_ago: float) -> None:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerProcess.objects.create(worker_id=worker_id, host="test", pid=1, started_at=at, beat_at=at)


@pytest.fixture
def finished():
    seen = []

    def receive(sender, task_result, **kwargs):
        seen.append(task_result)

    task_finished.connect(receive)
    yield seen
    task_finished.disconnect(receive)


def test_a_task_waits_in_the_queue_until_a_worker_runs_it(db):
    RAN.clear()
    result = record.enqueue("hello")
    assert _row(result).status == TaskResultStatus.READY and RAN == []
    run_queued_tasks()
    row = _row(result)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "HELLO" and RAN == ["hello"]


def test_a_task_that_asks_to_retry_is_queued_again_later_and_failed_after_its_attempts(db, settings, finished):
    settings.JOBS_MAX_ATTEMPTS = 3
    result = mail_server_down.enqueue()
    for attempt in (1, 2):
        run_queued_tasks()
        row = _row(result)
        assert row.status == TaskResultStatus.READY and len(row.worker_ids) == attempt
        assert row.run_after > timezone.now() + timedelta(seconds=50)  # not straight away
        DBTaskResult.objects.filter(id=row.id).update(run_after=timezone.now())
    run_queued_tasks()
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "background.Retry"
    assert row.traceback == "the mail server did not answer"
    assert [r.id for r in finished] == [result.id]


def test_a_task_that_raises_fails_at_once_with_its_traceback(db, finished):
    result = broken.enqueue()
    run_queued_tasks()
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED and "ValueError: a bug" in row.traceback
    assert finished and finished[0].status == TaskResultStatus.FAILED


def test_a_worker_stopped_in_the_middle_of_a_task_puts_it_back_in_the_queue(db):
    result = stopped_midway.enqueue()
    with pytest.raises(SystemExit):
        run_queued_tasks()
    row = _row(result)
    assert row.status == TaskResultStatus.READY and row.started_at is None


def test_a_task_whose_worker_stopped_beating_is_tried_again(db, settings):
    settings.JOBS_STALL_AFTER_SECONDS = 60
    _beat("dead", seconds_ago=600)
    _beat("alive", seconds_ago=1)
    lost = _claimed_by(record.enqueue("lost"), "dead")
    never_beat = _claimed_by(record.enqueue("never"), "no-such-worker")
    busy = _claimed_by(record.enqueue("busy"), "alive")
    just_claimed = _claimed_by(record.enqueue("new"), "no-such-worker", minutes_ago=0)  # give it time

    assert recover_stalled() == {str(lost.id): "retried", str(never_beat.id): "retried"}
    assert _row(lost).status == TaskResultStatus.READY and _row(never_beat).status == TaskResultStatus.READY
    assert _row(busy).status == TaskResultStatus.RUNNING and _row(just_claimed).status == TaskResultStatus.RUNNING
    assert recover_stalled() == {}  # a second worker's recovery finds nothing more to do


def test_a_task_whose_worker_died_at_every_attempt_fails_with_a_reason(db, settings, finished):
    settings.JOBS_MAX_ATTEMPTS = 3
    row = _claimed_by(record.enqueue("cursed"), "first", "second", "third")
    assert recover_stalled() == {str(row.id): "failed"}
    row = _row(row)
    assert row.status == TaskResultStatus.FAILED and row.exception_class_path == "background.WorkerLost"
    assert row.traceback == "The worker running it stopped, 3 times"
    assert len(finished) == 1 and finished[0].errors[0].exception_class_path == "background.WorkerLost"


def test_a_worker_given_up_for_dead_cannot_overwrite_the_attempt_that_replaced_it(db):
    slow = _claimed_by(record.enqueue("slow"), "slow-worker")
    recover_stalled()
    replacement = _row(slow)
    replacement.claim("new-worker")
    worker = Worker(
        heartbeat=False,
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="slow-worker",
        excluded_queue_names=[],
    )
    assert not worker._still_ours(slow)  # the old attempt's started_at no longer matches
    assert worker._still_ours(replacement)


def test_the_heartbeat_says_the_worker_is_alive_and_which_task_it_runs(db):
    beats = []

    def receive(sender, task_result, **kwargs):
        beats.append(task_result.id)

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
    assert not workers_alive()
    worker.beat()
    assert workers_alive() and WorkerProcess.objects.get().task_id == ""
    worker.current = _claimed_by(record.enqueue("long"), worker.worker_id)
    task_heartbeat.connect(receive)
    try:
        worker.beat()
    finally:
        task_heartbeat.disconnect(receive)
    assert WorkerProcess.objects.get().task_id == str(worker.current.id) and beats == [str(worker.current.id)]


def test_a_periodic_task_is_enqueued_once_each_time_it_is_due_however_many_workers_ask(db, monkeypatch):
    monkeypatch.setattr(schedule, "_registry", {})
    schedule.every(hours=1)(record.using(priority=0))
    name = record.module_path
    now = timezone.now()
    assert schedule.enqueue_due(now) == [name]  # never run: due at once
    assert schedule.enqueue_due(now) == []  # a second worker, the same moment
    assert schedule.enqueue_due(now + timedelta(minutes=59)) == []
    assert schedule.enqueue_due(now + timedelta(minutes=61)) == [name]
    assert DBTaskResult.objects.filter(task_path=name).count() == 2
    assert PeriodicRun.objects.get(name=name).next_run_at == now + timedelta(minutes=61, hours=1)


def test_the_apps_periodic_tasks_are_registered():
    from arrangements import jobs  # noqa: F401
    from background import jobs as background_jobs  # noqa: F401

    names = {p.name for p in schedule.registered()}
    assert {
        "background.jobs.prune_task_results",
        "arrangements.jobs.fail_abandoned_imports",
        "arrangements.jobs.prune_import_files",
    } <= names


def test_old_task_results_are_pruned(db):
    from background.jobs import prune_task_results

    old, recent = record.enqueue("old"), record.enqueue("recent")
    run_queued_tasks()
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - timedelta(days=8))
    assert prune_task_results.call() == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [_row(recent).id]
