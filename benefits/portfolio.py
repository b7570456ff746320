"""An organisation's portfolio: every arrangement it is or was in, with its part, services, status
and since when, expected and signed-off achieved savings, the RAG of its benefits plan and whether
a baseline is recorded; its totals (each pound counted once), its contract end dates, its open
board posts and a link to find partners. The profile page, the API and the committee report read
it from here. An abolished council keeps its portfolio: its past arrangements stay attached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone

from arrangements import figures
from arrangements.models import Arrangement, Partnership, StatusChange
from benefits import services as benefits


@dataclass
class Row:
    arrangement: Arrangement
    role: str
    joined_on: dt.date | None
    left_on: dt.date | None
    services: list[str]
    status: str
    status_since: str
    expected: int
    achieved: int  # signed off only
    reported: int  # reported, not yet signed off
    rag: str | None
    rag_label: str
    rag_tag: str
    baseline: bool

    @property
    def current(self) -> bool:
        return self.left_on is None and self.arrangement.status not in ("ended", "disaggregated")


@dataclass
class Portfolio:
    organisation: object
    rows: list[Row]
    expected: int
    achieved: int
    reported: int
    contracts: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    as_at: dt.date = field(default_factory=timezone.localdate)

    @cached_property
    def live_without_baseline(self) -> int:
        """Running (live, under review or expanded) without a baseline: the dashboard's definition."""
        return benefits.live_without_baseline(Arrangement.objects.filter(pk__in=[r.arrangement.pk for r in self.rows]))

    @property
    def find_partners_url(self) -> str:
        return f"/partners/?organisation={self.organisation.code}"


def _since(arrangement: Arrangement) -> str:
    changes = [c for c in arrangement.status_changes.all() if c.status == arrangement.status]
    last = changes[-1] if changes else None
    if last is not None and last.changed_on:
        return last.changed_on.strftime("%-d %B %Y")
    if last is not None and last.changed_year:
        return str(last.changed_year)
    if arrangement.start_date:
        return arrangement.start_date.strftime("%-d %B %Y")
    return str(arrangement.start_year) if arrangement.start_year else "date not known"


def portfolio(organisation, user) -> Portfolio:
    """What `user` may see of `organisation`'s arrangements (the public: published ones)."""
    from partners.models import Post

    visible = Arrangement.objects.visible_to(user).filter(partnerships__organisation=organisation).distinct()
    partnerships = list(
        Partnership.objects.filter(organisation=organisation, arrangement__in=visible.values("pk"))
        .select_related("arrangement")
        .prefetch_related(
            "arrangement__services",
            "arrangement__categories",
            "arrangement__ledger",
            Prefetch("arrangement__status_changes", queryset=StatusChange.objects.all()),
        )
        .order_by("arrangement__title")
    )
    today = timezone.localdate()
    rows = []
    for p in partnerships:
        a = p.arrangement
        ledger = list(a.ledger.all())
        totals = figures.arrangement_totals(ledger)
        plan = benefits.plan_for(a, today)
        rows.append(
            Row(
                arrangement=a,
                role=p.get_role_display(),
                joined_on=p.joined_on,
                left_on=p.left_on,
                # The services named, or else the categories it covers.
                services=[s.label for s in a.services.all()] or [c.label for c in a.categories.all()],
                status=a.get_status_display(),
                status_since=_since(a),
                expected=totals.expected,
                achieved=totals.achieved_signed_off,
                reported=totals.achieved_reported,
                rag=plan.rag,
                rag_label=plan.rag_label,
                rag_tag=plan.rag_tag,
                baseline=plan.baseline,
            )
        )
    money = figures.register_figures(visible).figures
    # Current rows first, then those it has left or that have ended.
    rows.sort(key=lambda r: (not r.current, r.arrangement.title))
    return Portfolio(
        organisation=organisation,
        rows=rows,
        expected=money.expected,
        achieved=money.achieved_signed_off,
        reported=money.achieved_reported,
        contracts=list(organisation.contracts.select_related("category", "service").order_by("ends_on")),
        posts=list(Post.objects.active().filter(organisation=organisation).select_related("category")),
        as_at=today,
    )


def as_api(p: Portfolio, base_url: str = "") -> dict:
    return {
        "organisation": {
            "code": p.organisation.code,
            "name": p.organisation.name,
            "current": p.organisation.is_current,
        },
        "as_at": p.as_at,
        "totals": {
            "arrangements": len(p.rows),
            "expected": p.expected,
            "achieved": p.achieved,
            "reported_not_signed_off": p.reported,
            "live_without_baseline": p.live_without_baseline,
        },
        "arrangements": [
            {
                "id": r.arrangement.pk,
                "url": f"{base_url}{r.arrangement.get_absolute_url()}",
                "title": r.arrangement.title,
                "role": r.role,
                "joined_on": r.joined_on,
                "left_on": r.left_on,
                "services": r.services,
                "status": r.arrangement.status,
                "status_label": r.status,
                "status_since": r.status_since,
                "expected": r.expected,
                "achieved": r.achieved,
                "reported_not_signed_off": r.reported,
                "benefits_rag": r.rag,
                "baseline_recorded": r.baseline,
            }
            for r in p.rows
        ],
        "contracts": [
            {"description": c.description, "category": c.category.label, "ends_on": c.ends_on} for c in p.contracts
        ],
        "open_posts": [
            {"title": post.title, "category": post.category.label, "url": f"{base_url}{post.get_absolute_url()}"}
            for post in p.posts
        ],
        "find_partners_url": f"{base_url}{p.find_partners_url}",
    }
