"""One place for finding, describing and changing arrangements: pages, downloads and
the API all call these functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from arrangements.models import Arrangement, Partnership, Savings


@dataclass
class ArrangementFilters:
    q: str = ""
    category: str = ""
    service: int | None = None
    model: str = ""
    status: str = ""
    nation: str = ""
    region: str = ""
    org_type: str = ""
    organisation: str = ""
    start_year: int | None = None

    @classmethod
    def from_mapping(cls, data) -> ArrangementFilters:
        """From a validated form's cleaned data or the API's query schema."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(data).items() if k in names and v not in (None, "")})

    def as_query(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _partners_where(**lookups) -> QuerySet:
    return Partnership.objects.filter(**lookups).values("arrangement_id")


def _with_a_partner_where(qs: QuerySet[Arrangement], narrowed: bool, **lookups) -> QuerySet[Arrangement]:
    """Arrangements with a partner matching `lookups` (a nation, region or type).

    Such a filter matches many partnerships (every district council, say). When
    nothing else narrows the query, listing those partnerships first is fastest; when
    something on the arrangement itself does (a start year, a status), checking each of
    those few arrangements for such a partner is: on SQLite the first way took 52 ms
    and the second 8.5 ms for "district councils, started in 2016" among 100,000.
    """
    if narrowed:
        return qs.filter(Exists(Partnership.objects.filter(arrangement=OuterRef("pk"), **lookups)))
    return qs.filter(pk__in=_partners_where(**lookups))


def filtered(user, filters: ArrangementFilters) -> QuerySet[Arrangement]:
    """The arrangements this user may see that match the filters, newest first."""
    qs = Arrangement.objects.visible_to(user)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    if filters.category:
        qs = qs.filter(pk__in=Arrangement.categories.through.objects.filter(
            servicecategory__key=filters.category).values("arrangement_id"))
    if filters.service:
        qs = qs.filter(pk__in=Arrangement.services.through.objects.filter(
            service__lgsl=filters.service).values("arrangement_id"))
    if filters.model:
        qs = qs.filter(delivery_model=filters.model)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.start_year:
        qs = qs.filter(start_year=filters.start_year)
    if filters.organisation:
        qs = qs.filter(pk__in=_partners_where(organisation__code=filters.organisation))
    narrowed = any((filters.q, filters.category, filters.service, filters.model, filters.status,
                    filters.start_year, filters.organisation))
    if filters.nation:
        qs = _with_a_partner_where(qs, narrowed, organisation__nation=filters.nation)
        narrowed = True
    if filters.region:
        qs = _with_a_partner_where(qs, narrowed, organisation__region=filters.region)
        narrowed = True
    if filters.org_type:
        qs = _with_a_partner_where(qs, narrowed, organisation__org_type=filters.org_type)
    return qs.order_by("-start_year", "title", "pk")


def with_details(qs: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    """Everything a table, download or API record shows, in a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
        "categories", "services", "savings", "sources",
        "status_changes",  # in the model's order: dated changes first, unknown dates last
    )


def latest_savings(arrangement: Arrangement, basis: str) -> Savings | None:
    figures = [s for s in arrangement.savings.all() if s.basis == basis]
    return max(figures, key=lambda s: s.year_start) if figures else None


def record(arrangement: Arrangement, base_url: str = "") -> dict:
    """The open-data record of one arrangement: the API, JSON, CSV and XLSX all use it."""
    partnerships = list(arrangement.partnerships.all())
    lead = next((p.organisation for p in partnerships if p.role == Partnership.Role.LEAD), None)
    savings = sorted(arrangement.savings.all(), key=lambda s: (s.year_start, s.basis))
    return {
        "id": arrangement.pk,
        "url": f"{base_url}{arrangement.get_absolute_url()}",
        "title": arrangement.title,
        "description": arrangement.description,
        "kind": arrangement.kind,
        "delivery_model": arrangement.delivery_model,
        "delivery_model_label": arrangement.get_delivery_model_display(),
        "status": arrangement.status,
        "status_label": arrangement.get_status_display(),
        "categories": [c.key for c in arrangement.categories.all()],
        "services": [{"lgsl": s.lgsl, "label": s.label} for s in arrangement.services.all()],
        "start_date": arrangement.start_date.isoformat() if arrangement.start_date else None,
        "start_year": arrangement.start_year,
        "end_date": arrangement.end_date.isoformat() if arrangement.end_date else None,
        "end_year": arrangement.end_year,
        "lead_organisation": lead.code if lead else None,
        "partners": [
            {"code": p.organisation.code, "name": p.organisation.name, "role": p.role,
             "joined_on": p.joined_on.isoformat() if p.joined_on else None,
             "left_on": p.left_on.isoformat() if p.left_on else None,
             "current_organisation": p.organisation.is_current}
            for p in partnerships
        ],
        "baseline_annual_cost_gbp": arrangement.baseline_annual_cost,
        "baseline_year": arrangement.baseline_year,
        "setup_cost_gbp": arrangement.setup_cost,
        "savings": [
            {"basis": s.basis, "year": s.year, "total_gbp": s.total, "staff_gbp": s.staff, "other_gbp": s.other}
            for s in savings
        ],
        "cumulative_savings_achieved_gbp": arrangement.cumulative_savings_achieved,
        "cumulative_savings_to": arrangement.cumulative_savings_to,
        "no_savings_reason": arrangement.no_savings_reason,
        "non_financial_benefits": arrangement.non_financial_benefits,
        "has_exit_strategy": arrangement.has_exit_strategy,
        "has_contingency_plan": arrangement.has_contingency_plan,
        "status_history": [
            {"status": c.status, "date": c.changed_on.isoformat() if c.changed_on else None, "year": c.changed_year,
             "note": c.note}
            for c in arrangement.status_changes.all()
        ],
        "sources": [{"url": s.url, "citation": s.citation} for s in arrangement.sources.all()],
        "published": arrangement.published,
    }


def soft_delete(arrangement: Arrangement, user) -> None:
    arrangement.deleted_at = timezone.now()
    arrangement.deleted_by = user
    arrangement._change_reason = "Deleted"
    arrangement.save()


def undelete(arrangement: Arrangement, user) -> None:
    arrangement.deleted_at = None
    arrangement.deleted_by = None
    arrangement._change_reason = f"Restored from deletion by {user.get_username()}"
    arrangement.save()


def publish(arrangement: Arrangement, user) -> None:
    arrangement.published = True
    arrangement.published_at = timezone.now()
    arrangement.published_by = user
    arrangement._change_reason = "Published"
    arrangement.save()


def restore_version(arrangement: Arrangement, record, user) -> None:
    """Put back an earlier version's own fields and services; the restore is itself a new version."""
    version = record.instance
    for field in Arrangement._meta.concrete_fields:
        if field.name not in ("id", "created_at", "updated_at", "deleted_at", "deleted_by"):
            setattr(arrangement, field.attname, getattr(version, field.attname))
    arrangement._history_user = user
    arrangement._change_reason = f"Restored the version of {record.history_date:%Y-%m-%d %H:%M}"
    arrangement.save()
    arrangement.services.set([row.service_id for row in record.services.all()])
    arrangement.categories.set([row.servicecategory_id for row in record.categories.all()])
