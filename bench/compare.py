"""`make bench`, first part: the register's list under load, against Datasette, at several sizes.

For each size (1,000, 10,000 and 100,000 generated arrangements; 1,000,000 too with
BENCH_MILLION=1, whose generation takes a long while) the bench's SQLite file is served by
Sharewell under gunicorn with 2 workers and by Datasette (read-only, immutable) at the same
time, and `wrk -t2 -c16` drives each of the issue's four queries (the first page of 50 with
its total) against each server in turn, for BENCH_SECONDS each. It prints requests per
second, the ratio Sharewell/Datasette, and Sharewell's median and p95 server time (its
`Server-Timing` header; the load generator shares the cores). Sharewell keeps the public
list's pages against the register version; the same queries are then run again with
nothing kept (REGISTER_PAGE_CACHE_SIZE=0), which is what the scale table shows. Then the dashboard, the map
and a warm partner-finder API query, one at a time. With a local PostgreSQL (or
BENCH_POSTGRES=<url>) the same scale table is measured there (Datasette serves SQLite only).
"""

from __future__ import annotations

import concurrent.futures
import functools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")] + (
    [1_000_000] if os.environ.get("BENCH_MILLION") else []
)
SQLITE_FILE = ROOT / "bench-scale.sqlite3"
KEY = "bench-only-key-not-secret-5e1f0c9d8b7a"
SHAREWELL_PORT, DATASETTE_PORT = 8765, 8766
QUERIES = [
    ("unfiltered", "", ""),
    (
        "one service category",
        "category=legal",
        "_where=id+in+(select+arrangement_id+from+"
        "arrangements_arrangement_categories+where+servicecategory_id={legal})",
    ),
    ("status and start year", "status=live&start_year=2016", "status=live&start_year=2016"),
    (
        "one partner organisation",
        "organisation=CAM",
        "_where=id+in+(select+arrangement_id+from+arrangements_partnership+where+organisation_id={cam})",
    ),
]
# What Sharewell's public list shows: published, not deleted, not held by an import; newest first.
DATASETTE_BASE = "published=1&deleted_at__isnull=1&held_for_import_id__isnull=1&_size=50&_sort_desc=start_year"


def _env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": KEY,
        "DJANGO_SETTINGS_MODULE": "sharewell.settings",
    }


def prepare(url: str, size: int) -> dict:
    """Generate up to `size` arrangements (in a child process, with Django set up there)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.compare_prepare", str(size)],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _wait(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server for {url} stopped")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def start_sharewell(url: str, keep_pages: bool = True) -> subprocess.Popen:
    env = {**_env(url), "WEB_CONCURRENCY": "2", "PORT": str(SHAREWELL_PORT), "BIND_ADDRESS": "127.0.0.1"}
    env["GUNICORN_TIMEOUT"] = "600"  # a cold first request at a million rows may take minutes
    # A worker builds the finder's matrices in a thread as it starts (gunicorn.conf.py), which at
    # a million rows takes minutes of the same interpreter: the list would be timed beside it.
    # Here the finder is built by its first query instead, and timed warm.
    env["FINDER_WARM_AT_START"] = "false"
    if not keep_pages:
        env["REGISTER_PAGE_CACHE_SIZE"] = "0"
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "sharewell.wsgi", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped whole
    )
    _wait(f"http://127.0.0.1:{SHAREWELL_PORT}/api/v1/arrangements?page_size=1", process)
    return process


def start_datasette() -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(BIN / "datasette"),
            "serve",
            "-i",  # immutable: read-only, as the issue asks
            str(SQLITE_FILE),
            "--port",
            str(DATASETTE_PORT),
            "--host",
            "127.0.0.1",
            "--setting",
            "suggest_facets",
            "off",  # its fastest table pages: the comparison is with Datasette at its best
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, stopped whole
    )
    _wait(f"http://127.0.0.1:{DATASETTE_PORT}/-/versions.json", process)
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a server and its workers: a worker busy for minutes (the finder's first build at a
    million rows) outlived its master's kill and kept the port, so the next server could not start."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wrk(url: str) -> dict:
    """`wrk -t2 -c16` for SECONDS: requests per second, and the server times it was given."""
    with urllib.request.urlopen(url, timeout=60) as response:  # warm: counts kept, pages compiled
        response.read()
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "-s", str(ROOT / "bench" / "server_timing.lua"), url],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    if not rate:
        raise SystemExit(f"wrk gave no rate for {url}: {out.stdout[-500:]} {out.stderr[-500:]}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    timings = [float(x) for x in re.findall(r"^ST ([\d.]+)$", out.stdout, re.M)]
    return {"rate": float(rate.group(1)), "timings": timings, "errors": int(errors.group(1)) if errors else 0}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def server_times(url: str, n: int = 10, warm: int = 4, session: str = "") -> tuple[float, float]:
    """Median and p95 of the Server-Timing of `n` requests one after another, after `warm`
    (signed in with `session`, a session key, when given)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"} if session else {})

    def once() -> float:
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            return float(re.search(r"dur=([\d.]+)", response.headers.get("Server-Timing", "")).group(1))

    # Warmed two at a time, so that each of the two (sync) workers answers while the other is
    # busy: one after another, one worker could take every warming request.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for _ in range(warm):
            list(pool.map(lambda _: once(), range(2)))
    times = [once() for _ in range(n)]
    return statistics.median(times), percentile(times, 0.95)


def _or_failed(measure, url: str) -> tuple[float, float]:
    """A page that answers with an error is reported as such (nan), not the end of the bench."""
    try:
        return measure(url)
    except urllib.error.HTTPError as error:
        print(f"  {url} answered {error.code}")
    except (urllib.error.URLError, TimeoutError) as error:
        print(f"  {url} gave no answer: {error}")
    return float("nan"), float("nan")


def run(url: str, with_datasette: bool) -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\n== {url.split('://')[0]} ==  ({uptime})")
    scale = []
    for size in SIZES:
        facts = prepare(url, size)
        sharewell = start_sharewell(url)
        datasette = start_datasette() if with_datasette else None
        try:
            rows = []
            for label, ours, theirs in QUERIES:
                mine = wrk(
                    f"http://127.0.0.1:{SHAREWELL_PORT}/api/v1/arrangements?page_size=50{'&' + ours if ours else ''}"
                )
                row = {"label": label, "mine": mine}
                if datasette:
                    query = theirs.format(**facts)
                    row["theirs"] = wrk(
                        f"http://127.0.0.1:{DATASETTE_PORT}/{SQLITE_FILE.stem}/arrangements_arrangement.json?"
                        f"{DATASETTE_BASE}{'&' + query if query else ''}"
                    )
                rows.append(row)
            pages = {
                name: _or_failed(functools.partial(server_times, warm=warm), f"http://127.0.0.1:{SHAREWELL_PORT}{path}")
                for name, path, warm in (
                    ("dashboard", "/dashboard/", 4),
                    ("map", "/map/", 4),
                    # Each of the two workers builds the finder's matrices on its first query.
                    ("finder API (warm)", "/api/v1/partners?organisation=CAM&service=legal", 4),
                )
            }
            # A moderator sees a draft: the public's figures, kept, with the drafts counted live.
            for name, path in (("dashboard, live", "/dashboard/"), ("map, live", "/map/")):
                pages[name] = _or_failed(
                    functools.partial(server_times, n=5, warm=1, session=facts["session"]),
                    f"http://127.0.0.1:{SHAREWELL_PORT}{path}",
                )
        finally:
            stop(sharewell)
            if datasette:
                stop(datasette)
        # The same queries with no page kept: what the lean path itself does on every request.
        sharewell = start_sharewell(url, keep_pages=False)
        try:
            for row, (_label, ours, _theirs) in zip(rows, QUERIES, strict=True):
                row["unkept"] = wrk(
                    f"http://127.0.0.1:{SHAREWELL_PORT}/api/v1/arrangements?page_size=50{'&' + ours if ours else ''}"
                )
        finally:
            stop(sharewell)
        print(
            f"\n{facts['arrangements']:,} arrangements ({facts['generated']}), wrk -t2 -c16 -d{SECONDS}s, "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        header = f"  {'first page of 50 with its total':<28} {'Sharewell r/s':>13} {'p50 ms':>7} {'p95 ms':>7}"
        print(
            header
            + (f" {'Datasette r/s':>13} {'ratio':>6}" if with_datasette else "")
            + f" | nothing kept: {'r/s':>7} {'p95 ms':>7}"
        )
        for row in rows:
            mine = row["mine"]
            line = (
                f"  {row['label']:<28} {mine['rate']:>13.1f} {percentile(mine['timings'], 0.5):>7.1f} "
                f"{percentile(mine['timings'], 0.95):>7.1f}"
            )
            if "theirs" in row:
                theirs = row["theirs"]["rate"]
                # At a million rows Datasette may finish no request in the run (its count is slow).
                ratio = f"{mine['rate'] / theirs:>6.2f}" if theirs else f"{'none':>6}"
                line += f" {theirs:>13.1f} {ratio}"
            line += f" | {'':>14}{row['unkept']['rate']:>7.1f} {percentile(row['unkept']['timings'], 0.95):>7.1f}"
            if mine["errors"] or row.get("theirs", {}).get("errors"):
                line += f"  (non-200 answers: {mine['errors']} / {row.get('theirs', {}).get('errors', 0)})"
            print(line)
        for name, (median, p95) in pages.items():
            print(f"  {name:<28} server time median {median:8.1f} ms, p95 {p95:8.1f} ms (one request at a time)")
        scale.append((facts["arrangements"], [percentile(r["unkept"]["timings"], 0.95) for r in rows], pages))
    print(
        f"\nScale ({url.split('://')[0]}): p95 server time, ms "
        "(the list under load with no page kept; the pages one at a time)"
    )
    print(
        f"  {'arrangements':>12} "
        + " ".join(f"{label[:14]:>14}" for label, _o, _t in QUERIES)
        + f" {'dashboard':>10} {'map':>8} {'finder':>8} {'dash live':>10} {'map live':>9}"
    )
    for count, p95s, pages in scale:
        print(
            f"  {count:>12,} "
            + " ".join(f"{p:>14.1f}" for p in p95s)
            + f" {pages['dashboard'][1]:>10.1f} {pages['map'][1]:>8.1f} {pages['finder API (warm)'][1]:>8.1f}"
            + f" {pages['dashboard, live'][1]:>10.1f} {pages['map, live'][1]:>9.1f}"
        )


def _postgres_url() -> str | None:
    explicit = os.environ.get("BENCH_POSTGRES")
    if explicit is not None:
        return explicit or None
    from bench.__main__ import _postgres_answers

    return "postgres://root@127.0.0.1:5432/sharewell_bench_scale" if _postgres_answers() else None


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk; make bench installs it)")
    run(f"sqlite:///{SQLITE_FILE}", with_datasette=True)
    postgres = _postgres_url()
    if postgres:
        run(postgres, with_datasette=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
