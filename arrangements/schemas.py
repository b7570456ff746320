"""The API's schemas, made from the field specification so that in and out carry the same
fields under the same names: what `GET` returns can be sent back as a `PUT`."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import create_model

from arrangements import spec


class PartnerOut(Schema):
    code: str
    name: str
    role: str
    joined_on: str | None
    left_on: str | None


class PartnerIn(Schema):
    code: str
    role: str | None = None
    joined_on: str | None = None
    left_on: str | None = None


class ServiceOut(Schema):
    lgsl: int
    label: str


class ServiceIn(Schema):
    lgsl: int


class SourceOut(Schema):
    url: str
    citation: str


class SourceIn(Schema):
    url: str = ""
    citation: str = ""


class LedgerOut(Schema):
    id: int | None
    period: str
    measure: str
    amount: int
    staff: int | None
    other: int | None
    partner: str | None
    standing: str
    source: str
    signed_off_by: str
    signed_off_on: str | None


class LedgerIn(Schema):
    """A money entry. `standing` is expected (a plan) or reported (an actual figure);
    only the sign-off action makes a figure signed off. Keep `id` to keep its history."""

    id: int | None = None
    period: str
    measure: str
    amount: int | str | None = None
    staff: int | str | None = None
    other: int | str | None = None
    partner: str | None = None
    standing: str | None = None
    source: str | None = ""


class StatusOut(Schema):
    status: str
    date: str | None
    year: int | None
    note: str


class RevisionOut(Schema):
    id: int
    created_at: str
    door: str
    organisation: str | None
    changes: list[str]
    proposed: dict[str, Any]


_OUT: dict[str, Any] = {
    "text": str,
    "longtext": str,
    "email": str,
    "choice": str,
    "bool": bool | None,
    "date": str | None,
    "year": int | None,
    "organisation": str | None,
    "partners": list[PartnerOut],
    "services": list[ServiceOut],
    "categories": list[str],
    "tags": list[str],
    "sources": list[SourceOut],
    "ledger": list[LedgerOut],
}
_IN: dict[str, Any] = {
    "text": str | None,
    "longtext": str | None,
    "email": str | None,
    "choice": str | None,
    "bool": bool | str | None,
    "date": str | int | None,
    "year": int | None,
    "organisation": str | None,
    "partners": list[str | PartnerIn] | str | None,
    "services": list[int | str | ServiceIn] | str | None,
    "categories": list[str] | None,
    "tags": list[str] | None,
    "sources": list[SourceIn] | None,
    "ledger": list[LedgerIn] | None,
}


def _described(kind_map: dict[str, Any], required: str) -> dict[str, Any]:
    """Pydantic field definitions for every field: required='all' (PUT), 'spec' (POST), 'none' (PATCH)."""
    from pydantic import Field as PydanticField

    fields: dict[str, Any] = {}
    for f in spec.FIELDS:
        description = f"{f.label}. {f.hint}".strip() if f.hint else f.label
        if required == "all" or (required == "spec" and f.required and not f.import_default):
            fields[f.name] = (kind_map[f.kind], PydanticField(..., description=description))
        else:
            fields[f.name] = (kind_map[f.kind], PydanticField(None, description=description))
    return fields


ArrangementOut = create_model(
    "ArrangementOut",
    __base__=Schema,
    id=(int, ...),
    url=(str, ...),
    **{name: (kind, ...) for name, (kind, _d) in _described(_OUT, "all").items()},
    kind_label=(str, ...),
    delivery_model_label=(str, ...),
    status_label=(str, ...),
    status_history=(list[StatusOut], ...),
    published=(bool, ...),
    pending_revision=(RevisionOut | None, None),
)
ArrangementCreate = create_model("ArrangementCreate", __base__=Schema, **_described(_IN, "spec"))
ArrangementPut = create_model("ArrangementPut", __base__=Schema, **_described(_IN, "all"))
ArrangementPatch = create_model("ArrangementPatch", __base__=Schema, **_described(_IN, "none"))


class ArrangementPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ArrangementOut]  # type: ignore[valid-type]


class ProblemOut(Schema):
    field: str
    code: str
    message: str
    value: str | None = None


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class MessageOut(Schema):
    detail: str


class FigureRow(Schema):
    expected: int
    achieved_signed_off: int
    achieved_reported: int


class CategoryFigures(FigureRow):
    category: str
    label: str


class YearFigures(FigureRow):
    year: str


class FiguresOut(Schema):
    """Savings in pounds, each counted once: categories and years each add up to the totals. `achieved` is
    what a partner's finance lead has signed off, and only that; `achieved_reported` is reported, not yet
    signed off, and never part of `achieved`."""

    expected: int
    achieved: int
    achieved_signed_off: int
    achieved_reported: int
    by_category: list[CategoryFigures]
    by_year: list[YearFigures]
    arrangements: int
    note: str
