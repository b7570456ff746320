from __future__ import annotations

import datetime as dt

from ninja import Schema


class OrganisationSummary(Schema):
    code: str
    gss_code: str
    name: str
    official_name: str
    type: str
    type_label: str
    tier: str
    nation: str
    region: str
    current: bool
    url: str


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganisationSummary]


class OrganisationLink(Schema):
    code: str
    name: str
    type: str


class NeighbourOut(OrganisationLink):
    border_km: float


class OverlapOut(OrganisationLink):
    share: float
    method: str


class ServedOut(OrganisationLink):
    """A council a body with no area of its own serves (or, under `served_by`, the body)."""

    recorded_as: str
    source: str
    recorded_on: dt.date


class IndicatorOut(Schema):
    key: str
    label: str
    group: str
    value: float | None
    unit: str
    period: str | None
    note: str
    source: str
    source_url: str
    licence: str


class GssCodeOut(Schema):
    code: str
    status: str


class ContractOut(Schema):
    category: str
    category_label: str
    lgsl: int | None
    description: str
    ends_on: dt.date


class OrganisationDetail(OrganisationSummary):
    start_date: dt.date | None
    end_date: dt.date | None
    successors: list[OrganisationLink]
    predecessors: list[OrganisationLink]
    gss_codes: list[GssCodeOut]
    names: list[str]
    parent_county: OrganisationLink | None
    combined_authority: OrganisationLink | None
    population: int | None
    population_source: str
    area_km2: float | None
    density: float | None
    latitude: float | None
    longitude: float | None
    homepage: str
    neighbours: list[NeighbourOut]
    overlapping_bodies: list[OverlapOut]
    health_body: OrganisationLink | None
    serves: list[ServedOut]
    served_by: list[ServedOut]
    indicators: list[IndicatorOut]
    contracts: list[ContractOut]


class ErrorOut(Schema):
    detail: str
