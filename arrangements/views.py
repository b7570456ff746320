from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from arrangements import exports, figures, listing, permissions, services
from arrangements.forms import ArrangementFilterForm
from arrangements.models import Arrangement, Measure
from organisations.models import Organisation
from organisations.services import region_choices
from services.models import Service, ServiceCategory


def filters_from_request(request) -> tuple[ArrangementFilterForm, services.ArrangementFilters]:
    form = ArrangementFilterForm(request.GET or None, regions=region_choices())
    if form.is_valid():
        return form, services.ArrangementFilters.from_mapping(form.cleaned_data)
    return form, services.ArrangementFilters()


SORTS = (("title", "Arrangement"), ("start_year", "Since"), ("status", "Status"), ("savings", "Savings"))


def _applied(form, filters: services.ArrangementFilters, sort: str) -> list[dict]:
    """Each filter applied, in words, with the address of this view without it."""
    query = {**filters.as_query(), **({"sort": sort} if sort else {})}
    tags = []
    for name, value in filters.as_query().items():
        field = form.fields[name]
        shown = dict(getattr(field, "choices", ())).get(value, value) if hasattr(field, "choices") else value
        if name == "organisation":
            shown = Organisation.objects.filter(code=value).values_list("name", flat=True).first() or value
        elif name == "service":  # chosen by everyday words, outside the category's list
            shown = Service.objects.filter(lgsl=value).values_list("label", flat=True).first() or value
        rest = {k: v for k, v in query.items() if k != name}
        tags.append({"label": field.label, "value": shown, "url": f"?{urlencode(rest)}" if rest else "?"})
    return tags


def _sort_links(filters: services.ArrangementFilters, sort: str) -> list[dict]:
    """The sortable columns: each link sorts by it, the current one turns the order round."""
    links = []
    for key, label in SORTS:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        target = f"-{key}" if current and not descending else key
        links.append(
            {
                "key": key,
                "label": label,
                "url": "?" + urlencode({**filters.as_query(), "sort": target}),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return links


def arrangement_list(request):
    form, filters = filters_from_request(request)
    sort = request.GET.get("sort", "")
    sort = sort if sort in services.ORDERS else ""
    page = listing.page(request.user, filters, request.GET.get("page"), settings.DIRECTORY_PAGE_SIZE, order=sort)
    labels = dict(ServiceCategory.objects.values_list("key", "label"))
    rows = [
        {**r, "category_labels": [labels.get(k, k) for k in r["categories"]], "savings": listing.savings(r)}
        for r in page.records
    ]
    query = {**filters.as_query(), **({"sort": sort} if sort else {})}
    return render(
        request,
        "arrangements/list.html",
        {
            "form": form,
            "page": page.paginated,
            "rows": rows,
            "total": page.count,
            "page_range": page.elided_range(),
            "query": urlencode(query),
            "download_query": urlencode(filters.as_query()),
            "filters": filters,
            "applied": _applied(form, filters, sort),
            "sorts": _sort_links(filters, sort),
        },
    )


def download(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404("No such download format")
    _form, filters = filters_from_request(request)
    queryset = services.filtered(request.user, filters)
    if fmt == "xlsx":
        # A workbook is built whole before it is sent (see `exports.as_xlsx`): past this many rows
        # that takes minutes, so the page says so and offers the streamed CSV of the same view.
        total = listing.count(request.user, filters, queryset)
        if total > settings.DOWNLOAD_XLSX_MAX_ROWS:
            context = {"total": total, "limit": settings.DOWNLOAD_XLSX_MAX_ROWS, "query": urlencode(filters.as_query())}
            return render(request, "arrangements/download_too_large.html", context, status=422)
    return exports.FORMATS[fmt](queryset, request.build_absolute_uri("/")[:-1])


def detail(request, pk: int):
    arrangement = get_object_or_404(services.with_details(Arrangement.objects.visible_to(request.user)), pk=pk)
    entries = list(arrangement.ledger.all())
    from benefits import services as benefits

    plan = benefits.plan_for(arrangement)
    benefits.mark_sign_offs(request.user, arrangement, entries)
    return render(
        request,
        "arrangements/detail.html",
        {
            "arrangement": arrangement,
            "ledger": entries,
            "has_baseline": any(e.measure == Measure.BASELINE_COST for e in entries),
            "plan": plan,
            "shows_names": permissions.is_partner_member(request.user, arrangement),
            "left_out": figures.left_out_of(entries),
            "partnerships": list(arrangement.partnerships.all()),
            "can_edit": permissions.can_edit(request.user, arrangement),
            "can_publish": not arrangement.published and permissions.can_publish(request.user, arrangement),
            "pending": services.pending_revision(arrangement, request.user),
        },
    )
