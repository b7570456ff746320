"""Bulk import of arrangements from CSV or XLSX: one core behind the command and the
upload page. Every problem is reported with its row, column and value; a file with any
problem writes nothing; a dry run reports what would be created. Rerunnable: a row
whose title and lead organisation match an existing arrangement updates it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from arrangements.models import (
    Arrangement,
    DeliveryModel,
    Kind,
    Partnership,
    Savings,
    Source,
    Status,
    StatusChange,
)
from arrangements.permissions import editable_organisation_ids
from organisations.names import normalise_name
from organisations.resolve import OrganisationResolver
from services.resolve import ServiceResolver

REQUIRED_COLUMNS = (
    "title", "description", "service", "model", "status", "start_date", "end_date", "lead_organisation",
    "partner_organisations", "baseline_cost_gbp", "setup_cost_gbp", "annual_savings_expected_gbp",
    "annual_savings_achieved_gbp", "savings_year", "no_savings_reason", "source_url",
)
OPTIONAL_COLUMNS = (
    "kind", "staff_savings_gbp", "other_savings_gbp", "cumulative_savings_gbp", "cumulative_to",
    "source_citation", "notes", "governance_notes", "contact_name", "contact_email",
)
TEMPLATE_EXAMPLE = {
    "title": "Example: Anytown and Otherby shared legal service",
    "description": "One legal team serving both councils, hosted by Anytown.",
    "service": "legal",
    "model": "lead authority delegation",
    "status": "live",
    "start_date": "2019-04-01",
    "end_date": "",
    "lead_organisation": "Cambridgeshire County Council",
    "partner_organisations": "Peterborough City Council; Cambs Fire",
    "baseline_cost_gbp": "2400000",
    "setup_cost_gbp": "150000",
    "annual_savings_expected_gbp": "300000",
    "annual_savings_achieved_gbp": "",
    "savings_year": "2020/21",
    "no_savings_reason": "",
    "source_url": "https://www.example.org/committee-report",
    "kind": "shared service",
    "staff_savings_gbp": "",
    "other_savings_gbp": "",
    "cumulative_savings_gbp": "",
    "cumulative_to": "",
    "source_citation": "Cabinet report, 12 March 2019",
    "notes": "Replace this example row with your own.",
    "governance_notes": "",
    "contact_name": "",
    "contact_email": "",
}
MAX_ROWS = 50_000

_MONEY = re.compile(r"^£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|m|bn)?$", re.IGNORECASE)
_MULTIPLIER = {None: 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_YEAR_RANGE = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")


def _choice_lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[normalise_name(value.replace("_", " "))] = value
        lookup[normalise_name(label)] = value
    for word, value in (extra or {}).items():
        lookup[normalise_name(word)] = value
    return lookup


MODELS = _choice_lookup(DeliveryModel.choices, {
    "lead authority": DeliveryModel.LEAD_AUTHORITY, "delegation": DeliveryModel.LEAD_AUTHORITY,
    "shared management": DeliveryModel.SHARED_MANAGEMENT, "company": DeliveryModel.JOINT_COMPANY,
    "joint company": DeliveryModel.JOINT_COMPANY, "teckal company": DeliveryModel.JOINT_COMPANY,
    "arms length organisation": DeliveryModel.ALEO, "aleo": DeliveryModel.ALEO,
    "outsourcing": DeliveryModel.OUTSOURCED, "joint commissioning": DeliveryModel.JOINT_PROCUREMENT,
    "joint procurement": DeliveryModel.JOINT_PROCUREMENT, "community": DeliveryModel.SOCIAL_ENTERPRISE,
    "social enterprise": DeliveryModel.SOCIAL_ENTERPRISE,
})
STATUSES = _choice_lookup(Status.choices, {"exploring": Status.EXPLORING, "under review": Status.UNDER_REVIEW})
KINDS = _choice_lookup(Kind.choices, {"shared service": Kind.SHARED_SERVICE, "collaboration": Kind.COLLABORATION})


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        value = f" (“{self.value}”)" if self.value else ""
        return f"{where}{value}: {self.message}"


@dataclass
class SavingsDraft:
    basis: str
    year: str
    year_start: int
    total: int
    staff: int | None = None
    other: int | None = None


@dataclass
class Draft:
    row: int
    title: str
    description: str
    kind: str
    delivery_model: str
    status: str
    lead: object
    partners: list
    services: list
    categories: list
    start_date: dt.date | None
    start_year: int | None
    end_date: dt.date | None
    end_year: int | None
    baseline_annual_cost: int | None
    setup_cost: int | None
    savings: list[SavingsDraft]
    no_savings_reason: str
    cumulative_savings_achieved: int | None
    cumulative_savings_to: str
    sources: list[tuple[str, str]]
    notes: str
    governance_notes: str
    contact_name: str
    contact_email: str
    existing: Arrangement | None = None


@dataclass
class Report:
    rows: int = 0
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading files ------------------------------------------------------------------

class FileProblem(Exception):
    pass


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as dicts of text, from CSV (UTF-8, with or without BOM) or XLSX."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem("The file is not UTF-8 text: save it as “CSV UTF-8” and try again") from error
        return [_clean(row) for row in csv.DictReader(io.StringIO(text))]
    raise FileProblem("The file must be a CSV or an Excel (.xlsx) file")


def _read_xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileProblem("The Excel file could not be read: is it a .xlsx workbook?") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    result = []
    for values in rows:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        result.append(_clean({h: _cell(v) for h, v in zip(header, values, strict=False) if h}))
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
    return {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}


# --- validating ---------------------------------------------------------------------

def parse_money(value: str) -> int | None:
    if not value:
        return None
    match = _MONEY.match(value.replace(" ", ""))
    if not match:
        raise ValueError("Enter an amount in pounds, like 250000 or £1.2m")
    try:
        amount = Decimal(match.group(1).replace(",", "")) * _MULTIPLIER[(match.group(2) or "").lower() or None]
    except InvalidOperation as error:
        raise ValueError("Enter an amount in pounds, like 250000") from error
    return int(amount.to_integral_value())


def _date(value: str) -> tuple[dt.date | None, int | None]:
    if not value:
        return None, None
    if re.fullmatch(r"\d{4}", value):
        return None, int(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            parsed = dt.datetime.strptime(value, pattern).date()
            return parsed, parsed.year
        except ValueError:
            continue
    raise ValueError("Enter a date like 2019-04-01, 01/04/2019, or a year like 2019")


def _year(value: str) -> int:
    match = _YEAR_RANGE.match(value.replace("–", "-"))
    if not match:
        raise ValueError("Enter the year the figure refers to, like 2021/22 or 2021")
    return int(match.group(1))


class Validator:
    def __init__(self, user):
        self.user = user
        self.organisations = OrganisationResolver()
        self.services = ServiceResolver()
        self.moderator = bool(getattr(user, "is_moderator", False))
        self.editable = editable_organisation_ids(user)
        self.existing = {
            (normalise_name(title), lead_id): pk
            for pk, title, lead_id in Arrangement.objects.alive()
            .filter(partnerships__role=Partnership.Role.LEAD)
            .values_list("pk", "title", "partnerships__organisation_id")
        }

    def validate(self, number: int, row: dict[str, str]) -> tuple[Draft | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str, message: str):
            problems.append(Problem(number, column, row.get(column, ""), message))

        def parse(column: str, parser: Callable):
            try:
                return parser(row.get(column, ""))
            except ValueError as error:
                problem(column, str(error))
                return None

        title = row.get("title", "")
        if not title:
            problem("title", "Enter a title")
        elif len(title) > 200:
            problem("title", f"Title is {len(title)} characters long; the limit is 200")
        if not row.get("description"):
            problem("description", "Enter a description")

        delivery_model = MODELS.get(normalise_name(row.get("model", "")))
        if not delivery_model:
            problem("model", "Enter a delivery model, for example “joint committee” or “lead authority delegation”")
        status = STATUSES.get(normalise_name(row.get("status", "")))
        if not status:
            problem("status", "Enter a status, for example “live”, “ended” or “disaggregated”")
        kind = KINDS.get(normalise_name(row.get("kind", ""))) if row.get("kind") else Kind.SHARED_SERVICE
        if not kind:
            problem("kind", "Enter “shared service” or “collaboration”")

        services, categories = [], []
        names = [s.strip() for s in row.get("service", "").split(";") if s.strip()]
        if not names:
            problem("service", "Enter at least one service (an LGSL identifier, service name or category)")
        for name in names:
            match = self.services.resolve(name)
            if match.problem:
                problems.append(Problem(number, "service", name, match.problem))
                continue
            if match.service:
                services.append(match.service)
            if match.category and match.category not in categories:
                categories.append(match.category)

        lead = None
        if not row.get("lead_organisation"):
            problem("lead_organisation", "Enter the lead organisation")
        else:
            resolution = self.organisations.resolve(row["lead_organisation"])
            lead = resolution.organisation
            if not lead:
                problem("lead_organisation", resolution.problem)
        partners = []
        for name in [p.strip() for p in row.get("partner_organisations", "").split(";") if p.strip()]:
            resolution = self.organisations.resolve(name)
            if not resolution.organisation:
                problems.append(Problem(number, "partner_organisations", name, resolution.problem))
            elif resolution.organisation != lead and resolution.organisation not in partners:
                partners.append(resolution.organisation)

        start_date, start_year = parse("start_date", _date) or (None, None)
        end_date, end_year = parse("end_date", _date) or (None, None)
        if start_year and end_year and end_year < start_year:
            problem("end_date", "The end date is before the start date")

        baseline = parse("baseline_cost_gbp", parse_money)
        setup = parse("setup_cost_gbp", parse_money)
        expected = parse("annual_savings_expected_gbp", parse_money)
        achieved = parse("annual_savings_achieved_gbp", parse_money)
        staff = parse("staff_savings_gbp", parse_money)
        other = parse("other_savings_gbp", parse_money)
        cumulative = parse("cumulative_savings_gbp", parse_money)
        savings: list[SavingsDraft] = []
        if expected is None and achieved is None and (staff is not None or other is not None):
            achieved = (staff or 0) + (other or 0)
        if expected is not None or achieved is not None:
            year_text = row.get("savings_year", "")
            year_start = parse("savings_year", _year) if year_text else None
            if not year_text:
                problem("savings_year", "Enter the year the savings figure refers to, like 2021/22")
            if achieved is not None and staff is not None and other is not None and staff + other != achieved:
                problem("annual_savings_achieved_gbp",
                        f"Staff (£{staff:,}) plus other (£{other:,}) savings do not add up to this total")
            if year_start:
                if expected is not None:
                    savings.append(SavingsDraft("expected", year_text, year_start, expected,
                                                *((staff, other) if achieved is None else (None, None))))
                if achieved is not None:
                    savings.append(SavingsDraft("achieved", year_text, year_start, achieved, staff, other))
        elif not row.get("no_savings_reason"):
            problem("no_savings_reason",
                    "Give a reason when there is no savings figure, for example “not set up to save money”")

        source_url = row.get("source_url", "")
        if source_url and not re.match(r"^https?://\S+$", source_url):
            problem("source_url", "Enter a web address starting with http:// or https://")
        sources = [(source_url, row.get("source_citation", ""))] if source_url or row.get("source_citation") else []

        if lead and not self.moderator and not ({lead.pk, *(p.pk for p in partners)} & self.editable):
            problem("lead_organisation",
                    f"You are not an editor of {lead.name} or any partner, so you cannot add this arrangement")

        if problems:
            return None, problems
        existing_pk = self.existing.get((normalise_name(title), lead.pk))
        return Draft(
            row=number, title=title, description=row["description"], kind=kind, delivery_model=delivery_model,
            status=status, lead=lead, partners=partners, services=services, categories=categories,
            start_date=start_date, start_year=start_year, end_date=end_date, end_year=end_year,
            baseline_annual_cost=baseline, setup_cost=setup, savings=savings,
            no_savings_reason=row.get("no_savings_reason", ""), cumulative_savings_achieved=cumulative,
            cumulative_savings_to=row.get("cumulative_to", ""), sources=sources, notes=row.get("notes", ""),
            governance_notes=row.get("governance_notes", ""), contact_name=row.get("contact_name", ""),
            contact_email=row.get("contact_email", ""),
            existing=Arrangement.objects.get(pk=existing_pk) if existing_pk else None,
        ), []


def validate_rows(rows: list[dict[str, str]], user, progress: Callable[[int, int], None] | None = None) -> Report:
    report = Report(rows=len(rows))
    if not rows:
        report.problems.append(Problem(1, "", "", "The file has no rows of data under the header"))
        return report
    if len(rows) > MAX_ROWS:
        report.problems.append(Problem(1, "", "", f"The file has {len(rows):,} rows; the limit is {MAX_ROWS:,}"))
        return report
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        report.problems.append(Problem(1, ", ".join(missing), "", "These columns are missing from the header row: "
                                       "download the template to see them all"))
        return report
    validator = Validator(user)
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        number = index + 2  # the header is row 1, as a spreadsheet shows it
        draft, problems = validator.validate(number, row)
        report.problems.extend(problems)
        if draft:
            key = (normalise_name(draft.title), draft.lead.pk)
            if key in seen:
                report.problems.append(Problem(number, "title", draft.title,
                                               f"The same title and lead organisation are on row {seen[key]}"))
            seen[key] = number
            report.drafts.append(draft)
        if progress:
            progress(index + 1, len(rows))
    return report


# --- saving -------------------------------------------------------------------------

def _arrangement_fields(draft: Draft) -> dict:
    return {
        "title": draft.title, "description": draft.description, "kind": draft.kind,
        "delivery_model": draft.delivery_model, "status": draft.status, "start_date": draft.start_date,
        "start_year": draft.start_year, "end_date": draft.end_date, "end_year": draft.end_year,
        "baseline_annual_cost": draft.baseline_annual_cost, "setup_cost": draft.setup_cost,
        "no_savings_reason": draft.no_savings_reason,
        "cumulative_savings_achieved": draft.cumulative_savings_achieved,
        "cumulative_savings_to": draft.cumulative_savings_to, "notes": draft.notes,
        "governance_notes": draft.governance_notes, "contact_name": draft.contact_name,
        "contact_email": draft.contact_email,
    }


def _children(arrangement: Arrangement, draft: Draft) -> tuple[list, list, list, list]:
    partnerships = [Partnership(arrangement=arrangement, organisation=draft.lead, role=Partnership.Role.LEAD,
                                joined_on=draft.start_date)]
    partnerships += [Partnership(arrangement=arrangement, organisation=o, role=Partnership.Role.MEMBER,
                                 joined_on=draft.start_date) for o in draft.partners]
    savings = [Savings(arrangement=arrangement, basis=s.basis, year=s.year, year_start=s.year_start, total=s.total,
                       staff=s.staff, other=s.other) for s in draft.savings]
    sources = [Source(arrangement=arrangement, url=url, citation=citation) for url, citation in draft.sources]
    return partnerships, savings, sources, _status_history(arrangement, draft)


# Statuses an arrangement reaches after it has run: their date is not its start date.
LATER_STATUSES = {Status.EXPANDED, Status.UNDER_REVIEW, Status.ENDED, Status.DISAGGREGATED}


def _status_history(arrangement: Arrangement, draft: Draft) -> list[StatusChange]:
    """What a row says of the status over time. A row gives only the status now: an
    arrangement that has expanded or ended was live from its start, and it ended on its
    end date; when it expanded or came under review, the row does not say."""
    if draft.status not in LATER_STATUSES or not (draft.start_date or draft.start_year):
        return [StatusChange(arrangement=arrangement, status=draft.status, changed_on=draft.start_date,
                             changed_year=draft.start_year, note="Recorded by import")]
    ended = draft.status in (Status.ENDED, Status.DISAGGREGATED)
    return [
        StatusChange(arrangement=arrangement, status=Status.LIVE, changed_on=draft.start_date,
                     changed_year=draft.start_year, note="Started (recorded by import)"),
        StatusChange(arrangement=arrangement, status=draft.status, changed_on=draft.end_date if ended else None,
                     changed_year=draft.end_year if ended else None, note="Recorded by import"),
    ]


def save_drafts(drafts: Iterable[Draft], user, *, publish: bool = False,
                progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Write every draft in bulk; returns (created, updated). Call inside a transaction."""
    drafts = list(drafts)
    now = timezone.now()
    author = user if getattr(user, "pk", None) else None
    new = [d for d in drafts if d.existing is None]
    arrangements = [
        Arrangement(**_arrangement_fields(d), created_by=author, published=publish,
                    published_at=now if publish else None, published_by=author if publish else None)
        for d in new
    ]
    arrangements = bulk_create_with_history(arrangements, Arrangement, batch_size=500, default_user=author,
                                            default_change_reason="Imported")
    if any(a.pk is None for a in arrangements):  # a backend that does not return ids
        raise RuntimeError("The database did not return the new arrangements' ids")
    partnerships, savings, sources, statuses, service_links, category_links = [], [], [], [], [], []
    for arrangement, draft in zip(arrangements, new, strict=True):
        p, s, src, st = _children(arrangement, draft)
        partnerships += p
        savings += s
        sources += src
        statuses += st
        service_links += [Arrangement.services.through(arrangement_id=arrangement.pk, service_id=x.pk)
                          for x in draft.services]
        categories = {c.pk for c in draft.categories} | {x.category_id for x in draft.services}
        category_links += [Arrangement.categories.through(arrangement_id=arrangement.pk, servicecategory_id=c)
                           for c in categories]
    # The arrangement's own history records the import; its parts are created with it.
    Partnership.objects.bulk_create(partnerships, batch_size=1000)
    Savings.objects.bulk_create(savings, batch_size=1000)
    Source.objects.bulk_create(sources, batch_size=1000)
    StatusChange.objects.bulk_create(statuses, batch_size=1000)
    Arrangement.services.through.objects.bulk_create(service_links, batch_size=1000)
    Arrangement.categories.through.objects.bulk_create(category_links, batch_size=1000)
    if progress:
        progress(len(new), len(drafts))

    updated = 0
    for draft in (d for d in drafts if d.existing is not None):
        if _update(draft.existing, draft, author, publish):
            updated += 1
    if progress:
        progress(len(drafts), len(drafts))
    return len(new), updated


def update_arrangement(arrangement: Arrangement, draft: Draft, user) -> bool:
    """Apply a validated draft to an arrangement (the API's and the edit page's write)."""
    return _update(arrangement, draft, user if getattr(user, "pk", None) else None, publish=False)


def _update(arrangement: Arrangement, draft: Draft, author, publish: bool) -> bool:
    """Bring an existing arrangement in line with its row; True if anything changed."""
    fields = _arrangement_fields(draft)
    changed = [name for name, value in fields.items() if getattr(arrangement, name) != value]
    partners = {(p.organisation_id, p.role) for p in arrangement.partnerships.all()}
    wanted_partners = {(draft.lead.pk, "lead"), *((o.pk, "member") for o in draft.partners)}
    savings = {(s.basis, s.year, s.total, s.staff, s.other) for s in arrangement.savings.all()}
    wanted_savings = {(s.basis, s.year, s.total, s.staff, s.other) for s in draft.savings}
    services = set(arrangement.services.values_list("pk", flat=True))
    wanted_services = {s.pk for s in draft.services}
    if not changed and partners == wanted_partners and savings == wanted_savings and services == wanted_services:
        return False
    previous_status = arrangement.status
    for name in changed:
        setattr(arrangement, name, fields[name])
    arrangement._history_user = author
    arrangement._change_reason = "Updated by import"
    arrangement.save()
    if partners != wanted_partners:
        arrangement.partnerships.all().delete()
        Partnership.objects.bulk_create(_children(arrangement, draft)[0])
    if savings != wanted_savings:
        arrangement.savings.all().delete()
        Savings.objects.bulk_create(_children(arrangement, draft)[1])
    arrangement.services.set(draft.services)
    arrangement.categories.set({c.pk for c in draft.categories} | {s.category_id for s in draft.services})
    if previous_status != arrangement.status:
        StatusChange.objects.create(arrangement=arrangement, status=arrangement.status, recorded_by=author,
                                    changed_on=timezone.localdate(), note="Updated by import")
    return True


def run(content: bytes, filename: str, user, *, dry_run: bool = False, publish: bool = False,
        progress: Callable[[str, int, int], None] | None = None) -> Report:
    """Read, validate and (unless a dry run or any problem) save, all or nothing."""
    try:
        rows = read_table(content, filename)
    except FileProblem as error:
        return Report(problems=[Problem(1, "", "", str(error))])
    report = validate_rows(rows, user, progress=(lambda d, t: progress("Checking rows", d, t)) if progress else None)
    report.dry_run = dry_run
    if report.problems:
        return report
    if dry_run:
        report.created = sum(1 for d in report.drafts if d.existing is None)
        report.updated = sum(1 for d in report.drafts if d.existing is not None)
        return report
    if progress:
        progress("Saving", 0, len(report.drafts))  # outside the transaction, so watchers see it
    with transaction.atomic():
        report.created, report.updated = save_drafts(
            report.drafts, user, publish=publish,
            progress=(lambda d, t: progress("Saving", d, t)) if progress else None,
        )
    return report


def row_from(arrangement: Arrangement) -> dict[str, str]:
    """An arrangement as an import row: what the edit page starts from."""
    partnerships = list(arrangement.partnerships.select_related("organisation"))
    lead = next((p.organisation for p in partnerships if p.role == Partnership.Role.LEAD), None)
    services = [str(s.lgsl) for s in arrangement.services.all()]
    named = {s.category_id for s in arrangement.services.all()}
    services += [c.label for c in arrangement.categories.all() if c.pk not in named]
    savings = list(arrangement.savings.order_by("-year_start"))
    expected = next((s for s in savings if s.basis == "expected"), None)
    achieved = next((s for s in savings if s.basis == "achieved"), None)
    latest = achieved or expected
    source = arrangement.sources.first()

    def text(value) -> str:
        return "" if value is None else str(value)

    return {
        "title": arrangement.title, "description": arrangement.description, "kind": arrangement.kind,
        "model": arrangement.delivery_model, "status": arrangement.status, "service": "; ".join(services),
        "start_date": text(arrangement.start_date or arrangement.start_year),
        "end_date": text(arrangement.end_date or arrangement.end_year),
        "lead_organisation": lead.code if lead else "",
        "partner_organisations": "; ".join(p.organisation.code for p in partnerships if p.organisation != lead),
        "baseline_cost_gbp": text(arrangement.baseline_annual_cost), "setup_cost_gbp": text(arrangement.setup_cost),
        "annual_savings_expected_gbp": text(expected.total if expected and expected.year == latest.year else None),
        "annual_savings_achieved_gbp": text(achieved.total if achieved else None),
        "staff_savings_gbp": text(latest.staff if latest else None),
        "other_savings_gbp": text(latest.other if latest else None),
        "savings_year": latest.year if latest else "",
        "no_savings_reason": arrangement.no_savings_reason,
        "cumulative_savings_gbp": text(arrangement.cumulative_savings_achieved),
        "cumulative_to": arrangement.cumulative_savings_to,
        "source_url": source.url if source else "", "source_citation": source.citation if source else "",
        "notes": arrangement.notes, "governance_notes": arrangement.governance_notes,
        "contact_name": arrangement.contact_name, "contact_email": arrangement.contact_email,
    }
