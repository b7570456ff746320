"""`make bench`: server time per request on the full register, median and p95.

Each database in BENCH_DATABASES (comma-separated URLs; default: a SQLite file, plus
the local PostgreSQL if one answers) is migrated and loaded with the reference data,
then every scenario is requested through Django's full stack (middleware, view,
template or JSON) in this process, so the figures are server time without network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


BENCH_KEY = "bench-only-key-not-secret-5e1f0c9d8b7a"


def main() -> int:
    databases = [u for u in os.environ.get("BENCH_DATABASES", "").split(",") if u]
    if not databases:
        databases = [f"sqlite:///{ROOT / 'bench.sqlite3'}"]
        if _postgres_answers():
            databases.append("postgres://root@127.0.0.1:5432/sharewell_bench")
    status = 0
    for url in databases:
        # DEBUG off, as on a server; a key of its own, as settings.py asks then.
        env = {"SECRET_KEY": BENCH_KEY, **os.environ, "DATABASE_URL": url, "DEBUG": "false"}
        status |= subprocess.call([sys.executable, "-m", "bench.run"], cwd=ROOT, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main())
