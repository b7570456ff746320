"""The one field specification of an arrangement.

The add and change pages, the API's schemas (in and out), the import columns, the
download columns and the history's labels are all made from this list, so a field
cannot be added to one door and forgotten at another. The write path
(`arrangements.writes`) reads each field's kind, limits and everyday words from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from arrangements.models import BenefitTag, DeliveryModel, Kind, Measure, Standing, Status
from organisations.names import normalise_name

# Limits that apply at every door, named in the messages.
MAX_TEXT = 10_000  # a long text field (description, governance…)
MAX_AMOUNT = 10**12  # £1 trillion: more than any public body's budget
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_LIST = 500  # partners, services, sources or ledger entries in one record


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str = ""


SECTIONS = (
    Section("about", "About the arrangement"),
    Section("partners", "Partners and roles", "The lead (or host) organisation, then every other partner."),
    Section("services", "Services"),
    Section("dates", "Dates and status"),
    Section(
        "money",
        "Money",
        "Keep expected and achieved savings apart, give the year each figure is for, and record a baseline "
        "cost: without one, benefits cannot be shown.",
    ),
    Section("benefits", "Benefits"),
    Section("governance", "Governance"),
)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text, longtext, choice, bool, email, url, date, year, organisation, partners, services,
    #            categories, tags, sources, ledger
    section: str
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    words: dict[str, str] = field(default_factory=dict)  # everyday words for a choice
    hint: str = ""
    column: str = ""  # the import and download column, when not the name
    aliases: tuple[str, ...] = ()  # other column names an import accepts
    import_default: str = ""  # what an import row without the column means
    in_form: bool = True
    in_import: bool = True

    @property
    def import_column(self) -> str:
        return self.column or self.name

    def lookup(self, text: str) -> str | None:
        """The choice's value for a value, label or everyday word, or None."""
        return _lookup_table(self).get(normalise_name(str(text).replace("_", " ")))

    def label_of(self, value) -> str:
        return dict(self.choices).get(value, "" if value is None else str(value))


_TABLES: dict[str, dict[str, str]] = {}


def _lookup_table(f: Field) -> dict[str, str]:
    """Every way of writing each choice, normalised, made once per field."""
    if f.name not in _TABLES:
        table = dict(f.words)
        for value, label in f.choices:
            table[normalise_name(value.replace("_", " "))] = value
            table[normalise_name(label)] = value
        _TABLES[f.name] = table
    return _TABLES[f.name]


def _words(mapping: dict[str, str]) -> dict[str, str]:
    return {normalise_name(k): v for k, v in mapping.items()}


FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        "Title",
        "text",
        "about",
        required=True,
        max_length=200,
        hint="The name people know it by, for example “Anytown and Otherby shared legal service”",
    ),
    Field(
        "description",
        "Description",
        "longtext",
        "about",
        required=True,
        max_length=MAX_TEXT,
        hint="What is shared, by whom and how. Line breaks are kept.",
    ),
    Field(
        "kind",
        "Kind",
        "choice",
        "about",
        required=True,
        choices=tuple(Kind.choices),
        words=_words({"shared service": Kind.SHARED_SERVICE, "collaboration": Kind.COLLABORATION}),
        import_default=Kind.SHARED_SERVICE,
        hint="A shared service is one provider serving several organisations; a wider collaboration need not "
        "share a service",
    ),
    Field(
        "sources",
        "Sources",
        "sources",
        "about",
        column="source_url",
        in_form=False,
        hint="Where the figures and facts come from: a committee report, a press release, a study",
    ),
    Field(
        "lead_organisation",
        "Lead organisation",
        "organisation",
        "partners",
        required=True,
        hint="The organisation that hosts or leads it. A name, code or GSS code, for example “Cambs CC” or CAM",
    ),
    Field(
        "partners",
        "Other partners",
        "partners",
        "partners",
        column="partner_organisations",
        hint="Each other organisation taking part",
    ),
    Field(
        "services",
        "Services",
        "services",
        "services",
        required=True,
        column="service",
        aliases=("services",),
        hint="LGSL numbers, service names or categories, for example “legal” or 1026",
    ),
    Field("categories", "Service categories", "categories", "services", in_form=False, in_import=False),
    Field(
        "delivery_model",
        "Delivery model",
        "choice",
        "dates",
        required=True,
        choices=tuple(DeliveryModel.choices),
        column="model",
        aliases=("delivery_model",),
        words=_words(
            {
                "lead authority": DeliveryModel.LEAD_AUTHORITY,
                "delegation": DeliveryModel.LEAD_AUTHORITY,
                "shared management": DeliveryModel.SHARED_MANAGEMENT,
                "company": DeliveryModel.JOINT_COMPANY,
                "joint company": DeliveryModel.JOINT_COMPANY,
                "teckal company": DeliveryModel.JOINT_COMPANY,
                "arms length organisation": DeliveryModel.ALEO,
                "aleo": DeliveryModel.ALEO,
                "outsourcing": DeliveryModel.OUTSOURCED,
                "joint commissioning": DeliveryModel.JOINT_PROCUREMENT,
                "joint procurement": DeliveryModel.JOINT_PROCUREMENT,
                "community": DeliveryModel.SOCIAL_ENTERPRISE,
                "social enterprise": DeliveryModel.SOCIAL_ENTERPRISE,
            }
        ),
    ),
    Field(
        "status",
        "Status",
        "choice",
        "dates",
        required=True,
        choices=tuple(Status.choices),
        words=_words({"exploring": Status.EXPLORING, "under review": Status.UNDER_REVIEW}),
    ),
    Field(
        "start_date",
        "Start date",
        "date",
        "dates",
        hint="For example 1 4 2019. If you know only the year, give the year alone.",
    ),
    Field("start_year", "Start year", "year", "dates", in_form=False, in_import=False),
    Field("end_date", "End date", "date", "dates", hint="Only if it has ended"),
    Field("end_year", "End year", "year", "dates", in_form=False, in_import=False),
    Field("ledger", "Money", "ledger", "money", in_import=False),
    Field(
        "no_savings_reason",
        "If there is no savings figure, why not",
        "text",
        "money",
        max_length=300,
        hint="For example “not set up to save money” or “savings not yet measured”",
    ),
    Field(
        "non_financial_benefits",
        "Other benefits",
        "longtext",
        "benefits",
        max_length=MAX_TEXT,
        hint="Resilience, service quality, staff, customers: what changed, and how you know",
    ),
    Field("benefit_tags", "Kinds of benefit", "tags", "benefits", choices=tuple(BenefitTag.choices), in_import=False),
    Field(
        "governance_notes",
        "Governance",
        "longtext",
        "governance",
        max_length=MAX_TEXT,
        hint="The agreement, the board or committee, how decisions are made",
    ),
    Field("has_exit_strategy", "Is there an exit strategy in the agreement?", "bool", "governance"),
    Field(
        "exit_strategy",
        "The exit strategy",
        "longtext",
        "governance",
        max_length=MAX_TEXT,
        hint="How a partner can leave, and what happens to staff, assets and data",
    ),
    Field("has_contingency_plan", "Is there a contingency plan?", "bool", "governance"),
    Field("contingency_plan", "The contingency plan", "longtext", "governance", max_length=MAX_TEXT),
    Field("contact_name", "Contact name", "text", "governance", max_length=120),
    Field("contact_email", "Contact email", "email", "governance", max_length=254),
    Field(
        "notes",
        "Notes",
        "longtext",
        "governance",
        max_length=MAX_TEXT,
        hint="Anything else a reader should know, such as how a figure was worked out",
    ),
)
BY_NAME = {f.name: f for f in FIELDS}
LABELS = {f.name: f.label for f in FIELDS}

# The ledger's own fields, for the API schema, the form rows and the history.
MEASURE_LABELS = dict(Measure.choices)
STANDING_LABELS = dict(Standing.choices)
LEDGER_FIELDS = ("id", "period", "measure", "amount", "staff", "other", "partner", "standing", "source")

# Import columns beyond the fields: one source's citation beside its link, and the
# money columns of the old single-year template, still read so old files import.
SOURCE_CITATION_COLUMN = "source_citation"
LEGACY_MONEY_COLUMNS = (
    "baseline_cost_gbp",
    "baseline_year",
    "setup_cost_gbp",
    "annual_savings_expected_gbp",
    "annual_savings_achieved_gbp",
    "staff_savings_gbp",
    "other_savings_gbp",
    "savings_year",
    "cumulative_savings_gbp",
    "cumulative_to",
)
REQUIRED_COLUMNS = tuple(f.import_column for f in FIELDS if f.required and f.in_import and not f.import_default)


def import_columns() -> tuple[str, ...]:
    """Every column an import understands, in the template's order (money columns by period
    are open-ended: `expected_saving 2026/27`, see `arrangements.importing`)."""
    columns: list[str] = []
    for f in FIELDS:
        if f.in_import:
            columns.append(f.import_column)
            if f.name == "sources":
                columns.append(SOURCE_CITATION_COLUMN)
    return tuple(columns)


def choice_label(name: str, value) -> str:
    return BY_NAME[name].label_of(value)
