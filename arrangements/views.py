from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from arrangements import exports, figures, permissions, services
from arrangements.forms import ArrangementFilterForm
from arrangements.models import Arrangement, Measure
from organisations.services import region_choices


def filters_from_request(request) -> tuple[ArrangementFilterForm, services.ArrangementFilters]:
    form = ArrangementFilterForm(request.GET or None, regions=region_choices())
    if form.is_valid():
        return form, services.ArrangementFilters.from_mapping(form.cleaned_data)
    return form, services.ArrangementFilters()


def arrangement_list(request):
    form, filters = filters_from_request(request)
    queryset = services.with_details(services.filtered(request.user, filters))
    paginator = Paginator(queryset, settings.DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "arrangements/list.html",
        {
            "form": form,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
            "filters": filters,
        },
    )


def download(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404("No such download format")
    _form, filters = filters_from_request(request)
    queryset = services.with_details(services.filtered(request.user, filters))
    return exports.FORMATS[fmt](queryset.iterator(chunk_size=500), request.build_absolute_uri("/")[:-1])


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
