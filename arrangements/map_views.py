"""The map and the dashboard: the register's filters (the same form and the same
`services.filtered` as the list page), drawn as a map and as charts with tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from arrangements import dashboard as figures
from arrangements import listing, register, services
from arrangements.figures import SHARE_NOTE
from arrangements.models import Arrangement
from arrangements.views import filters_from_request


def _scope(user) -> str:
    """Which arrangements the figures cover, in words, for every figure's source line (the
    same words for everyone who sees no draft: the page parts kept for them are shared)."""
    if listing.sees_only_published(user):
        return "published arrangements"
    if user.is_moderator:
        return "all arrangements, published and unpublished"
    return "published arrangements and your organisations’ unpublished ones"


def _published(filters) -> QuerySet[Arrangement]:
    """The published arrangements matching the filters: what the public sees, and the part of
    what everyone else sees that is kept for the public against the register version."""
    return services.filtered(AnonymousUser(), filters)


def _drafts(qs: QuerySet[Arrangement]) -> QuerySet[Arrangement]:
    """The rest of what someone who sees drafts sees: the unpublished arrangements visible to
    them. Apart from `_published` (nothing is both), so the two parts' figures add exactly."""
    return qs.unpublished()


def _context(request) -> dict:
    form, filters = filters_from_request(request)
    return {
        "form": form,
        "filters": filters,
        "filtered": bool(filters.as_query()),
        "query": urlencode(filters.as_query()),
        "scope": _scope(request.user),
        "as_at": timezone.localdate(),
        "arrangements_qs": services.filtered(request.user, filters),
    }


def map_page(request):
    """The councils shaded by their counts (kept against the register version for the public),
    and one page of the arrangements with their partners: neither grows with the register."""
    context = _context(request)
    qs = context.pop("arrangements_qs")
    filters = context["filters"]
    public = listing.sees_only_published(request.user)
    key = register.key_for("map-count-parts", sorted(filters.as_query().items()))

    def kept_parts() -> dict:
        return register.cached(key, lambda: figures.partner_count_parts(_published(filters)))

    # The public's part, kept; for someone who sees drafts, only their drafts counted live with it.
    if public:
        version = register.current()  # before the counts: a write in between keeps them under the old number
        parts = kept_parts()
    else:
        parts = register.combined(
            lambda: figures.combine_partner_count_parts(kept_parts(), figures.partner_count_parts(_drafts(qs))),
            lambda: figures.partner_count_parts(qs),
        )
    counts = figures.with_addresses(figures.partner_counts_from_parts(parts))
    total = listing.count(request.user, filters, qs)
    page = Paginator(listing._Counted(total), figures.MAP_PAGE_SIZE).get_page(request.GET.get("page"))
    ids = listing.page_ids(qs, page.number, figures.MAP_PAGE_SIZE)
    arrangements = figures.map_arrangements(Arrangement.objects.filter(pk__in=ids).order_by(*services.LISTING_ORDER))
    bins = figures.count_bins(max((c["arrangements"] for c in counts), default=0))

    def councils_table() -> str:
        return render_to_string(
            "arrangements/_council_counts.html",
            {"counts": counts, "total": total, "scope": context["scope"], "as_at": context["as_at"]},
        )

    # The table of councils is the page's largest part (400 rows) and the same for everyone who
    # sees only published arrangements: kept, rendered, in this worker's cache for the register
    # version and filters (and day: its "as at" date), like the public list's pages.
    councils = (
        cache.get_or_set(f"map-councils:{version}:{key}:{context['as_at'].isoformat()}", councils_table)
        if public
        else councils_table()
    )
    return render(
        request,
        "arrangements/map.html",
        {
            **context,
            "counts": counts,
            "councils_table": councils,
            "total": total,
            "arrangements": arrangements,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "capped": total > len(arrangements),
            "bins": bins,
            "map_data": figures.map_data(counts, arrangements, bins, total),
        },
    )


def _largest(rows: list[dict], key: str) -> int:
    """The largest value in a chart, which sets the scale of its bars."""
    return max((row[key] or 0 for row in rows), default=0) or 1


def _savings_sections(money) -> list[dict]:
    """Expected savings, achieved savings (signed off: only these count as achieved) and savings
    reported but not yet signed off, by year and by category, from figures counted once."""
    sections = []
    amounts = {
        "expected": lambda row: row.expected,
        "achieved": lambda row: row.achieved_signed_off,
        "reported": lambda row: row.achieved_reported,
    }
    for key, title in (
        ("expected", "Expected savings"),
        ("achieved", "Achieved savings (signed off)"),
        ("reported", "Savings reported, not yet signed off"),
    ):
        amount = amounts[key]

        by_year, running = [], 0
        for row in money.figures.by_year:
            if amount(row):
                running += amount(row)
                by_year.append(
                    {
                        "year": row.year,
                        "total": amount(row),
                        "cumulative": running,
                        "signed_off": row.achieved_signed_off,
                        "reported": row.achieved_reported,
                    }
                )
        by_category = sorted(
            (
                {
                    "label": money.label(row.category),
                    "total": amount(row),
                    "signed_off": row.achieved_signed_off,
                    "reported": row.achieved_reported,
                }
                for row in money.figures.by_category
                if amount(row)
            ),
            key=lambda r: (-r["total"], r["label"]),
        )
        sections.append(
            {
                "key": key,
                "title": title,
                "by_year": by_year,
                "by_category": by_category,
                "year_scale": _largest(by_year, "total"),
                "category_scale": _largest(by_category, "total"),
                "total": running,
            }
        )
    return sections


def _dashboard_parts(qs) -> dict:
    """What the dashboard's figures are made of, for these arrangements (see `figures.summary_parts`)."""
    from benefits.services import live_without_baseline

    parts = figures.summary_parts(qs)
    # The page shows no entry left out of the totals (an arrangement's own page does), and over
    # the whole register they are many: not kept, nor read back for each person who sees drafts.
    parts["money"]["figures"]["left_out"] = []
    return {"summary": parts, "no_baseline": live_without_baseline(qs)}


def _combine_dashboard_parts(*parts: dict) -> dict:
    return {
        "summary": figures.combine_parts(*(part["summary"] for part in parts)),
        "no_baseline": sum(part["no_baseline"] for part in parts),
    }


def _dashboard_figures(parts: dict) -> dict:
    """What the dashboard shows, as plain data (so the public's can be kept)."""
    data = figures.summary_from_parts(parts["summary"])
    sections = _savings_sections(data["money"])
    return {"data": plain_money(data), "savings_sections": sections, "no_baseline": parts["no_baseline"]}


def plain_money(data: dict) -> dict:
    """`summary`'s figures with the money as the three totals the page shows (the rest of it is
    in the savings sections), so that they can be kept as JSON."""
    money = data["money"].figures
    return {
        **data,
        "money": {
            "figures": {
                "expected": money.expected,
                "achieved_signed_off": money.achieved_signed_off,
                "achieved_reported": money.achieved_reported,
            }
        },
    }


def dashboard(request):
    """Kept against the register version for the public (and for signed-in people who see no
    draft), so the page does not grow with the register; people who see drafts get the public's
    part, kept, put together with their drafts' figures counted live."""
    context = _context(request)
    qs = context.pop("arrangements_qs")
    filters = context["filters"]
    query = sorted(filters.as_query().items())

    def published_parts() -> dict:
        return register.cached(
            register.key_for("dashboard-parts", query), lambda: _dashboard_parts(_published(filters))
        )

    if listing.sees_only_published(request.user):
        # The page's figures kept as well as their parts: the public's page is one query, as before.
        kept = register.cached(register.key_for("dashboard", query), lambda: _dashboard_figures(published_parts()))
    else:
        kept = _dashboard_figures(
            register.combined(
                lambda: _combine_dashboard_parts(published_parts(), _dashboard_parts(_drafts(qs))),
                lambda: _dashboard_parts(qs),
            )
        )
    data, savings_sections = kept["data"], kept["savings_sections"]
    rankings = [
        {
            "key": "top-categories",
            "title": "Service categories",
            "column": "Category",
            "rows": data["top_categories"],
            "scale": _largest(data["top_categories"], "count"),
        },
        {
            "key": "top-services",
            "title": "Services (Local Government Service List)",
            "column": "Service",
            "rows": data["top_services"],
            "scale": _largest(data["top_services"], "count"),
        },
    ]
    return render(
        request,
        "arrangements/dashboard.html",
        {
            **context,
            "data": data,
            "as_at_text": date_format(context["as_at"], "j F Y"),
            "scales": {
                "status": _largest(data["by_status"], "count"),
                "types": _largest(data["organisations"]["by_type"], "count"),
            },
            "savings_sections": savings_sections,
            "rankings": rankings,
            "share_note": SHARE_NOTE,
            "achieved_total": data["money"]["figures"]["achieved_signed_off"],
            "no_baseline": kept["no_baseline"],
        },
    )
