"""The register's version and what is cached against it (docs/decisions/0009-register-version.md).

Every write through `arrangements.writes` calls `bump()` inside its own transaction, so a
reader sees the new number exactly when it sees the new rows. Figures of the public
register (its counts, the map's counts by council) are kept in `RegisterCache` with the
number they were computed at and used only while it is still the current number: reading
one costs one indexed query, and the figure is never stale. Signed-in people who also see
drafts are given the public's figures put together with their drafts' counted live.

Each bump also records which arrangements the write changed (`RegisterChange`), so that each
worker's partner finder refreshes only their part of its matrices (docs/decisions/0010).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from arrangements.models import RegisterCache, RegisterChange, RegisterVersion

ROW = 1
# How long a `RegisterChange` is kept. A worker that has not looked at the changes for half
# of this rebuilds its partner finder from scratch, as it may have missed some.
CHANGES_KEPT = timedelta(days=1)


def current() -> int:
    return RegisterVersion.objects.filter(pk=ROW).values_list("number", flat=True).first() or 0


T = TypeVar("T")


def combined(parts: Callable[[], T], live: Callable[[], T]) -> T:
    """`parts()` puts a figure kept for the public register together with one counted now over
    someone's drafts. A write landing between those two reads could leave an arrangement in
    neither part, or in both (a draft published meanwhile); every write raises the version, so
    when it has moved the figure is counted `live()` instead: exact, and rare."""
    before = current()
    value = parts()
    return value if current() == before else live()


def bump(arrangements: Iterable[int] | None = None) -> None:
    """Call inside the write's transaction: every figure cached before it no longer counts.

    `arrangements`: the ids of the arrangements the write changed, for the partner finder's
    incremental refresh (docs/decisions/0010); an empty list when it changed nothing the
    finder's matrices hold (a signed-off saving, a contract); None (the default, the safe
    choice) when it may have changed anything: organisations, indicators, services."""
    if not RegisterVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        try:
            with transaction.atomic():
                RegisterVersion.objects.create(pk=ROW, number=1)
        except IntegrityError:  # another write made the row at the same moment
            RegisterVersion.objects.filter(pk=ROW).update(number=F("number") + 1)
    # What was cached can never be used again: keep the table small.
    RegisterCache.objects.all().delete()
    # Recorded after the version row is locked by the update above, so that concurrent writers
    # record their changes one after the other, each in its own transaction.
    ids = None if arrangements is None else sorted(set(arrangements))
    if ids != []:
        now = timezone.now()
        RegisterChange.objects.create(mark=uuid.uuid4().hex, made_at=now, arrangements=ids)
        RegisterChange.objects.filter(made_at__lt=now - CHANGES_KEPT).delete()


def change_marks() -> dict[str, Any]:
    """Every kept change's mark and when it was made (not what it changed: an import's list
    of ids can be long, and a reader needs only those of the changes it has not seen)."""
    return dict(RegisterChange.objects.values_list("mark", "made_at"))


def changed_arrangements(marks: Iterable[str]) -> dict[str, list[int] | None]:
    """What the changes with these marks changed: arrangement ids, or None for "anything"."""
    found: dict[str, list[int] | None] = {}
    marks = list(marks)
    for start in range(0, len(marks), 500):
        found.update(
            RegisterChange.objects.filter(mark__in=marks[start : start + 500]).values_list("mark", "arrangements")
        )
    return found


_HIT = (
    f"SELECT c.value FROM {connection.ops.quote_name(RegisterCache._meta.db_table)} c "
    f"JOIN {connection.ops.quote_name(RegisterVersion._meta.db_table)} v ON v.number = c.version "
    "WHERE v.id = %s AND c.key = %s"
)


def key_for(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(key: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value (JSON) as of the current version: one query when it is kept."""
    with connection.cursor() as cursor:
        cursor.execute(_HIT, [ROW, key])
        hit = cursor.fetchone()
    if hit is not None:
        return json.loads(hit[0]) if isinstance(hit[0], str) else hit[0]
    # The version is read before the figure: if a write lands in between, the figure is kept
    # under the older number, which no reader will match.
    version = current()
    value = compute()
    try:
        with transaction.atomic():
            RegisterCache.objects.create(key=key, version=version, value=value)
    except IntegrityError:  # kept at an older version (or by another worker just now): replace it
        RegisterCache.objects.filter(key=key, version__lt=version).update(version=version, value=value)
    return value
