"""Reading what a door sent into a checked arrangement, or the problems with it.

Every door hands `parse` a plain mapping keyed by the field specification's names
(`arrangements.spec`): text from a form or a spreadsheet cell, JSON values from the API,
a stored snapshot for a restore. Lists may be lists or semicolon-separated text. The
result holds resolved objects (organisations, services) ready for `arrangements.writes`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from arrangements import spec
from arrangements.models import Basis, LedgerEntry, Measure, Partnership, Standing
from engines.ledger import Period, PeriodError, parse_period
from organisations.names import normalise_name
from organisations.resolve import OrganisationResolver
from services.resolve import ServiceResolver
from sharewell.problems import Problem

# Control characters other than tab and line breaks; NUL among them. PostgreSQL refuses NUL
# in text, and the rest break spreadsheets and XML, so they are refused at every door.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\t\r\n]")
_MONEY = re.compile(r"^(-|−)?£?([0-9][0-9,]*(?:\.[0-9]+)?)(k|m|bn)?$", re.IGNORECASE)
_MULTIPLIER = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s]+$")
ROLES = {r.value: r.value for r in Partnership.Role} | {normalise_name(r.label): r.value for r in Partnership.Role}
ROLES.update({"host": Partnership.Role.LEAD, "lead": Partnership.Role.LEAD})


def title_key(title: str) -> str:
    """What makes two titles the same for the one-title-per-lead rule."""
    return (normalise_name(title) or title.casefold().strip())[:200]


def parse_money(value: Any) -> int | None:
    """Pounds from 250000, "£250,000", "£1.2m", "-5k"; None when blank. Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("Enter an amount in pounds, like 250000 or £1.2m")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(str(value))
    else:
        match = _MONEY.match(str(value).replace(" ", "").strip())
        if not match:
            raise ValueError("Enter an amount in pounds, like 250000 or £1.2m")
        try:
            amount = Decimal(match.group(2).replace(",", "")) * _MULTIPLIER[(match.group(3) or "").lower()]
        except InvalidOperation as error:
            raise ValueError("Enter an amount in pounds, like 250000") from error
        if match.group(1):
            amount = -amount
    if abs(amount) > spec.MAX_AMOUNT:
        raise ValueError("Enter an amount of no more than £1 trillion (£1,000,000,000,000)")
    return int(amount.to_integral_value())


def parse_date(value: Any) -> tuple[dt.date | None, int | None]:
    """(date, year) from 2019-04-01, 01/04/2019, 1/4/2019 or a year alone. Raises ValueError."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None, None
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        _check_year(year)
        return None, year
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"):
        try:
            parsed = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        _check_year(parsed.year)
        return parsed, parsed.year
    raise ValueError("Enter a real date, like 1 April 2019 (2019-04-01), or the year alone, like 2019")


def _check_year(year: int) -> None:
    if not spec.FIRST_YEAR <= year <= spec.LAST_YEAR:
        raise ValueError(f"Enter a year between {spec.FIRST_YEAR} and {spec.LAST_YEAR}")


@dataclass
class PartnerDraft:
    organisation: Any
    role: str
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


@dataclass
class LedgerDraft:
    id: int | None
    partner: Any  # an Organisation, or None for the arrangement as a whole
    period: Period
    measure: str
    basis: str
    standing: str
    amount: int
    staff: int | None = None
    other: int | None = None
    source: str = ""
    signed_off_by: str = ""
    signed_off_on: dt.date | None = None

    @property
    def key(self) -> tuple:
        return (self.partner.pk if self.partner else None, self.period.label, self.measure, self.basis)


@dataclass
class Parsed:
    """A checked arrangement: every field of the specification, resolved."""

    values: dict[str, Any]  # the plain fields, ready for the model
    lead: Any
    partners: list[PartnerDraft]
    services: list[Any]
    categories: list[Any]
    sources: list[tuple[str, str]]
    ledger: list[LedgerDraft]

    @property
    def title_key(self) -> str:
        return title_key(self.values["title"])


class Context:
    """What checking needs to look up, loaded once for many rows (an import may have thousands)."""

    def __init__(
        self, user=None, organisations: OrganisationResolver | None = None, services: ServiceResolver | None = None
    ):
        self.user = user
        self.moderator = bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_moderator)
        self._organisations = organisations
        self._services = services

    @property
    def organisations(self) -> OrganisationResolver:
        if self._organisations is None:
            self._organisations = OrganisationResolver()
        return self._organisations

    @property
    def services(self) -> ServiceResolver:
        if self._services is None:
            self._services = ServiceResolver()
        return self._services


class _Checker:
    def __init__(
        self, raw: Mapping[str, Any], context: Context, existing_ledger: Iterable[LedgerEntry], lenient_ids: bool
    ):
        self.raw = raw
        self.context = context
        self.problems: list[Problem] = []
        self.existing = {e.pk: e for e in existing_ledger}
        self.existing_by_key = {(e.partner_id, e.period, e.measure, e.basis): e for e in self.existing.values()}
        self.lenient_ids = lenient_ids

    def problem(self, name: str, code: str, message: str, value: Any = "") -> None:
        self.problems.append(Problem(name, code, message, value="" if value is None else str(value)[:200]))

    # --- plain values ----------------------------------------------------------------

    def text(self, f: spec.Field, value: Any, name: str | None = None, max_length: int | None = None) -> str:
        name = name or f.name
        label = f.label if name == f.name else name
        if value is None:
            return ""
        if not isinstance(value, str):
            if isinstance(value, (list, dict)):
                self.problem(name, "invalid", f"{label}: enter text")
                return ""
            value = str(value)
        value = unicodedata.normalize("NFC", value).strip()
        if match := _CONTROL.search(value):
            self.problem(
                name,
                "control_character",
                f"{label} contains a control character (U+{ord(match.group()):04X}): remove it",
            )
            return ""
        if f.kind != "longtext" and name == f.name and _LINE_BREAKS.search(value):
            value = " ".join(value.split())
        limit = max_length or f.max_length or spec.MAX_TEXT
        if len(value) > limit:
            self.problem(name, "too_long", f"{label} is {len(value):,} characters long; the limit is {limit:,}")
            return ""
        if f.required and not value and name == f.name:
            self.problem(name, "required", f"Enter the {label.lower()}")
        return value

    def choice(self, f: spec.Field, value: Any) -> str:
        text = self.text(replace(f, required=False), value)
        if not text:
            if f.required and not any(p.field == f.name for p in self.problems):
                self.problem(f.name, "required", f"Select the {f.label.lower()}")
            return ""
        found = f.lookup(text)
        if not found:
            examples = " or ".join(f"“{label.lower()}”" for _value, label in f.choices[:3])
            self.problem(
                f.name, "invalid", f"{f.label} “{text[:60]}” is not one we know: choose one such as {examples}", text
            )
            return ""
        return found

    def boolean(self, f: spec.Field, value: Any) -> bool | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        word = normalise_name(str(value))
        if word in ("yes", "y", "true", "1"):
            return True
        if word in ("no", "n", "false", "0"):
            return False
        if word in ("not known", "unknown", "dont know", "not recorded"):
            return None
        self.problem(f.name, "invalid", f"{f.label}: answer yes, no or not known", value)
        return None

    def date(self, f: spec.Field, value: Any) -> tuple[dt.date | None, int | None]:
        try:
            return parse_date(value)
        except ValueError as error:
            self.problem(f.name, "invalid_date", f"{f.label}: {error}", value)
            return None, None

    def year(self, f: spec.Field, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            year = int(str(value).strip())
            _check_year(year)
        except ValueError:
            self.problem(
                f.name, "invalid_year", f"{f.label}: enter a year between {spec.FIRST_YEAR} and {spec.LAST_YEAR}", value
            )
            return None
        return year

    def items(self, f: spec.Field, value: Any) -> list:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        if isinstance(value, (list, tuple)):
            if len(value) > spec.MAX_LIST:
                self.problem(f.name, "too_many", f"{f.label}: at most {spec.MAX_LIST} entries")
                return []
            return list(value)
        self.problem(f.name, "invalid", f"{f.label}: give a list")
        return []

    # --- organisations and services -----------------------------------------------------

    def organisation(self, name: str, value: Any, label: str):
        if isinstance(value, Mapping):
            value = value.get("code") or value.get("name") or ""
        text = self.text(spec.BY_NAME["lead_organisation"], value, name=name, max_length=300)
        if not text:
            return None
        resolution = self.context.organisations.resolve(text)
        if not resolution.organisation:
            self.problem(name, "unknown_organisation", f"{label}: {resolution.problem}", text)
        return resolution.organisation

    def partners(self, lead) -> list[PartnerDraft]:
        f = spec.BY_NAME["partners"]
        drafts: list[PartnerDraft] = []
        seen = {lead.pk} if lead else set()
        for index, item in enumerate(self.items(f, self.raw.get("partners"))):
            name = f"partners[{index}]"
            details = item if isinstance(item, Mapping) else {"code": item}
            organisation = self.organisation(name, details, f"Partner {index + 1}")
            if organisation is None:
                continue
            role = ROLES.get(normalise_name(str(details.get("role") or "member")))
            if role is None:
                self.problem(
                    f"{name}.role",
                    "invalid",
                    f"Partner {index + 1}: the role must be lead, member, client or provider",
                    details.get("role"),
                )
                continue
            joined = self._partner_date(f"{name}.joined_on", details.get("joined_on"))
            left = self._partner_date(f"{name}.left_on", details.get("left_on"))
            if lead is not None and organisation.pk == lead.pk:
                # The lead listed among the partners (as the API's own output does): its dates apply to it.
                self.lead_dates = (joined, left)
                continue
            if role == Partnership.Role.LEAD:
                self.problem(
                    f"{name}.role",
                    "two_leads",
                    f"{organisation.name} is marked lead, but the lead "
                    f"organisation is {lead.name if lead else 'another'}",
                )
                continue
            if organisation.pk in seen:
                continue
            seen.add(organisation.pk)
            drafts.append(PartnerDraft(organisation, role, joined, left))
        return drafts

    def _partner_date(self, name: str, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        try:
            parsed, _year = parse_date(value)
        except ValueError as error:
            self.problem(name, "invalid_date", str(error), value)
            return None
        if parsed is None:
            self.problem(name, "invalid_date", "Give the whole date, like 2019-04-01", value)
        return parsed

    def services(self) -> tuple[list, list]:
        f = spec.BY_NAME["services"]
        services: list = []
        categories: list = []
        for item in self.items(f, self.raw.get("services")):
            if isinstance(item, Mapping):
                item = item.get("lgsl") or item.get("label") or ""
            text = self.text(f, item, name="services", max_length=200) if not isinstance(item, int) else str(item)
            if not text:
                continue
            match = self.context.services.resolve(text)
            if match.problem:
                self.problem("services", "unknown_service", match.problem, text)
                continue
            if match.service and match.service not in services:
                services.append(match.service)
            if match.category and match.category not in categories:
                categories.append(match.category)
        for item in self.items(spec.BY_NAME["categories"], self.raw.get("categories")):
            category = self.context.services.categories.get(str(item))
            if category is None:
                match = self.context.services.resolve(str(item))
                category = match.category if not match.service else None
            if category is None:
                self.problem("categories", "unknown_category", f"“{item}” is not a service category", item)
            elif category not in categories:
                categories.append(category)
        if not services and not categories and not any(p.field == "services" for p in self.problems):
            self.problem(
                "services",
                "required",
                "Enter at least one service: an LGSL number, a service name or a category such as “legal”",
            )
        return services, categories

    def tags(self, f: spec.Field) -> list[str]:
        tags = []
        for item in self.items(f, self.raw.get(f.name)):
            value = f.lookup(str(item))
            if value is None:
                self.problem(f.name, "invalid", f"“{item}” is not a kind of benefit we know", item)
            elif value not in tags:
                tags.append(value)
        return tags

    def sources(self) -> list[tuple[str, str]]:
        f = spec.BY_NAME["sources"]
        result = []
        value = self.raw.get("sources")
        items = value if isinstance(value, (list, tuple)) else self.items(f, value)
        for index, item in enumerate(items[: spec.MAX_LIST]):
            if isinstance(item, Mapping):
                url, citation = item.get("url") or "", item.get("citation") or ""
            else:
                url, citation = item, ""
            url = self.text(f, url, name=f"sources[{index}].url", max_length=500)
            citation = self.text(f, citation, name=f"sources[{index}].citation", max_length=500)
            if url and not _URL.match(url):
                self.problem(
                    f"sources[{index}].url", "invalid_url", "Enter a web address starting with http:// or https://", url
                )
            if url or citation:
                result.append((url, citation))
        return result

    # --- the ledger -------------------------------------------------------------------

    def ledger(self, partners_by_pk: dict[int, Any]) -> list[LedgerDraft]:
        f = spec.BY_NAME["ledger"]
        drafts: list[LedgerDraft] = []
        keys: dict[tuple, int] = {}
        for index, item in enumerate(self.items(f, self.raw.get("ledger"))):
            name = f"ledger[{index}]"
            if not isinstance(item, Mapping):
                self.problem(name, "invalid", f"Money entry {index + 1}: give period, measure and amount")
                continue
            draft = self._entry(name, index + 1, item, partners_by_pk)
            if draft is None:
                continue
            if draft.key in keys:
                self.problem(
                    f"{name}.period",
                    "duplicate",
                    f"Money entry {index + 1} repeats entry {keys[draft.key]}: the same "
                    f"{spec.MEASURE_LABELS[draft.measure].lower()} for {draft.period.label}"
                    f"{' for ' + draft.partner.name if draft.partner else ''}",
                )
                continue
            keys[draft.key] = index + 1
            drafts.append(draft)
        kept = {d.id for d in drafts if d.id}
        kept_keys = {d.key for d in drafts}
        if not self.context.moderator:
            for entry in self.existing.values():
                key = (entry.partner_id, entry.period, entry.measure, entry.basis)
                if entry.standing == Standing.SIGNED_OFF and entry.pk not in kept and key not in kept_keys:
                    self.problem(
                        "ledger",
                        "signed_off_removed",
                        f"The signed-off {spec.MEASURE_LABELS[entry.measure].lower()} for {entry.period} "
                        "is missing: only a moderator can remove a signed-off figure",
                    )
        return drafts

    def _entry(self, name: str, number: int, item: Mapping, partners_by_pk: dict[int, Any]) -> LedgerDraft | None:
        before = len(self.problems)
        label = f"Money entry {number}"
        period = None
        period_text = item.get("period")
        if period_text in (None, ""):
            self.problem(f"{name}.period", "required", f"{label}: enter the financial year, like 2026/27")
        else:
            try:
                period = parse_period(str(period_text))
            except PeriodError as error:
                self.problem(f"{name}.period", "invalid_period", f"{label}: {error}", period_text)
        measure = _measure(item.get("measure"))
        if measure is None:
            self.problem(
                f"{name}.measure",
                "invalid",
                f"{label}: the measure must be one of {', '.join(m.value for m in Measure)}",
                item.get("measure"),
            )
        amounts = {}
        for part in ("amount", "staff", "other"):
            try:
                amounts[part] = parse_money(item.get(part))
            except ValueError as error:
                self.problem(f"{name}.{part}", "invalid_amount", f"{label}, {part}: {error}", item.get(part))
                amounts[part] = None
        amount, staff, other = amounts["amount"], amounts["staff"], amounts["other"]
        if amount is None and (staff is not None or other is not None) and len(self.problems) == before:
            amount = (staff or 0) + (other or 0)
        if amount is None and not any(p.field == f"{name}.amount" for p in self.problems[before:]):
            self.problem(f"{name}.amount", "required", f"{label}: enter the amount in pounds")
        if amount is not None and staff is not None and other is not None and staff + other != amount:
            self.problem(
                f"{name}.amount",
                "split_mismatch",
                f"{label}: staff (£{staff:,}) plus other (£{other:,}) do not add up to £{amount:,}",
            )
        partner = None
        if item.get("partner") not in (None, ""):
            partner = self.organisation(f"{name}.partner", item.get("partner"), f"{label}, partner")
            if partner is not None and partner.pk not in partners_by_pk:
                self.problem(
                    f"{name}.partner", "not_a_partner", f"{label}: {partner.name} is not a partner in this arrangement"
                )
        standing_text = item.get("standing")
        standing = _standing(standing_text, measure)
        if standing is None:
            self.problem(
                f"{name}.standing",
                "invalid",
                f"{label}: standing must be expected, reported or signed_off",
                standing_text,
            )
        if measure == Measure.EXPECTED_SAVING and standing not in (None, Standing.EXPECTED):
            self.problem(
                f"{name}.standing",
                "invalid",
                f"{label}: an expected saving is a plan: its standing is "
                "“expected”. Record what was saved as an achieved saving.",
            )
        source = self.text(spec.BY_NAME["sources"], item.get("source"), name=f"{name}.source", max_length=500)
        if len(self.problems) > before:
            return None
        assert period is not None and measure is not None and standing is not None and amount is not None
        basis = Basis.PLANNED if standing == Standing.EXPECTED else Basis.ACTUAL
        draft = LedgerDraft(None, partner, period, measure, basis, standing, amount, staff, other, source)
        return self._match_existing(name, label, item, draft, standing_text)

    def _match_existing(
        self, name: str, label: str, item: Mapping, draft: LedgerDraft, standing_text: Any
    ) -> LedgerDraft | None:
        """Keep an entry's id (and its history) when it is the same entry; apply the sign-off rules."""
        existing = None
        raw_id = item.get("id")
        if raw_id not in (None, ""):
            try:
                existing = self.existing.get(int(raw_id))
            except (TypeError, ValueError):
                existing = None
            if existing is None and not self.lenient_ids:
                self.problem(
                    f"{name}.id", "unknown_entry", f"{label}: this arrangement has no money entry {raw_id}", raw_id
                )
                return None
        if existing is None:
            existing = self.existing_by_key.get((draft.key[0], draft.period.label, draft.measure, draft.basis))
        if existing is not None:
            draft.id = existing.pk
        asked_signed_off = draft.standing == Standing.SIGNED_OFF
        if existing is not None and existing.standing == Standing.SIGNED_OFF:
            unchanged = existing.amount == draft.amount and existing.period == draft.period.label
            if unchanged and standing_text in (None, "", Standing.SIGNED_OFF):
                draft.standing = Standing.SIGNED_OFF
                draft.signed_off_by, draft.signed_off_on = existing.signed_off_by, existing.signed_off_on
                return draft
            if asked_signed_off:
                draft.standing = Standing.REPORTED  # changed figures are no longer the ones signed off
            return draft
        if asked_signed_off:
            self.problem(
                f"{name}.standing",
                "sign_off_only",
                f"{label}: only the sign-off action can mark a figure signed off; record it as reported",
            )
            return None
        return draft


def _table(entries: dict[str, str]) -> dict[str, str]:
    return {normalise_name(k.replace("_", " ")): v for k, v in entries.items()}


_MEASURES = _table(
    {
        **{m.value: m.value for m in Measure},
        **{m.label: m.value for m in Measure},
        **{m.label + "s": m.value for m in Measure},
        "baseline": Measure.BASELINE_COST,
        "set up cost": Measure.ONE_OFF_COST,
        "setup cost": Measure.ONE_OFF_COST,
        "one off cost": Measure.ONE_OFF_COST,
    }
)
_STANDINGS = _table(
    {
        **{s.value: s.value for s in Standing},
        **{s.label: s.value for s in Standing},
        "planned": Standing.EXPECTED,
        "plan": Standing.EXPECTED,
        "actual": Standing.REPORTED,
    }
)


def _measure(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _MEASURES.get(normalise_name(str(value).replace("_", " ")))


def _standing(value: Any, measure: str | None) -> str | None:
    if value in (None, ""):
        return Standing.EXPECTED if measure == Measure.EXPECTED_SAVING else Standing.REPORTED
    return _STANDINGS.get(normalise_name(str(value).replace("_", " ")))


def parse(
    raw: Mapping[str, Any], context: Context, *, existing_ledger: Iterable[LedgerEntry] = (), lenient_ids: bool = False
) -> tuple[Parsed | None, list[Problem]]:
    """Check every field of `raw` at once; the parsed arrangement, or None and every problem."""
    checker = _Checker(raw, context, existing_ledger, lenient_ids)
    checker.lead_dates = (None, None)
    values: dict[str, Any] = {}
    for f in spec.FIELDS:
        value = raw.get(f.name)
        if f.kind in ("text", "longtext"):
            values[f.name] = checker.text(f, value)
        elif f.kind == "email":
            values[f.name] = checker.text(f, value)
            if values[f.name] and not _EMAIL.match(values[f.name]):
                checker.problem(f.name, "invalid_email", "Enter an email address like name@example.gov.uk", value)
        elif f.kind == "choice":
            values[f.name] = checker.choice(f, value)
        elif f.kind == "bool":
            values[f.name] = checker.boolean(f, value)
        elif f.kind == "tags":
            values[f.name] = checker.tags(f)
    start_date, start_year = checker.date(spec.BY_NAME["start_date"], raw.get("start_date"))
    end_date, end_year = checker.date(spec.BY_NAME["end_date"], raw.get("end_date"))
    start_year = start_year or checker.year(spec.BY_NAME["start_year"], raw.get("start_year"))
    end_year = end_year or checker.year(spec.BY_NAME["end_year"], raw.get("end_year"))
    if (
        start_year
        and end_year
        and (end_year, end_date or dt.date(end_year, 12, 31)) < (start_year, start_date or dt.date(start_year, 1, 1))
    ):
        checker.problem("end_date", "end_before_start", "The end date must be after the start date")
    values.update(start_date=start_date, start_year=start_year, end_date=end_date, end_year=end_year)

    lead = None
    if raw.get("lead_organisation") in (None, ""):
        checker.problem("lead_organisation", "required", "Enter the lead organisation")
    else:
        lead = checker.organisation("lead_organisation", raw.get("lead_organisation"), "Lead organisation")
    partners = checker.partners(lead)
    services, categories = checker.services()
    sources = checker.sources()
    partners_by_pk = {p.organisation.pk: p.organisation for p in partners}
    if lead is not None:
        partners_by_pk[lead.pk] = lead
    ledger = checker.ledger(partners_by_pk)
    savings = {Measure.EXPECTED_SAVING, Measure.ACHIEVED_SAVING}
    if (
        not values["no_savings_reason"]
        and not any(e.measure in savings for e in ledger)
        and not any(p.field.startswith("ledger") for p in checker.problems)
    ):
        checker.problem(
            "no_savings_reason",
            "required",
            "Give a savings figure, or say why there is none, for example “not set up to save money”",
        )
    if checker.problems:
        return None, checker.problems
    joined, left = checker.lead_dates
    lead_draft = PartnerDraft(lead, Partnership.Role.LEAD, joined or start_date, left)
    return Parsed(
        values=values,
        lead=lead_draft.organisation,
        partners=[lead_draft, *partners],
        services=services,
        categories=categories,
        sources=sources,
        ledger=ledger,
    ), []
