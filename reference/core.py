"""One rerunnable, idempotent importer core.

Each source is a small `Declaration`: which model, which fields identify a row, a
function that yields the rows, and which fields users maintain. `run` applies a list
of declarations in one transaction and reports what it created, updated, left
unchanged and removed. A dry run does all the work and then rolls it back, so what it
reports is exactly what a real run would do.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import models, transaction

BATCH_SIZE = 500


class ImportError_(Exception):
    """A source file is missing or malformed: the whole run is rolled back."""


@dataclass
class Context:
    """What declarations share during one run: the data folder and progress output."""

    data_dir: Any
    out: TextIO = sys.stdout
    verbose: bool = True
    cache: dict = field(default_factory=dict)

    def progress(self, label: str) -> Callable[[int, int], None]:
        """A callback that prints 'label: done/total' at most five times per step."""
        last = {"shown": -1}

        def report(done: int, total: int) -> None:
            if not self.verbose or not total:
                return
            tenth = done * 4 // total
            if tenth != last["shown"]:
                last["shown"] = tenth
                self.out.write(f"  {label}: {done}/{total} ({done * 100 // total}%)\n")
                self.out.flush()

        return report

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute something once per run (a parsed file, a lookup table)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass
class Declaration:
    name: str
    model: type[models.Model]
    key: tuple[str, ...]
    rows: Callable[[Context], Iterable[dict]]
    source: str = ""
    licence: str = ""
    # Fields users maintain: filled on create, never overwritten once a user edited them
    # (the model lists edited field names in `user_edited_fields`).
    user_maintained: tuple[str, ...] = ()
    # Remove rows in `scope` that the source no longer yields (derived tables).
    prune: bool = False
    scope: Callable[[], models.QuerySet] | None = None
    # Many-to-many fields set after the rows exist: {field: values in the row}.
    many_to_many: tuple[str, ...] = ()


@dataclass
class Result:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.name}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed ({self.seconds:.1f} s)"
        )


def _key(values: dict, key: tuple[str, ...]) -> tuple:
    return tuple(values[k] for k in key)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) <= 1e-9 * max(1.0, abs(old), abs(new))
    return old == new


def apply(declaration: Declaration, context: Context) -> Result:
    started = time.monotonic()
    result = Result(declaration.name)
    model = declaration.model
    queryset = declaration.scope() if declaration.scope else model._default_manager.all()
    existing = {}
    for obj in queryset:
        existing[tuple(getattr(obj, k) for k in declaration.key)] = obj

    to_create, to_update, seen, unchanged = [], [], set(), set()
    update_fields: set[str] = set()
    m2m_values: dict[tuple, dict[str, Any]] = {}
    for row in declaration.rows(context):
        row = dict(row)
        m2m = {name: row.pop(name) for name in declaration.many_to_many if name in row}
        key = _key(row, declaration.key)
        if key in seen:
            raise ImportError_(f"{declaration.name}: the source gives {key} twice")
        seen.add(key)
        if m2m:
            m2m_values[key] = m2m
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**row))
            continue
        edited = set(getattr(obj, "user_edited_fields", None) or ())
        changed = [
            name
            for name, value in row.items()
            if not (name in declaration.user_maintained and name in edited) and not _same(getattr(obj, name), value)
        ]
        for name in changed:
            setattr(obj, name, row[name])
        if changed:
            to_update.append(obj)
            update_fields.update(changed)
        else:
            unchanged.add(key)

    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH_SIZE)
    result.created, result.updated, result.unchanged = len(to_create), len(to_update), len(unchanged)
    if declaration.prune:
        stale = [obj.pk for key, obj in existing.items() if key not in seen]
        for start in range(0, len(stale), BATCH_SIZE):
            model._default_manager.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
        result.removed = len(stale)
    if m2m_values:
        _set_many_to_many(declaration, m2m_values, unchanged, result)
    result.seconds = time.monotonic() - started
    return result


def _set_many_to_many(declaration: Declaration, values: dict[tuple, dict], unchanged: set, result: Result) -> None:
    """Set many-to-many fields; a row whose only change is here counts as updated."""
    queryset = declaration.scope() if declaration.scope else declaration.model._default_manager.all()
    objects = {tuple(getattr(o, k) for k in declaration.key): o for o in queryset}
    for key, fields in values.items():
        obj = objects[key]
        for name, wanted in fields.items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != set(wanted):
                manager.set(wanted)
                if key in unchanged:  # counted unchanged above, but it did change
                    unchanged.discard(key)
                    result.unchanged -= 1
                    result.updated += 1


def run(declarations: Iterable[Declaration], context: Context, *, dry_run: bool = False) -> list[Result]:
    """Apply every declaration in one transaction: all of it lands, or none."""
    results = []
    with transaction.atomic():
        for declaration in declarations:
            if context.verbose:
                context.out.write(f"{declaration.name} ...\n")
                context.out.flush()
            result = apply(declaration, context)
            results.append(result)
            if context.verbose:
                context.out.write(f"  {result.line()}\n")
        if dry_run:
            transaction.set_rollback(True)
    return results
