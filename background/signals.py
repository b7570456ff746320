"""Signals a task's own app can listen to.

`task_finished` is the library's own (Django 6's `django.tasks.signals.task_finished` there), also
sent when recovery gives a task up: its result is then FAILED with a `background.WorkerLost` error.
`task_heartbeat` is sent by a worker's heartbeat thread, every JOBS_HEARTBEAT_SECONDS, for the task
it is running: an app can mark its own record of the work as still alive.
"""

from django.dispatch import Signal
from django_tasks_db.compat import task_finished

task_heartbeat = Signal()  # sender: the Worker class; task_result: the running task's result

__all__ = ["task_finished", "task_heartbeat"]
