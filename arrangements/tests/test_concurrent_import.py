"""A long import on SQLite never locks other writers out: API writes made while it runs all
succeed, each waiting at most about one batch. Run in subprocesses against a SQLite file (the
embedded default), because the test database is in memory and one connection's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from accounts.models import User
from bench import arrangements
arrangements.ensure_generated(5)
moderator, _ = User.objects.get_or_create(username="moderator", defaults={"is_moderator": True})
print("RESULT " + json.dumps(arrangements.time_writes_during_import(6000, moderator, moderator)))
"""


def test_api_writes_during_a_long_import_are_never_refused_with_database_is_locked(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'register.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    manage("migrate", "-v0")
    manage("load_reference_data", "-v0")
    output = manage("shell", "-c", SCRIPT)
    result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])
    assert result["created"] == 6000
    assert result["writes"] >= 3  # the writes really overlapped the import
    assert result["failures"] == 0  # none answered 500 ("database is locked")
    # At most about one batch (half a second) each; 5 s leaves room for a slow, busy machine.
    # (A process's first request is made before the import starts: beside the import's check,
    # in the same interpreter, its one-off loading waited 6 s for the GIL, not the database.)
    assert result["max_wait"] < 5, result
