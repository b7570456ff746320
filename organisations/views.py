from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from accounts import author
from accounts.permissions import can_edit_organisation
from benefits.portfolio import portfolio
from organisations import services, writes
from organisations.forms import DirectoryFilterForm, OrganisationDetailsForm, ServedCouncilForm
from organisations.models import Organisation, ServedCouncil


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
            "served": profile.organisation.served.select_related("council"),
            "served_by": profile.organisation.served_by.select_related("body"),
            "may_record_served": writes.may_record_for(request.user, profile.organisation),
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
    """Changes people made to the organisation's details, and the councils it was recorded as
    serving (or served by), newest first."""
    organisation = services.get_organisation(code)
    records = organisation.history.select_related("history_user").order_by("-history_date")[:50]
    show_people = author.may_see_people(request.user, [organisation])
    changes = []
    for record in records:
        previous = record.prev_record
        diff = record.diff_against(previous).changes if previous else []
        changes.append(
            {
                "when": record.history_date,
                "who": author.who(record.history_user, organisation, show_people),
                "changes": [
                    {"label": Organisation._meta.get_field(c.field).verbose_name, "old": c.old, "new": c.new}
                    for c in diff
                    if c.field in Organisation.USER_MAINTAINED_FIELDS or previous is None
                ],
                "summary": record.get_history_type_display()
                + (f": {record.history_change_reason}" if record.history_change_reason else ""),
            }
        )
    served = (
        ServedCouncil.history.filter(
            Q(body_id=organisation.pk) | Q(council_id=organisation.pk), history_type__in=["+", "-"]
        )
        .select_related("history_user")
        .order_by("-history_date")[:50]
    )
    names = dict(
        Organisation.objects.filter(pk__in={r.body_id for r in served} | {r.council_id for r in served}).values_list(
            "pk", "name"
        )
    )
    for record in served:
        fact = f"{names.get(record.body_id, 'a body')} serves {names.get(record.council_id, 'a council')}"
        changes.append(
            {
                "when": record.history_date,
                "who": author.who(record.history_user, organisation, show_people),
                "changes": [],
                "summary": f"Recorded: {fact}" if record.history_type == "+" else f"Removed: {fact}",
            }
        )
    changes.sort(key=lambda c: c["when"], reverse=True)
    return render(request, "organisations/history.html", {"organisation": organisation, "changes": changes[:50]})


@login_required
def serves(request, code: str):
    """Record a council that a body with no area of its own serves (one small form)."""
    organisation = services.get_organisation(code)
    if not writes.may_record_for(request.user, organisation):
        raise PermissionDenied("Only editors of this body or of a council it serves, and moderators, can record this.")
    form = ServedCouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = writes.record_served(
            request.user, organisation, form.cleaned_data["council"], form.cleaned_data["source"]
        )
        if outcome.forbidden:
            raise PermissionDenied(outcome.problems[0].message)
        if outcome.ok:
            messages.success(request, f"Recorded: {organisation.name} serves {outcome.value.council.name}.")
            return redirect(organisation)
        for problem in outcome.problems:
            form.add_error(problem.field or None, problem.message)
    return render(request, "organisations/serves.html", {"form": form, "organisation": organisation})


@login_required
def remove_served(request, code: str, pk: int):
    served = ServedCouncil.objects.select_related("body", "council").filter(pk=pk, body__code=code).first()
    if served is None:
        raise Http404("No such record")
    if request.method != "POST":
        return redirect(served.body)
    outcome = writes.remove_served(request.user, served)
    if outcome.forbidden:
        raise PermissionDenied(outcome.problems[0].message)
    messages.success(request, f"Removed: {served.body.name} serves {served.council.name}.")
    return redirect(served.body)
