from __future__ import annotations

from ninja import Schema


class PartnerOut(Schema):
    code: str
    name: str
    role: str
    joined_on: str | None
    left_on: str | None
    current_organisation: bool


class SavingsOut(Schema):
    basis: str
    year: str
    total_gbp: int
    staff_gbp: int | None
    other_gbp: int | None


class StatusOut(Schema):
    status: str
    date: str | None
    year: int | None
    note: str


class SourceOut(Schema):
    url: str
    citation: str


class ServiceOut(Schema):
    lgsl: int
    label: str


class ArrangementOut(Schema):
    id: int
    url: str
    title: str
    description: str
    kind: str
    delivery_model: str
    delivery_model_label: str
    status: str
    status_label: str
    categories: list[str]
    services: list[ServiceOut]
    start_date: str | None
    start_year: int | None
    end_date: str | None
    end_year: int | None
    lead_organisation: str | None
    partners: list[PartnerOut]
    baseline_annual_cost_gbp: int | None
    baseline_year: str
    setup_cost_gbp: int | None
    savings: list[SavingsOut]
    cumulative_savings_achieved_gbp: int | None
    cumulative_savings_to: str
    no_savings_reason: str
    non_financial_benefits: str
    has_exit_strategy: bool | None
    has_contingency_plan: bool | None
    status_history: list[StatusOut]
    sources: list[SourceOut]
    published: bool


class ArrangementPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ArrangementOut]


class ArrangementIn(Schema):
    """The same fields as a row of the bulk import; organisations and services in everyday words."""

    title: str
    description: str
    service: list[str]
    model: str
    status: str
    lead_organisation: str
    partner_organisations: list[str] = []
    start_date: str = ""
    end_date: str = ""
    kind: str = "shared service"
    baseline_cost_gbp: str = ""
    setup_cost_gbp: str = ""
    annual_savings_expected_gbp: str = ""
    annual_savings_achieved_gbp: str = ""
    staff_savings_gbp: str = ""
    other_savings_gbp: str = ""
    savings_year: str = ""
    no_savings_reason: str = ""
    source_url: str = ""
    source_citation: str = ""
    notes: str = ""


class ProblemOut(Schema):
    column: str
    value: str
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class MessageOut(Schema):
    detail: str
