"""The register's lean read path: a page of the list (API, table page, map) in a fixed number
of queries, shaped from plain rows without building model objects.

`page()` returns exactly what `services.record` returns for each arrangement of the same page
of `services.filtered(user, filters)` (the tests compare them over a generated register):
one query for the page's rows, one each for partners, services, categories, sources, money
and status history, one for pending changes (signed-in people only), and the total: for
the public, kept against the register version (`arrangements.register`), for signed-in
people (who also see drafts) counted live.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.urls import reverse

from arrangements import register, services
from arrangements.models import Arrangement, DeliveryModel, Kind, LedgerEntry, Partnership, Source, Status, StatusChange
from arrangements.versions import _PLAIN, _iso, _ledger_order, _partner_order
from engines import ledger as engine

KIND_LABELS = dict(Kind.choices)
MODEL_LABELS = dict(DeliveryModel.choices)
STATUS_LABELS = dict(Status.choices)
ROW_FIELDS = (
    "pk",
    *_PLAIN,
    "start_date",
    "start_year",
    "end_date",
    "end_year",
    "published",
)


class _Counted:
    """What Django's paginator needs to number pages from a count already known."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total

    def __getitem__(self, _slice) -> list:
        return []


@dataclass
class Page:
    records: list[dict]
    count: int
    number: int
    page_size: int
    paginated: DjangoPage  # for the pagination links

    def elided_range(self):
        return self.paginated.paginator.get_elided_page_range(self.number)


def is_public(user) -> bool:
    return not getattr(user, "is_authenticated", False)


def count(user, filters: services.ArrangementFilters, queryset: QuerySet[Arrangement] | None = None) -> int:
    """How many arrangements match: kept against the register version for the public."""
    qs = queryset if queryset is not None else services.filtered(user, filters)
    if not is_public(user):
        return qs.order_by().count()
    key = register.key_for("count", sorted(filters.as_query().items()))
    return register.cached(key, lambda: qs.order_by().count())


def savings(record: dict) -> dict:
    """A record's savings counted once (`engines.ledger`): expected, and achieved signed off
    and reported, kept apart."""
    figures = engine.totals(
        [
            engine.Entry(
                record["id"],
                hash(e["partner"]) if e["partner"] else None,
                engine.parse_period(e["period"]),
                e["measure"],
                "planned" if e["standing"] == "expected" else "actual",
                e["standing"],
                e["amount"],
            )
            for e in record["ledger"]
        ]
    )
    return {
        "expected": figures.expected,
        "achieved_signed_off": figures.achieved_signed_off,
        "achieved_reported": figures.achieved_reported,
        "has_expected": any(e["measure"] == "expected_saving" for e in record["ledger"]),
        "has_achieved": any(e["measure"] == "achieved_saving" for e in record["ledger"]),
    }


def _detail_url(pk: int) -> str:
    return reverse("arrangements:detail", args=[pk])


def records(ids: list[int], base_url: str = "", user=None) -> list[dict]:
    """The open-data records of these arrangements, in this order: eight queries at most."""
    if not ids:
        return []
    rows = {row["pk"]: row for row in Arrangement.objects.filter(pk__in=ids).order_by().values(*ROW_FIELDS)}
    partners: dict[int, list[dict]] = defaultdict(list)
    for p in (
        Partnership.objects.filter(arrangement_id__in=ids)
        .order_by()
        .values(
            "arrangement_id", "role", "joined_on", "left_on", code=F("organisation__code"), name=F("organisation__name")
        )
    ):
        partners[p["arrangement_id"]].append(p)
    service_rows: dict[int, list[dict]] = defaultdict(list)
    for s in (
        Arrangement.services.through.objects.filter(arrangement_id__in=ids)
        .order_by()
        .values("arrangement_id", lgsl=F("service__lgsl"), label=F("service__label"))
    ):
        service_rows[s["arrangement_id"]].append({"lgsl": s["lgsl"], "label": s["label"]})
    categories: dict[int, list[str]] = defaultdict(list)
    for arrangement_id, key in (
        Arrangement.categories.through.objects.filter(arrangement_id__in=ids)
        .order_by()
        .values_list("arrangement_id", "servicecategory__key")
    ):
        categories[arrangement_id].append(key)
    sources: dict[int, list[dict]] = defaultdict(list)
    for arrangement_id, url, citation in (
        Source.objects.filter(arrangement_id__in=ids).order_by("pk").values_list("arrangement_id", "url", "citation")
    ):
        sources[arrangement_id].append({"url": url, "citation": citation})
    ledger: dict[int, list[dict]] = defaultdict(list)
    for e in (
        LedgerEntry.objects.filter(arrangement_id__in=ids)
        .order_by("pk")
        .values(
            "id",
            "arrangement_id",
            "period",
            "measure",
            "amount",
            "staff",
            "other",
            "standing",
            "source",
            "signed_off_by",
            "signed_off_on",
            partner_code=F("partner__code"),
        )
    ):
        ledger[e["arrangement_id"]].append(
            {
                "id": e["id"],
                "period": e["period"],
                "measure": e["measure"],
                "amount": e["amount"],
                "staff": e["staff"],
                "other": e["other"],
                "partner": e["partner_code"],
                "standing": e["standing"],
                "source": e["source"],
                "signed_off_by": e["signed_off_by"],
                "signed_off_on": _iso(e["signed_off_on"]),
            }
        )
    history: dict[int, list[dict]] = defaultdict(list)
    # The model's own order (dated changes first, unknown dates last), the same on every database.
    for c in (
        StatusChange.objects.filter(arrangement_id__in=ids)
        .order_by(*StatusChange._meta.ordering)
        .values("arrangement_id", "status", "changed_on", "changed_year", "note")
    ):
        history[c["arrangement_id"]].append(
            {"status": c["status"], "date": _iso(c["changed_on"]), "year": c["changed_year"], "note": c["note"]}
        )
    pending = services.pending_revisions([Arrangement(pk=pk) for pk in ids], user) if user is not None else {}
    result = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        people = sorted(
            (
                {
                    "code": p["code"],
                    "name": p["name"],
                    "role": p["role"],
                    "joined_on": _iso(p["joined_on"]),
                    "left_on": _iso(p["left_on"]),
                }
                for p in partners[pk]
            ),
            key=_partner_order,
        )
        lead = next((p["code"] for p in people if p["role"] == Partnership.Role.LEAD), None)
        revision = pending.get(pk)
        data: dict[str, Any] = {name: row[name] for name in _PLAIN}
        data["benefit_tags"] = list(row["benefit_tags"] or [])
        data.update(
            lead_organisation=lead,
            partners=people,
            services=sorted(service_rows[pk], key=lambda s: s["lgsl"]),
            categories=sorted(categories[pk]),
            start_date=_iso(row["start_date"]),
            start_year=row["start_year"],
            end_date=_iso(row["end_date"]),
            end_year=row["end_year"],
            sources=sources[pk],
            ledger=sorted(ledger[pk], key=_ledger_order),
        )
        result.append(
            {
                "id": pk,
                "url": f"{base_url}{_detail_url(pk)}",
                **data,
                "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
                "delivery_model_label": MODEL_LABELS.get(row["delivery_model"], row["delivery_model"]),
                "status_label": STATUS_LABELS.get(row["status"], row["status"]),
                "status_history": history[pk],
                "published": row["published"],
                "pending_revision": {
                    "id": revision.pk,
                    "created_at": revision.created_at.isoformat(),
                    "door": revision.door,
                    "organisation": revision.organisation.name if revision.organisation else None,
                    "changes": revision.changes,
                    "proposed": revision.proposed,
                }
                if revision
                else None,
            }
        )
    return result


def page_ids(queryset: QuerySet[Arrangement], number: int, page_size: int) -> list[int]:
    start = (number - 1) * page_size
    return list(queryset.values_list("pk", flat=True)[start : start + page_size])


def page(
    user, filters: services.ArrangementFilters, number: Any, page_size: int, base_url: str = "", order: str = ""
) -> Page:
    """One page of the register for this user and filters, like Django's `get_page`: a page
    number out of range gives the last page."""
    qs = services.filtered(user, filters)
    total = count(user, filters, qs)
    paginated = Paginator(_Counted(total), page_size).get_page(number)
    if order:
        qs = services.ordered(qs, order)
    ids = page_ids(qs, paginated.number, page_size)
    return Page(records(ids, base_url, user), total, paginated.number, page_size, paginated)
