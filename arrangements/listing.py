"""The register's lean read path: a page of the list (API, table page, map) in a fixed number
of queries, shaped from plain rows without building model objects.

`page()` returns exactly what `services.record` returns for each arrangement of the same page
of `services.filtered(user, filters)` (the tests compare them over a generated register):
one query for the page's rows, one each for partners, services, categories, sources, money
and status history, one for pending changes (signed-in people only), and the total: for
the public, kept against the register version (`arrangements.register`), for people who
also see drafts the public's, kept, and their drafts' counted live.
"""

from __future__ import annotations

import json
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from arrangements import permissions, register, services
from arrangements.models import Arrangement, DeliveryModel, Kind, LedgerEntry, Partnership, Source, Status, StatusChange
from arrangements.versions import _PLAIN, _ledger_order, _partner_order
from engines import ledger as engine
from organisations.models import Organisation
from services.models import Service, ServiceCategory

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


def sees_only_published(user) -> bool:
    """Whether this person sees exactly the published register, so the counts and figures kept
    for the public are theirs too: nobody signed in, or somebody signed in to whom no
    unpublished arrangement is visible (one probe that stops at the first). A member whose
    organisation has a draft, or a moderator while any draft exists, is counted live."""
    if is_public(user):
        return True
    answer = getattr(user, "_sees_only_published", None)
    if answer is None:  # asked once a request: the map and dashboard ask it for each figure
        answer = not Arrangement.objects.visible_to(user).unpublished().exists()
        user._sees_only_published = answer
    return answer


def count(user, filters: services.ArrangementFilters, queryset: QuerySet[Arrangement] | None = None) -> int:
    """How many arrangements match: kept against the register version for the public; for
    someone who sees drafts, the public's count (kept) and their drafts' (counted live), which
    add exactly: nothing is both published and unpublished."""
    qs = queryset if queryset is not None else services.filtered(user, filters)
    key = register.key_for("count", sorted(filters.as_query().items()))
    if sees_only_published(user):
        return register.cached(key, lambda: qs.order_by().count())
    return register.combined(
        lambda: register.cached(key, lambda: services.filtered(None, filters).order_by().count())
        + qs.unpublished().order_by().count(),
        lambda: qs.order_by().count(),
    )


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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


A, P, ORG = _table(Arrangement), _table(Partnership), _table(Organisation)
S, SERVICE, C, CATEGORY = (
    _table(Arrangement.services.through),
    _table(Service),
    _table(Arrangement.categories.through),
    _table(ServiceCategory),
)
# Plain SQL, the same on SQLite and PostgreSQL: building these as querysets cost more than
# running them. `{ids}` becomes one placeholder per arrangement.
_ARRANGEMENTS = f"SELECT id, {', '.join(ROW_FIELDS[1:])} FROM {A} WHERE id IN ({{ids}})"
_PARTNERS = (
    f"SELECT p.arrangement_id, p.role, p.joined_on, p.left_on, o.code, o.name FROM {P} p "
    f"JOIN {ORG} o ON o.id = p.organisation_id WHERE p.arrangement_id IN ({{ids}})"
)
_SERVICES = (
    f"SELECT t.arrangement_id, s.lgsl, s.label FROM {S} t JOIN {SERVICE} s ON s.id = t.service_id "
    f"WHERE t.arrangement_id IN ({{ids}})"
)
_CATEGORIES = (
    f"SELECT t.arrangement_id, c.key FROM {C} t JOIN {CATEGORY} c ON c.id = t.servicecategory_id "
    f"WHERE t.arrangement_id IN ({{ids}})"
)
_SOURCES = f"SELECT arrangement_id, url, citation FROM {_table(Source)} WHERE arrangement_id IN ({{ids}}) ORDER BY id"
_LEDGER = (
    "SELECT e.id, e.arrangement_id, e.period, e.measure, e.amount, e.staff, e.other, e.standing, e.source, "
    f"e.signed_off_by, e.signed_off_on, o.code FROM {_table(LedgerEntry)} e LEFT JOIN {ORG} o ON o.id = e.partner_id "
    "WHERE e.arrangement_id IN ({ids}) ORDER BY e.id"
)
# The model's own order: dated changes first, unknown dates last, on every database.
_HISTORY = (
    f"SELECT arrangement_id, status, changed_on, changed_year, note FROM {_table(StatusChange)} "
    "WHERE arrangement_id IN ({ids}) ORDER BY CASE WHEN changed_year IS NULL THEN 1 ELSE 0 END, changed_year, "
    "CASE WHEN changed_on IS NULL THEN 1 ELSE 0 END, changed_on, recorded_at"
)
_BOOLEANS = {"published", "has_exit_strategy", "has_contingency_plan"}


def _select(sql: str, ids: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def _date(value) -> str | None:
    """SQLite gives dates as text, PostgreSQL as dates: ISO text either way."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else value.isoformat()


def _arrangement_rows(ids: list[int]) -> list[dict]:
    names = ROW_FIELDS
    result = []
    for values in _select(_ARRANGEMENTS, ids):
        row = dict(zip(names, values, strict=True))
        for name in _BOOLEANS:
            if row[name] is not None:
                row[name] = bool(row[name])
        tags = row["benefit_tags"]
        row["benefit_tags"] = json.loads(tags) if isinstance(tags, str) else tags
        row["start_date"], row["end_date"] = _date(row["start_date"]), _date(row["end_date"])
        result.append(row)
    return result


def _detail_url() -> str:
    """The address of an arrangement's page, with `{}` for its id (one reverse per page, not per row)."""
    return reverse("arrangements:detail", args=[987654321]).replace("987654321", "{}")


def records(ids: list[int], base_url: str = "", user=None) -> list[dict]:
    """The open-data records of these arrangements, in this order: eight queries at most."""
    if not ids:
        return []
    rows = {row["pk"]: row for row in _arrangement_rows(ids)}
    partners: dict[int, list[dict]] = defaultdict(list)
    for a, role, joined_on, left_on, code, name in _select(_PARTNERS, ids):
        partners[a].append({"role": role, "joined_on": joined_on, "left_on": left_on, "code": code, "name": name})
    service_rows: dict[int, list[dict]] = defaultdict(list)
    for a, lgsl, label in _select(_SERVICES, ids):
        service_rows[a].append({"lgsl": lgsl, "label": label})
    categories: dict[int, list[str]] = defaultdict(list)
    for a, key in _select(_CATEGORIES, ids):
        categories[a].append(key)
    sources: dict[int, list[dict]] = defaultdict(list)
    for a, url, citation in _select(_SOURCES, ids):
        sources[a].append({"url": url, "citation": citation})
    ledger: dict[int, list[dict]] = defaultdict(list)
    for pk, a, period, measure, amount, staff, other, standing, source, signed_by, signed_on, code in _select(
        _LEDGER, ids
    ):
        ledger[a].append(
            {
                "id": pk,
                "period": period,
                "measure": measure,
                "amount": amount,
                "staff": staff,
                "other": other,
                "partner": code,
                "standing": standing,
                "source": source,
                "signed_off_by": signed_by,
                "signed_off_on": _date(signed_on),
            }
        )
    history: dict[int, list[dict]] = defaultdict(list)
    for a, status, changed_on, changed_year, note in _select(_HISTORY, ids):
        history[a].append({"status": status, "date": _date(changed_on), "year": changed_year, "note": note})
    signed_in = getattr(user, "is_authenticated", False)
    pending = services.pending_revisions([Arrangement(pk=pk) for pk in ids], user) if signed_in else {}
    # Who signed a saving off: for the partners' members and moderators, as `services.record` does.
    sees_every_name = permissions.is_moderator(user)
    member_ids = set() if sees_every_name else permissions.member_organisation_ids(user)
    member_codes = (
        set(Organisation.objects.filter(pk__in=member_ids).values_list("code", flat=True)) if member_ids else set()
    )
    url = _detail_url()
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
                    "joined_on": _date(p["joined_on"]),
                    "left_on": _date(p["left_on"]),
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
            start_date=row["start_date"],
            start_year=row["start_year"],
            end_date=row["end_date"],
            end_year=row["end_year"],
            sources=sources[pk],
            ledger=sorted(ledger[pk], key=_ledger_order),
        )
        if not (sees_every_name or any(p["code"] in member_codes for p in partners[pk])):
            data["ledger"] = [{**e, "signed_off_by": ""} for e in data["ledger"]]
        result.append(
            {
                "id": pk,
                "url": base_url + url.format(pk),
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


class _Bodies:
    """The public list's answers, kept in this worker for the register version they were made
    at (a write makes every one of them unreachable): the most recent `size` of them."""

    def __init__(self) -> None:
        self.version = -1
        self.bodies: OrderedDict[tuple, bytes] = OrderedDict()

    def get(self, version: int, key: tuple) -> bytes | None:
        if version != self.version:
            self.version, self.bodies = version, OrderedDict()
            return None
        body = self.bodies.get(key)
        if body is not None:
            self.bodies.move_to_end(key)
        return body

    def put(self, version: int, key: tuple, body: bytes, size: int) -> None:
        if version == self.version:
            self.bodies[key] = body
            while len(self.bodies) > size:
                self.bodies.popitem(last=False)


_bodies = _Bodies()


def forget_pages() -> None:
    """Drop the pages kept in this worker (the tests' databases are rolled back between tests)."""
    _bodies.version, _bodies.bodies = -1, OrderedDict()


def api_body(user, filters: services.ArrangementFilters, number: Any, page_size: int, base_url: str) -> bytes:
    """The list endpoint's JSON. For the public (who see only published arrangements, the same
    for everyone) it is kept against the register version: one indexed read when it is kept."""

    def make() -> bytes:
        page_ = page(user, filters, number, page_size, base_url)
        body = {"count": page_.count, "page": page_.number, "page_size": page_size, "results": page_.records}
        return json.dumps(body, ensure_ascii=False).encode()

    size = settings.REGISTER_PAGE_CACHE_SIZE
    if not is_public(user) or not size:
        return make()
    version = register.current()  # before the page: a write in between leaves it under the old number
    key = (base_url, tuple(sorted(filters.as_query().items())), str(number), page_size)
    body = _bodies.get(version, key)
    if body is None:
        body = make()
        _bodies.put(version, key, body, size)
    return body


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
