from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts import author
from accounts.permissions import can_edit_organisation
from benefits.portfolio import portfolio
from organisations import services
from organisations.forms import DirectoryFilterForm, OrganisationDetailsForm
from organisations.models import Organisation


def directory(request):
    form = DirectoryFilterForm(request.GET or None, regions=services.region_choices())
    filters = services.DirectoryFilters()
    if form.is_valid():
        filters = services.DirectoryFilters(**form.cleaned_data)
    paginator = Paginator(services.directory(filters).select_related("parent_county"), settings.DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "page_range": paginator.get_elided_page_range(page.number),
        },
    )


def detail(request, code: str):
    profile = services.profile(code)
    if profile.organisation.code != code:
        return redirect(profile.organisation, permanent=False)  # a GSS code or other case
    return render(
        request,
        "organisations/detail.html",
        {
            "profile": profile,
            "organisation": profile.organisation,
            "map_features": services.map_features(profile),
            "can_edit": can_edit_organisation(request.user, profile.organisation),
            # Contracts live with the arrangements (their app); read here through the relation.
            "contracts": profile.organisation.contracts.select_related("category", "service"),
            "portfolio": portfolio(profile.organisation, request.user),
        },
    )


@login_required
def edit(request, code: str):
    organisation = services.get_organisation(code)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied("Only editors of this organisation and moderators can change its details.")
    form = OrganisationDetailsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        # Remember what a person changed, so the reference import never overwrites it.
        organisation.user_edited_fields = sorted(set(organisation.user_edited_fields) | set(form.changed_data))
        organisation._change_reason = "Edited on the organisation page"
        organisation.save()
        messages.success(request, f"Details of {organisation.name} saved.")
        return redirect(organisation)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


def history(request, code: str):
    organisation = services.get_organisation(code)
    records = organisation.history.select_related("history_user").order_by("-history_date")[:50]
    show_people = author.may_see_people(request.user, [organisation])
    changes = []
    for record in records:
        previous = record.prev_record
        diff = record.diff_against(previous).changes if previous else []
        changes.append(
            {
                "record": record,
                "who": author.who(record.history_user, organisation, show_people),
                "changes": [c for c in diff if c.field in Organisation.USER_MAINTAINED_FIELDS or previous is None],
            }
        )
    return render(request, "organisations/history.html", {"organisation": organisation, "changes": changes})
