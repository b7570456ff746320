"""Benchmark data for the register of arrangements: generated only for `make bench`.

The generated rows are marked (title prefix) and never shipped or loaded by `make run`.
"""

from __future__ import annotations

import csv
import io
import random
import time

from django.db import transaction

from arrangements import importing
from arrangements.models import Arrangement, DeliveryModel, LedgerEntry, Partnership, Status
from organisations.models import Organisation
from services.models import Service, ServiceCategory

PREFIX = "Benchmark arrangement"
# The old template's columns, which every version of the import reads: the same file can be
# timed before and after a change to the import.
COLUMNS = (
    "title",
    "description",
    "service",
    "model",
    "status",
    "start_date",
    "end_date",
    "lead_organisation",
    "partner_organisations",
    "baseline_cost_gbp",
    "setup_cost_gbp",
    "annual_savings_expected_gbp",
    "annual_savings_achieved_gbp",
    "savings_year",
    "no_savings_reason",
    "source_url",
)
BATCH = 5000


def ensure_generated(count: int, seed: int = 20261122) -> float:
    """Create `count` generated arrangements unless they exist; returns seconds taken."""
    existing = Arrangement.objects.filter(title__startswith=PREFIX).count()
    if existing >= count:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(seed + existing)
    councils = list(Organisation.objects.current().principal_councils().values_list("id", flat=True))
    categories = list(ServiceCategory.objects.values_list("id", flat=True))
    services = list(Service.objects.values_list("id", "category_id"))
    statuses = [s for s, _ in Status.choices]
    models = [m for m, _ in DeliveryModel.choices]
    for start in range(existing, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            arrangements = Arrangement.objects.bulk_create(
                [
                    Arrangement(
                        title=f"{PREFIX} {start + i + 1}",
                        title_key=f"benchmark arrangement {start + i + 1}",
                        description="Generated for the benchmark",
                        delivery_model=rng.choice(models),
                        status=rng.choice(statuses),
                        start_year=rng.randint(2005, 2026),
                        published=True,
                    )
                    for i in range(size)
                ]
            )
            partnerships, service_links, category_links, savings = [], [], [], []
            for arrangement in arrangements:
                for n, org_id in enumerate(rng.sample(councils, rng.randint(2, 4))):
                    partnerships.append(
                        Partnership(
                            arrangement=arrangement, organisation_id=org_id, role="lead" if n == 0 else "member"
                        )
                    )
                service_id, category_id = rng.choice(services)
                service_links.append(Arrangement.services.through(arrangement_id=arrangement.pk, service_id=service_id))
                for cat in {category_id, rng.choice(categories)}:
                    category_links.append(
                        Arrangement.categories.through(arrangement_id=arrangement.pk, servicecategory_id=cat)
                    )
                if rng.random() < 0.7:
                    year = rng.randint(2010, 2025)
                    expected = rng.random() < 0.5
                    savings.append(
                        LedgerEntry(
                            arrangement=arrangement,
                            measure="expected_saving" if expected else "achieved_saving",
                            basis="planned" if expected else "actual",
                            standing="expected" if expected else "reported",
                            period=f"{year}/{str(year + 1)[-2:]}",
                            period_first=year,
                            period_last=year,
                            amount=rng.randint(10_000, 5_000_000),
                        )
                    )
            Partnership.objects.bulk_create(partnerships, batch_size=BATCH)
            Arrangement.services.through.objects.bulk_create(service_links, batch_size=BATCH)
            Arrangement.categories.through.objects.bulk_create(category_links, batch_size=BATCH)
            LedgerEntry.objects.bulk_create(savings, batch_size=BATCH)
    return time.perf_counter() - started


def import_file(rows: int, seed: int = 7) -> bytes:
    """A valid CSV of `rows` arrangements naming councils in everyday words."""
    rng = random.Random(seed)
    names = list(Organisation.objects.current().principal_councils().values_list("official_name", flat=True))
    categories = ["legal", "hr", "ict", "waste", "revenues and benefits", "procurement", "building control"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for i in range(rows):
        lead, *partners = rng.sample(names, 3)
        writer.writerow(
            {
                "title": f"Imported benchmark arrangement {i + 1}",
                "description": "Generated for the benchmark",
                "service": rng.choice(categories),
                "model": "joint committee",
                "status": "live",
                "start_date": str(rng.randint(2010, 2025)),
                "end_date": "",
                "lead_organisation": lead,
                "partner_organisations": "; ".join(partners),
                "baseline_cost_gbp": str(rng.randint(100_000, 9_000_000)),
                "setup_cost_gbp": "",
                "annual_savings_expected_gbp": str(rng.randint(10_000, 900_000)),
                "annual_savings_achieved_gbp": "",
                "savings_year": "2024/25",
                "no_savings_reason": "",
                "source_url": "",
            }
        )
    return buffer.getvalue().encode()


def time_import(rows: int, moderator) -> tuple[float, float]:
    """(seconds to check, seconds to check and save) for a file of `rows`. The save is real
    (batches, each its own transaction, as on the site); what it wrote is deleted after."""
    content = import_file(rows)
    started = time.perf_counter()
    report = importing.run(content, "bench.csv", moderator, dry_run=True)
    checked = time.perf_counter() - started
    assert not report.problems, report.problems[:3]
    started = time.perf_counter()
    report = importing.run(content, "bench.csv", moderator)
    saved = time.perf_counter() - started
    assert report.created == rows, report.problems[:3]
    Arrangement.objects.filter(title__startswith="Imported benchmark arrangement").delete()
    return checked, saved


def time_writes_during_import(rows: int, moderator, writer) -> dict:
    """Import `rows` in a thread while `writer` changes one arrangement through the API every
    0.2 s: how long each write waited, and whether any failed (SQLite's "database is locked")."""
    import threading

    from django.db import connection
    from django.test import Client

    from accounts.models import ApiToken

    content = import_file(rows, seed=11)
    target = Arrangement.objects.filter(title__startswith=PREFIX).order_by("pk").first()
    _token, secret = ApiToken.issue(writer, "bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    done = threading.Event()
    result: dict = {}
    # One write first, not timed: a process's first request loads the API's routes and schemas
    # (0.8 s), and done beside the import's check, in the same interpreter, it waited for the
    # check's share of the GIL (6 s on a slow machine), not for the database.
    warm = client.patch(f"/api/v1/arrangements/{target.pk}", {"notes": "warm"}, content_type="application/json")
    if warm.status_code != 200:
        raise RuntimeError(f"The benchmark's first write was refused: {warm.status_code} {warm.content[:300]!r}")

    def run_import():
        started = time.perf_counter()
        result["report"] = importing.run(content, "concurrent.csv", moderator)
        result["seconds"] = time.perf_counter() - started
        connection.close()
        done.set()

    thread = threading.Thread(target=run_import)
    thread.start()
    waits, failures, turn, began = [], 0, 0, time.perf_counter()
    slow = []
    while not done.is_set():
        turn += 1
        started = time.perf_counter()
        change = {"notes": f"write {turn}", "no_savings_reason": "benchmark"}
        response = client.patch(f"/api/v1/arrangements/{target.pk}", change, content_type="application/json")
        waits.append(time.perf_counter() - started)
        if waits[-1] > 1:
            slow.append((round(started - began, 1), round(waits[-1], 1)))
        failures += response.status_code >= 500
        time.sleep(0.2)
    thread.join()
    Arrangement.objects.filter(title__startswith="Imported benchmark arrangement").delete()
    return {
        "import_seconds": result["seconds"],
        "created": result["report"].created,
        "writes": len(waits),
        "failures": failures,
        "max_wait": max(waits, default=0.0),
        "median_wait": sorted(waits)[len(waits) // 2] if waits else 0.0,
        "slow": slow,
    }


def time_finder_refresh(moderator) -> dict:
    """The partner finder's matrices built from scratch, then refreshed after one edit of a
    published arrangement (its status, through the write path): seconds for each."""
    from arrangements import writes
    from partners import services

    services._cache.clear()
    started = time.perf_counter()
    before = services.matching_data()
    full = time.perf_counter() - started
    target = Arrangement.objects.published().filter(title__startswith=PREFIX).order_by("pk").first()
    status = Status.LIVE if target.status != Status.LIVE else Status.UNDER_REVIEW
    outcome = writes.change(moderator, target, {"status": status}, writes.api(), partial=True)
    if not outcome.ok:
        raise RuntimeError(f"The benchmark's edit was refused: {outcome.problems}")
    started = time.perf_counter()
    after = services.matching_data()
    refresh = time.perf_counter() - started
    # The organisations' arrays are the same objects after a refresh, new ones after a build.
    return {"full": full, "refresh": refresh, "rebuilt": after.codes is not before.codes}
