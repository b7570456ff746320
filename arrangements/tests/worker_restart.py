"""The other side of test_worker_restart: run as its own process against the database in
DATABASE_URL, as a worker would be.

    python -m arrangements.tests.worker_restart prepare ROWS   # organisations, a user, a queued import
    python -m arrangements.tests.worker_restart watch JOB      # a JSON line of the job's state every 0.1 s
    python -m arrangements.tests.worker_restart report JOB     # the outcome, in one JSON line
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import time

PREFIX = "Restart test arrangement"
COLUMNS = (
    "title", "description", "service", "model", "status", "start_date", "end_date", "lead_organisation",
    "partner_organisations", "baseline_cost_gbp", "setup_cost_gbp", "annual_savings_expected_gbp",
    "annual_savings_achieved_gbp", "savings_year", "no_savings_reason", "source_url",
)  # fmt: skip


def import_file(names: list[str], rows: int, seed: int = 7) -> bytes:
    """A valid CSV of `rows` new arrangements between the named organisations (as bench/arrangements.py)."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    for i in range(rows):
        lead, *partners = rng.sample(names, 3)
        writer.writerow(
            {
                "title": f"{PREFIX} {i + 1}",
                "description": "Generated to stop a worker in the middle of it",
                "service": rng.choice(["legal", "hr", "ict", "waste", "procurement"]),
                "model": "joint committee",
                "status": "live",
                "start_date": str(rng.randint(2010, 2025)),
                "lead_organisation": lead,
                "partner_organisations": "; ".join(partners),
                "annual_savings_expected_gbp": str(rng.randint(10_000, 900_000)),
                "savings_year": "2024/25",
            }
        )
    return buffer.getvalue().encode()


def prepare(rows: int) -> dict:
    from accounts.models import User
    from arrangements import jobs
    from arrangements.models import ImportJob
    from tests import world

    world.build()
    world.load_service_list()
    names = [
        "Testshire County Council", "Northtown District Council", "Southvale District Council",
        "Testshire Fire and Rescue Authority", "Testshire Police",
    ]  # fmt: skip
    moderator = User.objects.create_user("restart.moderator", password="a-long-test-password-9", is_moderator=True)
    job = ImportJob.objects.create(user=moderator, filename="restart.csv", content=import_file(names, rows))
    jobs.start(job)
    return {"job": job.pk, "rows": rows}


def state(pk: int) -> dict:
    from django_tasks_db.models import DBTaskResult

    from arrangements.models import Arrangement, ImportJob

    job = ImportJob.objects.get(pk=pk)
    ours = Arrangement.objects.filter(title__startswith=PREFIX)
    task = DBTaskResult.objects.filter(id=job.task_id).first()
    return {
        "state": job.state,
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "attempts": job.attempts,
        "failure": job.failure,
        "report": job.report,
        "visible": Arrangement.objects.alive().filter(title__startswith=PREFIX).count(),
        "held": ours.filter(held_for_import__isnull=False).count(),
        "all": ours.count(),
        "distinct_titles": ours.values("title").distinct().count(),
        "task": task.status if task else None,
        "task_workers": len(task.worker_ids) if task else 0,
    }


def watch(pk: int, seconds: float = 120) -> None:
    from django.db import connection

    until = time.monotonic() + seconds
    while time.monotonic() < until:
        now = state(pk)
        print(json.dumps(now), flush=True)
        if now["state"] in ("done", "rejected", "failed"):
            return
        connection.close()  # a fresh read each time (SQLite's WAL: see the latest commit)
        time.sleep(0.1)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharewell.settings")
    import django

    django.setup()
    command, value = argv[1], int(argv[2])
    if command == "prepare":
        print(json.dumps(prepare(value)), flush=True)
    elif command == "watch":
        watch(value)
    elif command == "report":
        print(json.dumps(state(value)), flush=True)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv)
