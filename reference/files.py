"""Reading the reference files shipped in data/ (see data/SOURCES.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from reference.core import Context, ImportError_


def read_csv(context: Context, relative_path: str) -> list[dict[str, str]]:
    """Rows of a CSV file; several upstream files start with a byte-order mark."""
    path = Path(context.data_dir) / relative_path

    def load():
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return list(csv.DictReader(handle))
        except FileNotFoundError as error:
            raise ImportError_(f"Reference file missing: {path}") from error

    return context.remember(("csv", relative_path), load)


def read_json(context: Context, relative_path: str):
    path = Path(context.data_dir) / relative_path

    def load():
        try:
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError as error:
            raise ImportError_(f"Reference file missing: {path}") from error

    return context.remember(("json", relative_path), load)


def number(text: str | None) -> float | None:
    """A number, or None for blank cells: a missing value is never zero."""
    text = (text or "").strip()
    if text in ("", "NA", "n/a", "x", ".."):
        return None
    return float(text)
