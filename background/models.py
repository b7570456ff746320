from django.db import models


class WorkerProcess(models.Model):
    """A running `run_worker` process. Its heartbeat thread renews `beat_at` whatever the task in
    hand is doing, so a worker that has not beaten for JOBS_STALL_AFTER_SECONDS has died, and the
    task it held is tried again (background.worker.recover_stalled)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task it is running, if any")

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host}"


class PeriodicRun(models.Model):
    """When a periodic task is next due. Workers claim a due run with one conditional update, so
    however many workers there are, each run is enqueued once."""

    name = models.CharField(max_length=255, primary_key=True, help_text="The task's module path")
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
