"""Background jobs: django-tasks' database queue, run by `manage.py run_worker`.

Ground: imports no app. What it adds to the library (docs/decisions/0003-background-jobs.md):
a heartbeat for every worker, recovery of tasks whose worker died (tried again, or failed with a
reason), `Retry` for a task to ask for another attempt, and a scheduler for periodic tasks that
the workers run. Each app keeps its tasks in its `jobs.py`, which the worker imports at start.

Tasks use the `django.tasks` API (Django 6), backported by `django-tasks` on Django 5.2:
`@task` on a module-level function, `.enqueue(...)` to queue it, `.get_result(id)` to look.
"""

from __future__ import annotations


class Retry(Exception):
    """Raised by a task to be run again later (a database blip, a mail server down) rather than
    fail. After JOBS_MAX_ATTEMPTS attempts the task fails with `reason`."""

    def __init__(self, reason: str, *, after: float = 30.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped reporting (killed, or its machine lost) too often."""
