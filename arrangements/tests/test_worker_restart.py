"""An import survives its worker being killed (issue 13, Decided: SIGKILL in the middle of an import).

Real processes against a database they share: `manage.py run_worker` twice, and a watcher
(worker_restart.py) that reports the job's state. The database is a new SQLite file, or, when
DATABASE_URL points at PostgreSQL (CI's second run), a new database on that server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000  # a few seconds of saving: six batches, each its own transaction
FINISHED = ("done", "rejected", "failed")


@pytest.fixture
def shared_database(tmp_path):
    """The environment for processes sharing a fresh, migrated database."""
    url = os.environ.get("DATABASE_URL", "")
    dropper = None
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        config = environ.Env.db_url_config(url)
        name = f"sharewell_restart_{os.getpid()}"
        server = {
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')

        def dropper():
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        url = url.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "sharewell.settings",
        "DEBUG": "false",
        "JOBS_RUN_INLINE": "false",
        "JOBS_HEARTBEAT_SECONDS": "0.5",
        "JOBS_STALL_AFTER_SECONDS": "2",
        "JOBS_MAX_ATTEMPTS": "3",
        "PYTHONUNBUFFERED": "1",
    }
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
        )
        yield env
    finally:
        if dropper:
            dropper()


def _helper(env, *args) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "arrangements.tests.worker_restart", *map(str, args)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def _worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _until(watcher: subprocess.Popen, condition, seconds: float, logs) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = watcher.stdout.readline()
        if not line:
            break
        state = json.loads(line)
        if condition(state):
            return state
    raise AssertionError(f"Not reached in {seconds}s; last state {line!r}\n" + "\n".join(p.read_text() for p in logs))


def test_an_import_whose_worker_is_killed_is_finished_by_the_next_worker_never_left_running(shared_database, tmp_path):
    env = shared_database
    pk = _helper(env, "prepare", ROWS)["job"]
    logs = [tmp_path / "first-worker.log", tmp_path / "second-worker.log"]
    processes = [_worker(env, logs[0])]
    watcher = subprocess.Popen(
        [sys.executable, "-m", "arrangements.tests.worker_restart", "watch", str(pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    processes.append(watcher)
    try:
        # Some batches written, not all: kill the worker where it stands.
        _until(watcher, lambda s: s["stage"] == "Saving" and 0 < s["held"] < ROWS, 20, logs)
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait(timeout=10)
        killed = _helper(env, "report", pk)
        assert killed["state"] == "running" and killed["held"] > 0, killed  # it did die in the middle
        assert killed["visible"] == 0  # and nothing half-written shows

        processes.append(_worker(env, logs[1]))
        final = _until(watcher, lambda s: s["state"] in FINISHED, 40, logs)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    assert final["state"] in ("done", "failed"), final
    if final["state"] == "done":
        assert final["attempts"] == 2 and final["task_workers"] == 2 and final["task"] == "SUCCESSFUL"
        assert final["report"]["created"] == ROWS
        assert final["visible"] == final["all"] == final["distinct_titles"] == ROWS  # every row, once
    else:
        assert final["failure"] and final["task"] == "FAILED"
        assert final["all"] == 0  # nothing of it kept
    assert final["held"] == 0
