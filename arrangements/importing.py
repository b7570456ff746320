"""Bulk import of arrangements from CSV or XLSX: one core behind the command, the upload
page and the demo loader, writing through the one write path (`arrangements.writes`).

Every problem names its row and column; a file with any problem writes nothing; a
check-only run reports what would change. A row whose title and lead organisation match
an existing arrangement changes that arrangement (only if you may change it), with the
columns the file has: money columns add or replace the figures for their periods and
keep the rest. Rows are all checked first; then new arrangements are written in short
batches, hidden until the last batch is in, so other people's writes wait at most one
batch and readers never see half an import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction

from arrangements import permissions, spec, writes
from arrangements.models import Arrangement, ImportJob, Measure
from arrangements.parsing import Context, Parsed, parse
from arrangements.versions import snapshot
from engines.ledger import PeriodError, financial_year_ending, parse_period
from sharewell.problems import Problem

MAX_ROWS = 50_000
MAX_CELL = 100_000  # characters in one cell: far beyond any field's own limit, but bounded
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to more
BATCH = 500  # rows written per transaction: about half a second of the write lock
# SQLite's busy handler sleeps up to 100 ms between tries: without a pause this long between
# batches, a waiting writer can lose every race to the next batch (a web write waited 10 s
# during a 20,000-row import). PostgreSQL locks rows, not the database, so it needs none.
SQLITE_PAUSE = 0.12

TEMPLATE_EXAMPLE = {
    "title": "Example: Cambridgeshire and Peterborough shared legal service",
    "description": "One legal team serving both councils and the fire authority, hosted by Cambridgeshire.",
    "kind": "shared service",
    "source_url": "https://www.example.org/committee-report",
    "source_citation": "Cabinet report, 12 March 2019",
    "lead_organisation": "Cambridgeshire County Council",
    "partner_organisations": "Peterborough City Council; Cambridgeshire and Peterborough Fire Authority",
    "service": "legal",
    "model": "lead authority delegation",
    "status": "live",
    "start_date": "2019-04-01",
    "end_date": "",
    "no_savings_reason": "",
    "non_financial_benefits": "Cover for specialist work that neither council could staff alone",
    "governance_notes": "Delegation agreement; a joint board of both councils meets quarterly",
    "has_exit_strategy": "yes",
    "exit_strategy": "Either council may leave with twelve months' notice",
    "has_contingency_plan": "not known",
    "contingency_plan": "",
    "contact_name": "",
    "contact_email": "",
    "notes": "Replace this example row with your own.",
    "baseline_cost 2018/19": "2400000",
    "one_off_cost 2019/20": "150000",
    "expected_saving 2019/20": "200000",
    "expected_saving 2020/21": "300000",
    "achieved_saving 2019/20": "180000",
}
_MEASURES = "|".join(m.value for m in Measure)
_MONEY_COLUMN = re.compile(rf"^({_MEASURES})(?:\s+(planned|actual))?(?:\s+(staff|other))?\s+(\S.*)$")


def template_columns() -> tuple[str, ...]:
    money = [c for c in TEMPLATE_EXAMPLE if _MONEY_COLUMN.match(c)]
    return (*spec.import_columns(), *money)


@dataclass
class Report:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)  # what would be (or was) created or changed
    created: int = 0
    updated: int = 0
    held: int = 0  # changes waiting for a moderator
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


# --- reading files ------------------------------------------------------------------


class FileProblem(Exception):
    pass


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as dicts of text, from CSV (UTF-8, with or without BOM) or XLSX; refuses a file
    over the row limit before reading its rows."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem("The file is not UTF-8 text: save it as “CSV UTF-8” and try again") from error
        csv.field_size_limit(MAX_CELL)
        reader = csv.DictReader(io.StringIO(text))
        rows = []
        try:
            for row in reader:
                if len(rows) >= MAX_ROWS:
                    raise FileProblem(
                        f"The file has more than {MAX_ROWS:,} rows of data; the limit is {MAX_ROWS:,}: "
                        "split it into several files"
                    )
                rows.append(_clean(row))
        except csv.Error as error:
            raise FileProblem(
                f"Row {reader.line_num}: a cell is longer than {MAX_CELL:,} characters, or the file "
                f"is not a CSV ({error})"
            ) from error
        return rows
    raise FileProblem("The file must be a CSV or an Excel (.xlsx) file")


def _read_xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise FileProblem("The Excel file could not be read: is it a .xlsx workbook?") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(
            f"The Excel file unpacks to {unpacked // 2**20:,} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 2**20:,} MB: save it as CSV, or split it"
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem("The Excel file could not be read: is it a .xlsx workbook?") from error
    try:
        sheet = workbook.worksheets[0]
        # The sheet says how many rows it has before any is read: refuse a huge one at once.
        claimed = sheet.max_row or 0
        if claimed > MAX_ROWS + 1:
            raise FileProblem(
                f"The sheet has {claimed - 1:,} rows of data; the limit is {MAX_ROWS:,}: split it into several files"
            )
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        result = []
        for values in rows:
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(result) >= MAX_ROWS:
                raise FileProblem(f"The sheet has more than {MAX_ROWS:,} rows of data; the limit is {MAX_ROWS:,}")
            result.append(_clean({h: _cell(v) for h, v in zip(header, values, strict=False) if h}))
    finally:
        workbook.close()
    return result


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _clean(row: dict) -> dict[str, str]:
    return {
        " ".join((k or "").strip().lower().split()): (v or "").strip() if isinstance(v, str) else ""
        for k, v in row.items()
        if k is not None
    }


# --- rows to records ---------------------------------------------------------------------


def _columns_by_field() -> dict[str, list[str]]:
    return {f.name: [f.import_column, *f.aliases] for f in spec.FIELDS if f.in_import}


class RowReader:
    """Turns one row of text into the write path's plain record, remembering which column
    each money entry came from so that problems name it."""

    def __init__(self, header: list[str]):
        self.header = header
        self.columns = _columns_by_field()
        self.present = {name for name, cols in self.columns.items() if any(c in header for c in cols)}
        self.money = [(c, m) for c in header if (m := _MONEY_COLUMN.match(c))]
        self.legacy = [c for c in spec.LEGACY_MONEY_COLUMNS if c in header]
        if self.money or self.legacy:
            self.present.add("ledger")

    def unknown_columns(self) -> list[str]:
        known = {c for cols in self.columns.values() for c in cols} | {spec.SOURCE_CITATION_COLUMN}
        known |= set(spec.LEGACY_MONEY_COLUMNS)
        return [c for c in self.header if c and c not in known and not _MONEY_COLUMN.match(c)]

    def read(self, row: dict[str, str]) -> tuple[dict[str, Any], list[str], list[Problem]]:
        raw: dict[str, Any] = {}
        for name, cols in self.columns.items():
            value = next((row[c] for c in cols if c in row), None)
            if value is not None:
                raw[name] = value
        if "sources" in raw or spec.SOURCE_CITATION_COLUMN in row:
            url, citation = raw.pop("sources", ""), row.get(spec.SOURCE_CITATION_COLUMN, "")
            raw["sources"] = [{"url": url, "citation": citation}] if url or citation else []
        if not raw.get("kind"):
            raw["kind"] = spec.BY_NAME["kind"].import_default
        ledger, origins, problems = self._ledger(row)
        if "ledger" in self.present:
            raw["ledger"] = ledger
        return raw, origins, problems

    def _ledger(self, row: dict[str, str]) -> tuple[list[dict], list[str], list[Problem]]:
        entries: dict[tuple, dict] = {}
        origins: dict[tuple, str] = {}
        problems: list[Problem] = []
        for column, match in self.money:
            value = row.get(column, "")
            if not value:
                continue
            measure, basis, part, period = match.groups()
            standing = "expected" if basis == "planned" or measure == Measure.EXPECTED_SAVING else None
            key = (measure, standing, period)
            entry = entries.setdefault(key, {"period": period, "measure": measure, "standing": standing})
            entry[part or "amount"] = value
            origins.setdefault(key, column)
        self._legacy(row, entries, origins, problems)
        keys = list(entries)
        return [entries[k] for k in keys], [origins[k] for k in keys], problems

    def _legacy(self, row: dict[str, str], entries: dict, origins: dict, problems: list[Problem]) -> None:
        """The old template's single-year money columns, read as ledger entries."""
        if not self.legacy:
            return
        start = _start_year(row.get("start_date", ""))

        def add(measure: str, period: str | None, column: str, standing: str | None = None, **amounts):
            if not any(amounts.values()):
                return
            if not period:
                problems.append(
                    Problem(
                        column,
                        "period_required",
                        f"Give the year {column} refers to"
                        + (
                            " in a baseline_year column, or a start date"
                            if "baseline" in column
                            else ": a start date or a savings_year"
                        ),
                        column=column,
                        value=row.get(column, ""),
                    )
                )
                return
            key = (measure, standing, period)
            for other in entries.values():
                # A cumulative total for exactly the years of the annual figure restates it.
                if (
                    (other["measure"], other.get("standing")) == (measure, standing)
                    and _same_period(other["period"], period)
                    and other.get("amount") == amounts.get("amount")
                ):
                    return
            entries[key] = {
                "period": period,
                "measure": measure,
                "standing": standing,
                **{k: v for k, v in amounts.items() if v},
            }
            origins[key] = column

        add(
            Measure.BASELINE_COST,
            row.get("baseline_year") or (str(start - 1) if start else None),
            "baseline_cost_gbp",
            amount=row.get("baseline_cost_gbp", ""),
        )
        add(
            Measure.ONE_OFF_COST,
            str(start) if start else row.get("savings_year"),
            "setup_cost_gbp",
            amount=row.get("setup_cost_gbp", ""),
        )
        year = row.get("savings_year", "")
        expected, achieved = row.get("annual_savings_expected_gbp", ""), row.get("annual_savings_achieved_gbp", "")
        staff, other = row.get("staff_savings_gbp", ""), row.get("other_savings_gbp", "")
        if (expected or achieved or staff or other) and not year:
            problems.append(
                Problem(
                    "savings_year",
                    "required",
                    "Enter the year the savings figure refers to, like 2021/22",
                    column="savings_year",
                )
            )
        elif year:
            split = {"staff": staff, "other": other}
            add(
                Measure.EXPECTED_SAVING,
                year,
                "annual_savings_expected_gbp",
                "expected",
                amount=expected,
                **(split if not achieved else {}),
            )
            add(
                Measure.ACHIEVED_SAVING,
                year,
                "annual_savings_achieved_gbp",
                amount=achieved,
                **(split if achieved or not expected else {}),
            )
        cumulative = row.get("cumulative_savings_gbp", "")
        if cumulative:
            to = financial_year_ending(row.get("cumulative_to", ""))
            period = f"{start}/{str(start + 1)[-2:]}-{to}/{str(to + 1)[-2:]}" if start and to and to >= start else None
            if start and to and to == start:
                period = f"{start}/{str(start + 1)[-2:]}"
            add(Measure.ACHIEVED_SAVING, period, "cumulative_savings_gbp", amount=cumulative)


def _same_period(a: str, b: str) -> bool:
    try:
        return parse_period(a) == parse_period(b)
    except PeriodError:
        return a == b


def _start_year(text: str) -> int | None:
    match = re.match(r"^(\d{4})", text or "")
    if match:
        return int(match.group(1))
    match = re.search(r"(\d{4})$", text or "")
    return int(match.group(1)) if match else None


def _located(problem: Problem, number: int, reader: RowReader, origins: list[str], row: dict) -> Problem:
    """Give a write-path problem its row and the column it came from."""
    name = problem.field
    column = problem.column
    if name.startswith("ledger[") and "]" in name:
        index = int(name[7 : name.index("]")])
        column = origins[index] if index < len(origins) else "money columns"
    elif column is None:
        base = name.split("[")[0].split(".")[0]
        cols = reader.columns.get(base, [base])
        column = next((c for c in cols if c in row), cols[0])
        if base == "sources" and name.endswith("citation"):
            column = spec.SOURCE_CITATION_COLUMN
    value = problem.value or (row.get(column, "") if column else "")
    return replace(problem, row=number, column=column, value=value[:200])


# --- checking and writing ------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    raw: dict
    parsed: Parsed | None = None
    existing: Arrangement | None = None


def check(
    rows: list[dict[str, str]], user, report: Report, progress: Callable[[int, int], None] | None = None
) -> list[_Row]:
    if not rows:
        report.problems.append(Problem("file", "empty", "The file has no rows of data under the header", row=1))
        return []
    header = list(dict.fromkeys(k for row in rows[:1] for k in row))
    reader = RowReader(header)
    missing = [
        c
        for c in spec.REQUIRED_COLUMNS
        if not any(
            c2 in header
            for c2 in _columns_by_field().get(next((f.name for f in spec.FIELDS if f.import_column == c), c), [c])
        )
    ]
    if missing:
        report.problems.append(
            Problem(
                "file",
                "missing_columns",
                "These columns are missing from the header row: download the template to see them all",
                row=1,
                column=", ".join(missing),
            )
        )
    unknown = reader.unknown_columns()
    if unknown:
        report.problems.append(
            Problem(
                "file",
                "unknown_columns",
                "These columns are not ones Sharewell knows, so "
                "their values would be lost: rename or remove them (money columns are "
                "written like “expected_saving 2026/27”)",
                row=1,
                column=", ".join(unknown),
            )
        )
    if report.problems:
        return []
    context = Context(user)
    checked: list[_Row] = []
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        number = index + 2  # the header is row 1, as a spreadsheet shows it
        raw, origins, problems = reader.read(row)
        problems = [_located(p, number, reader, origins, row) for p in problems]
        parsed = None
        if not problems:
            parsed, found = parse(raw, context)
            problems = [_located(p, number, reader, origins, row) for p in found]
        if parsed is not None:
            key = (parsed.title_key, parsed.lead.pk)
            if key in seen:
                problems.append(
                    Problem(
                        "title",
                        "duplicate",
                        f"The same title and lead organisation are on row {seen[key]}",
                        row=number,
                        column="title",
                        value=parsed.values["title"],
                    )
                )
            seen[key] = number
            checked.append(_Row(number, raw, parsed))
        report.problems.extend(problems)
        if progress:
            progress(index + 1, len(rows))
    existing = writes.lookup_existing((r.parsed.title_key, r.parsed.lead.pk) for r in checked)
    for item in checked:
        item.existing = existing.get((item.parsed.title_key, item.parsed.lead.pk))
        if item.existing is None:
            if not writes._may_create(user, item.parsed):
                report.problems.append(
                    Problem(
                        "lead_organisation",
                        "forbidden",
                        f"You are not an editor of {item.parsed.lead.name} or any "
                        "partner, so you cannot add this arrangement",
                        row=item.number,
                        column="lead_organisation",
                        value=item.parsed.lead.name,
                    )
                )
        elif not permissions.can_edit(user, item.existing):
            report.problems.append(
                Problem(
                    "title",
                    "forbidden",
                    f"“{item.existing.title}” already exists, led by {item.parsed.lead.name}, and "
                    "you are not an editor of any of its partners, so this row cannot change it",
                    row=item.number,
                    column="title",
                    value=item.parsed.values["title"],
                )
            )
        else:
            _check_update(item, reader, user, context, report)
    return checked


def _update_raw(item: _Row, reader: RowReader) -> dict:
    return {k: v for k, v in item.raw.items() if k in reader.present or k == "kind" and "kind" in reader.present}


def _check_update(item: _Row, reader: RowReader, user, context: Context, report: Report) -> None:
    """An update is checked against the record as it is (signed-off figures, merged money)."""
    current = snapshot(writes._details(Arrangement.objects.filter(pk=item.existing.pk)).get())
    raw = {**current, **_update_raw(item, reader)}
    if "ledger" in raw:
        raw["ledger"] = writes._merged_ledger(current["ledger"], item.raw.get("ledger", current["ledger"]))
    _parsed, problems = parse(raw, context, existing_ledger=list(item.existing.ledger.all()))
    for p in problems:
        report.problems.append(replace(p, row=item.number, column=p.column or "money columns"))


def run(
    content: bytes,
    filename: str,
    user,
    *,
    dry_run: bool = False,
    publish: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    job: ImportJob | None = None,
) -> Report:
    """Read, check and (unless checking only, or any problem) write, all or nothing."""
    report = Report(dry_run=dry_run)
    try:
        rows = read_table(content, filename)
    except FileProblem as error:
        report.problems.append(Problem("file", "unreadable", str(error), row=1))
        return report
    report.rows = len(rows)
    checked = check(rows, user, report, progress=(lambda d, t: progress("Checking rows", d, t)) if progress else None)
    report.titles = [{"title": r.parsed.values["title"], "update": r.existing is not None} for r in checked]
    new = [r for r in checked if r.existing is None]
    updates = [r for r in checked if r.existing is not None]
    if report.problems or dry_run:
        report.created, report.updated = len(new), len(updates)
        return report
    owned_job = job is None
    if job is None:
        author = user if getattr(user, "pk", None) else None
        job = ImportJob.objects.create(
            user=author, filename=filename, content=b"", dry_run=False, state=ImportJob.State.RUNNING
        )
    door = writes.import_of(filename, job)
    total = len(checked)
    try:
        for start in range(0, len(new), BATCH):
            with transaction.atomic():
                writes.create_many(user, [r.parsed for r in new[start : start + BATCH]], door, job=job, publish=publish)
            if progress:
                progress("Saving", min(start + BATCH, len(new)), total)
            if connection.vendor == "sqlite" and start + BATCH < len(new):
                time.sleep(SQLITE_PAUSE)
        writes.release(job)
    except Exception:
        writes.discard(job)
        raise
    report.created = len(new)
    reader = RowReader(list(rows[0]))
    for done, item in enumerate(updates, start=len(new) + 1):
        outcome = writes.change(user, item.existing, _update_raw(item, reader), door, partial=True, merge_ledger=True)
        if outcome.problems:  # changed since it was checked: say so, keep going with the rest
            report.problems += [replace(p, row=item.number, column=p.column or "title") for p in outcome.problems]
        elif outcome.revision is not None:
            report.held += 1
        elif outcome.changed:
            report.updated += 1
        if progress:
            progress("Saving", done, total)
    if owned_job:
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE)
    return report
