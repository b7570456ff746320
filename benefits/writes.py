"""The one write path of a benefits plan: the page, the API and the spreadsheet upload call these.

Each function checks that the user may change *that* arrangement's plan (an editor of a
current partner, or a moderator: `arrangements.permissions.can_edit`), checks every value,
and returns an `Outcome` whose `Problem`s each door shows its own way (an upload's name its
row and column). Changes to a plan take effect at once: a plan is the partners' own
monitoring, not the register's record, so it is not held for a moderator; each value keeps
who entered it and when.

A financial measure's planned and actual values are the arrangement's money ledger
(expected and achieved savings): they are written there, through `arrangements.writes`,
never here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from arrangements import permissions, register
from arrangements.models import Arrangement
from benefits.models import BenefitMeasure, BenefitValue, Frequency, Kind
from engines.benefits import PeriodError, parse_period
from organisations.models import Organisation
from sharewell.problems import Problem

FIELDS = (
    "name",
    "kind",
    "unit",
    "higher_is_better",
    "owner",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "frequency",
)
LABELS = {
    "name": "Measure",
    "kind": "Kind",
    "unit": "Unit",
    "higher_is_better": "Higher is better",
    "owner": "Owner organisation",
    "baseline_value": "Baseline value",
    "baseline_on": "Baseline date",
    "target_value": "Target",
    "target_on": "Target date",
    "frequency": "How often it is measured",
}


@dataclass
class Outcome:
    measure: BenefitMeasure | None = None
    problems: list[Problem] = field(default_factory=list)
    values_written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def forbidden(self) -> bool:
        return any(p.code == "forbidden" for p in self.problems)


def _forbidden(arrangement: Arrangement) -> Outcome:
    return Outcome(
        problems=[
            Problem(
                "name",
                "forbidden",
                f"You are not an editor of a partner in “{arrangement.title}”, so you cannot change its benefits plan",
            )
        ]
    )


def _number(raw: Any, name: str, label: str, problems: list[Problem], required: bool = False) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        if required:
            problems.append(Problem(name, "required", f"Enter the {label.lower()}"))
        return None
    text = str(raw).strip().replace(",", "").replace("£", "").rstrip("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(Problem(name, "invalid", f"{label} must be a number, like 12.5", str(raw)))
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        problems.append(Problem(name, "invalid", f"{label} must be a number below 100 trillion", str(raw)))
        return None
    return value.quantize(Decimal("0.01"))


def _date(raw: Any, name: str, label: str, problems: list[Problem]) -> dt.date | None:
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        problems.append(Problem(name, "invalid", f"{label} must be a real date, like 2026-04-01", str(raw)))
        return None


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("true", "yes", "y", "1", "higher", "on")


def _owner(raw: Any, arrangement: Arrangement, problems: list[Problem]) -> Organisation | None:
    text = str(raw or "").strip()
    partners = Organisation.objects.filter(partnerships__arrangement=arrangement)
    if not text:
        problems.append(Problem("owner", "required", "Choose the partner that owns this measure"))
        return None
    owner = (
        partners.filter(code__iexact=text).first()
        or partners.filter(name__iexact=text).first()
        or partners.filter(official_name__iexact=text).first()
    )
    if owner is None:
        problems.append(Problem("owner", "invalid", "The owner must be a partner in this arrangement", text))
    return owner


def clean_measure(
    arrangement: Arrangement, raw: Mapping[str, Any], existing: BenefitMeasure | None
) -> tuple[dict, list[Problem]]:
    """Check a measure's fields: every problem at once."""
    problems: list[Problem] = []
    name = " ".join(str(raw.get("name") or "").split())
    if not name:
        problems.append(Problem("name", "required", "Enter the measure’s name, like “Customer satisfaction”"))
    elif len(name) > 200:
        problems.append(Problem("name", "too_long", "The name is longer than 200 characters"))
    elif (
        BenefitMeasure.objects.filter(arrangement=arrangement, name__iexact=name)
        .exclude(pk=getattr(existing, "pk", None))
        .exists()
    ):
        problems.append(Problem("name", "duplicate", "This plan already has a measure with this name", name))
    kind = str(raw.get("kind") or "").strip().lower().replace("-", "_").replace(" ", "_")
    if kind not in Kind.values:
        problems.append(Problem("kind", "invalid", "Kind must be financial, non_financial or dis_benefit", kind))
    unit = " ".join(str(raw.get("unit") or "").split())
    if kind == Kind.FINANCIAL:
        unit = "£"
    elif not unit:
        problems.append(Problem("unit", "required", "Enter the unit, like %, days or a score out of 10"))
    elif len(unit) > 40:
        problems.append(Problem("unit", "too_long", "The unit is longer than 40 characters"))
    frequency = str(raw.get("frequency") or Frequency.ANNUAL).strip().lower()
    if frequency not in Frequency.values:
        problems.append(Problem("frequency", "invalid", "How often must be annual or quarterly", frequency))
    if kind == Kind.FINANCIAL:
        frequency = Frequency.ANNUAL
    values = {
        "name": name,
        "kind": kind,
        "unit": unit,
        "higher_is_better": True if kind == Kind.FINANCIAL else _bool(raw.get("higher_is_better", True)),
        "owner": _owner(raw.get("owner"), arrangement, problems),
        "baseline_value": _number(raw.get("baseline_value"), "baseline_value", "Baseline value", problems),
        "baseline_on": _date(raw.get("baseline_on"), "baseline_on", "Baseline date", problems),
        "target_value": _number(raw.get("target_value"), "target_value", "Target", problems),
        "target_on": _date(raw.get("target_on"), "target_on", "Target date", problems),
        "frequency": frequency,
    }
    if (values["baseline_value"] is None) != (values["baseline_on"] is None) and not any(
        p.field.startswith("baseline") for p in problems
    ):
        which = "baseline_on" if values["baseline_on"] is None else "baseline_value"
        problems.append(Problem(which, "required", "A baseline needs both its value and the date it was measured"))
    return values, problems


def save_measure(
    user, arrangement: Arrangement, raw: Mapping[str, Any], measure: BenefitMeasure | None = None
) -> Outcome:
    """Add a measure to an arrangement's plan, or change one (`measure`)."""
    if not permissions.can_edit(user, arrangement):
        return _forbidden(arrangement)
    if measure is not None and measure.arrangement_id != arrangement.pk:
        return Outcome(problems=[Problem("name", "invalid", "That measure belongs to another arrangement")])
    values, problems = clean_measure(arrangement, raw, measure)
    if problems:
        return Outcome(measure=measure, problems=problems)
    with transaction.atomic():
        register.bump(())  # the public dashboard counts live arrangements without a baseline; the finder reads no money
        if measure is None:
            measure = BenefitMeasure(arrangement=arrangement)
        for name, value in values.items():
            setattr(measure, name, value)
        measure.updated_by = user if getattr(user, "pk", None) else None
        measure.save()
    return Outcome(measure=measure)


def delete_measure(user, measure: BenefitMeasure) -> Outcome:
    if not permissions.can_edit(user, measure.arrangement):
        return _forbidden(measure.arrangement)
    with transaction.atomic():
        register.bump(())
        measure.delete()
    return Outcome()


def clean_values(
    measure: BenefitMeasure, rows: list[Mapping[str, Any]], *, prefix: str = "values"
) -> tuple[list[tuple[str, int, str, Decimal | None]], list[Problem]]:
    """Check rows of {period, planned, actual}: (period, order, basis, value or None to clear)."""
    problems: list[Problem] = []
    cleaned: list[tuple[str, int, str, Decimal | None]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        name = f"{prefix}[{index}]"
        if not isinstance(row, Mapping):
            problems.append(Problem(name, "invalid", "Each value is a period with its planned value or actual"))
            continue
        try:
            period = parse_period(str(row.get("period") or ""))
        except PeriodError as error:
            problems.append(Problem(f"{name}.period", "invalid", str(error), str(row.get("period") or "")))
            continue
        if (period.quarter is None) != (measure.frequency == Frequency.ANNUAL):
            expected = (
                "financial years, like 2026/27"
                if measure.frequency == Frequency.ANNUAL
                else "quarters, like 2026/27 Q1"
            )
            problems.append(
                Problem(f"{name}.period", "invalid", f"“{measure.name}” is measured in {expected}", period.label)
            )
            continue
        if period.label in seen:
            problems.append(Problem(f"{name}.period", "duplicate", f"{period.label} is given twice", period.label))
            continue
        seen.add(period.label)
        for basis in ("planned", "actual"):
            if basis not in row:
                continue
            label = "Planned value" if basis == "planned" else "Actual"
            value = _number(row.get(basis), f"{name}.{basis}", f"{label} for {period.label}", problems)
            cleaned.append((period.label, period.order, basis, value))
    if measure.kind == Kind.FINANCIAL and (cleaned or problems):
        problems.append(
            Problem(
                prefix,
                "financial",
                f"“{measure.name}” is a financial measure: its plan and actuals are the arrangement’s expected and "
                "achieved savings, recorded in its money figures",
            )
        )
    return cleaned, problems


def record_values(user, measure: BenefitMeasure, rows: list[Mapping[str, Any]], *, source: str = "") -> Outcome:
    """Record planned values (the trajectory) and actuals for periods of a measure; an empty value
    clears that period's figure. Every row is checked before anything is written."""
    if not permissions.can_edit(user, measure.arrangement):
        return _forbidden(measure.arrangement)
    cleaned, problems = clean_values(measure, rows)
    if problems:
        return Outcome(measure=measure, problems=problems)
    return Outcome(measure=measure, values_written=_write_values(user, measure, cleaned, source))


def _write_values(user, measure: BenefitMeasure, cleaned, source: str) -> int:
    author = user if getattr(user, "pk", None) else None
    written = 0
    with transaction.atomic():
        register.bump(())
        for period, order, basis, value in cleaned:
            if value is None:
                BenefitValue.objects.filter(measure=measure, period=period, basis=basis).delete()
                continue
            BenefitValue.objects.update_or_create(
                measure=measure,
                period=period,
                basis=basis,
                defaults={
                    "period_order": order,
                    "value": value,
                    "entered_by": author,
                    "entered_at": timezone.now(),
                    "source": source[:300],
                },
            )
            written += 1
    return written


def save_plan_item(user, arrangement: Arrangement, raw: Mapping[str, Any]) -> Outcome:
    """The API's one call: a measure by its name (added, or changed when the plan has it) with
    any `values` to record, all checked before anything is written."""
    if not permissions.can_edit(user, arrangement):
        return _forbidden(arrangement)
    name = " ".join(str(raw.get("name") or "").split())
    existing = BenefitMeasure.objects.filter(arrangement=arrangement, name__iexact=name).first() if name else None
    values, problems = clean_measure(arrangement, raw, existing)
    rows = raw.get("values") or []
    if not isinstance(rows, list):
        problems.append(Problem("values", "invalid", "values must be a list of periods"))
        rows = []
    if problems:
        return Outcome(measure=existing, problems=problems)
    probe = existing or BenefitMeasure(arrangement=arrangement, **values)
    probe.kind, probe.frequency, probe.name = values["kind"], values["frequency"], values["name"]
    cleaned, problems = clean_values(probe, rows)
    if problems:
        return Outcome(measure=existing, problems=problems)
    with transaction.atomic():
        register.bump(())
        outcome = save_measure(user, arrangement, raw, existing)
        if outcome.measure is not None and outcome.ok:
            outcome.values_written = _write_values(user, outcome.measure, cleaned, "API")
    return outcome


UPLOAD_COLUMNS = ("measure", "period", "planned", "actual")


def import_values(user, arrangement: Arrangement, content: bytes, filename: str) -> Outcome:
    """A simple spreadsheet (CSV or XLSX) of `measure, period, planned, actual`, one period a row,
    read by the register's importer (`arrangements.importing.read_table`). Every row is checked
    first; a problem names its row (as the spreadsheet numbers it, the header being row 1) and
    column; nothing is written unless every row is right."""
    from arrangements.importing import FileProblem, read_table

    if not permissions.can_edit(user, arrangement):
        return _forbidden(arrangement)
    try:
        rows = read_table(content, filename)
    except FileProblem as error:
        return Outcome(problems=[Problem("file", "invalid", str(error))])
    if not rows:
        return Outcome(problems=[Problem("file", "empty", "The file has no rows of values")])
    missing = [c for c in ("measure", "period") if c not in rows[0]]
    if missing or not ({"planned", "actual"} & rows[0].keys()):
        return Outcome(
            problems=[
                Problem("file", "columns", "The first row must name the columns: measure, period, planned, actual")
            ]
        )
    measures = {m.name.lower(): m for m in BenefitMeasure.objects.filter(arrangement=arrangement)}
    problems: list[Problem] = []
    by_measure: dict[int, tuple[BenefitMeasure, list[tuple[int, dict]]]] = {}
    for number, row in enumerate(rows, start=2):
        name = " ".join((row.get("measure") or "").split())
        measure = measures.get(name.lower())
        if measure is None:
            problems.append(
                Problem(
                    "measure",
                    "unknown",
                    "No measure of this plan has this name: add it first",
                    row=number,
                    column="measure",
                    value=name,
                )
            )
            continue
        item = {"period": row.get("period", "")}
        for basis in ("planned", "actual"):
            if (row.get(basis) or "").strip():
                item[basis] = row[basis]
        by_measure.setdefault(measure.pk, (measure, []))[1].append((number, item))
    checked = []
    for measure, items in by_measure.values():
        cleaned, found = clean_values(measure, [item for _n, item in items])
        for problem in found:
            index, column = _where(problem.field)
            number = items[index][0] if index is not None else None
            problems.append(
                Problem(problem.field, problem.code, problem.message, row=number, column=column, value=problem.value)
            )
        checked.append((measure, cleaned))
    if problems:
        return Outcome(problems=problems)
    written = 0
    with transaction.atomic():
        register.bump(())
        for measure, cleaned in checked:
            written += _write_values(user, measure, cleaned, f"upload of {filename}")
    return Outcome(values_written=written)


def _where(field_name: str) -> tuple[int | None, str | None]:
    """'values[3].actual' -> (3, 'actual')."""
    if not field_name.startswith("values["):
        return None, "measure"
    index_text, _, rest = field_name[len("values[") :].partition("]")
    return (int(index_text) if index_text.isdigit() else None), (rest.lstrip(".") or "period")
