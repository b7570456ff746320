"""`manage.py run_worker`: run background jobs (imports, and later emails and reports).

The library's `db_worker` options, with our worker (heartbeat, recovery, periodic tasks). Run one
or more per machine, on as many machines as you like, against the one database; stop one with
SIGTERM or Ctrl+C (it finishes the task in hand; a second signal stops it at once and the task
goes back in the queue).
"""

from __future__ import annotations

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands import db_worker

from background.worker import Worker, new_worker_id


class Command(db_worker.Command):
    help = "Run background jobs: imports, and the periodic tasks that are due (Ctrl+C to stop)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # Every queue by default; no reloading unless asked (the reloader's parent would outlive a
        # `make run` that stops it); a worker id that says which machine and process it is.
        parser.set_defaults(queue_name="*", reload=False, worker_id=None)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        ours = logging.getLogger("background")
        ours.setLevel({0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG))
        if not ours.hasHandlers():
            ours.addHandler(logging.StreamHandler(self.stdout))

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        # Each app's tasks and periodic tasks live in its jobs.py: import them all before starting.
        autodiscover_modules("jobs")
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
