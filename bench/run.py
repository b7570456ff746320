"""One database's benchmark run; see bench/__main__.py."""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharewell.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from organisations.models import Organisation  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ARRANGEMENTS = int(os.environ.get("BENCH_ARRANGEMENTS", "100000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
# Rows of the import during which API writes are timed (0 to skip): the 49,000.
CONCURRENT_ROWS = int(os.environ.get("BENCH_CONCURRENT_ROWS", "49000"))


def _ensure_database() -> None:
    if connection.vendor == "postgresql":
        _create_postgres_database()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)  # rerunnable: fast when nothing changed


def _create_postgres_database() -> None:
    import psycopg

    name = settings.DATABASES["default"]["NAME"]
    params = settings.DATABASES["default"]
    with psycopg.connect(
        host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname="postgres", autocommit=True
    ) as admin:
        if not admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            admin.execute(f'create database "{name}"')


def _time(client: Client, urls: list[str], rounds: int = ROUNDS) -> list[float]:
    timings = []
    for _ in range(rounds):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:  # a streamed download is made as it is read
                for _part in response.streaming_content:
                    pass
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return timings


def _report(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"  {label:<58} n={len(ordered):>5}  median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms")


def main() -> None:
    _ensure_database()
    client = Client()
    client.get("/")  # warm up
    codes = list(Organisation.objects.current().principal_councils().values_list("code", flat=True))
    print(
        f"\nDatabase: {connection.vendor} ({Organisation.objects.count()} organisations, "
        f"{len(codes)} current principal councils), {ROUNDS} rounds"
    )
    pages = [f"/organisations/?page={n}" for n in range(1, 12)]
    searches = [f"/organisations/?q={q}" for q in ("camb", "Cambs CC", "borough", "E08000038", "north", "fire")]
    filters = [f"/organisations/?nation={n}" for n in ("England", "Scotland", "Wales", "Northern Ireland")]
    filters += [f"/organisations/?org_type={t}&region=London" for t in ("LBO", "CC")]
    _report("directory page, pages 1-11", _time(client, pages))
    _report("directory page, name searches", _time(client, searches))
    _report("directory page, filters", _time(client, filters))
    _report("API list, searches", _time(client, [f"/api/v1/organisations?q={q}" for q in ("camb", "north", "fire")]))
    detail_urls = [f"/api/v1/organisations/{c}" for c in codes]
    _report("API organisation detail, all current councils", _time(client, detail_urls))
    _report("profile page, 60 councils", _time(client, [f"/organisations/{c}/" for c in codes[::7]]))
    _bench_arrangements(client)


def _bench_arrangements(client: Client) -> None:
    from accounts.models import User
    from arrangements.models import Arrangement
    from bench import arrangements

    generated = arrangements.ensure_generated(ARRANGEMENTS)
    # Fresh planner statistics, as PostgreSQL's autovacuum would gather soon after a bulk
    # load: without them it guessed 18 rows for 100,000 and a filtered page took 1 s.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Arrangement.objects.count()
    print(f"\nArrangements: {total:,} ({f'generated in {generated:.0f} s' if generated else 'already generated'})")
    filters = [
        "",
        "category=legal",
        "status=live&region=London",
        "organisation=CAM",
        "nation=Wales&model=joint_committee",
        "org_type=NMD&start_year=2016",
        "category=environment-waste&region=North+West&status=live",
    ]
    _report(
        "API arrangements, first page of 50, 7 filters", _time(client, [f"/api/v1/arrangements?{f}" for f in filters])
    )
    _report("API arrangements, page 200 of the unfiltered list", _time(client, ["/api/v1/arrangements?page=200"]))
    _report("table page /arrangements/, 7 filters", _time(client, [f"/arrangements/?{f}" for f in filters]))
    # The whole register, streamed a chunk at a time (`arrangements.exports`): once, as it takes a while.
    _report("download CSV, unfiltered", _time(client, ["/arrangements/download/csv/"], rounds=1))
    moderator, _ = User.objects.get_or_create(username="bench-moderator", defaults={"is_moderator": True})
    checked, saved = arrangements.time_import(IMPORT_ROWS, moderator)
    print(
        f"  import of {IMPORT_ROWS:,} rows: checked in {checked:.1f} s ({IMPORT_ROWS / checked:,.0f} rows/s), "
        f"checked and saved in {saved:.1f} s ({IMPORT_ROWS / saved:,.0f} rows/s)"
    )
    finder = arrangements.time_finder_refresh(moderator)
    print(
        f"  finder refresh after one edit: {finder['refresh'] * 1000:,.0f} ms "
        f"({'a full build' if finder['rebuilt'] else 'the track record only'}; "
        f"a full build took {finder['full']:.1f} s)"
    )
    if CONCURRENT_ROWS:
        figures = arrangements.time_writes_during_import(CONCURRENT_ROWS, moderator, moderator)
        print(
            f"  API writes during an import of {figures['created']:,} rows ({figures['import_seconds']:.0f} s): "
            f"{figures['writes']} writes, median wait {figures['median_wait'] * 1000:.0f} ms, longest "
            f"{figures['max_wait'] * 1000:.0f} ms, {figures['failures']} failed"
        )


if __name__ == "__main__":
    main()
