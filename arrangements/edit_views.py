"""Adding, changing, publishing, deleting and restoring arrangements, with history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from arrangements import importing, permissions, services
from arrangements.edit_forms import ArrangementForm
from arrangements.models import Arrangement

NOT_EDITOR = "Only editors of a partner organisation and moderators can change this arrangement."


def _visible(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


@login_required
def create(request):
    if not (request.user.is_moderator or permissions.editable_organisation_ids(request.user)):
        raise PermissionDenied("Only editors of an organisation and moderators can add arrangements.")
    form = ArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft, problems = importing.Validator(request.user).validate(1, form.row())
        if draft and draft.existing:
            problems = [importing.Problem(1, "title", draft.title,
                                          "An arrangement with this title and lead organisation already exists")]
        if problems:
            form.add_problems(problems)
        else:
            with transaction.atomic():
                importing.save_drafts([draft], request.user)
            created = Arrangement.objects.filter(title=draft.title, created_by=request.user).order_by("-pk").first()
            messages.success(request, f"“{created.title}” added. A moderator will publish it.")
            return redirect(created)
    return render(request, "arrangements/edit.html", {"form": form, "arrangement": None})


@login_required
def edit(request, pk: int):
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    form = ArrangementForm(request.POST or None, initial=importing.row_from(arrangement))
    if request.method == "POST" and form.is_valid():
        draft, problems = importing.Validator(request.user).validate(1, form.row())
        if draft and draft.existing and draft.existing.pk != arrangement.pk:
            problems = [importing.Problem(1, "title", draft.title,
                                          "Another arrangement has this title and lead organisation")]
        if problems:
            form.add_problems(problems)
        else:
            with transaction.atomic():
                changed = importing.update_arrangement(arrangement, draft, request.user)
            messages.success(request, "Changes saved." if changed else "Nothing had changed.")
            return redirect(arrangement)
    return render(request, "arrangements/edit.html", {"form": form, "arrangement": arrangement})


def history(request, pk: int):
    arrangement = _visible(request, pk)
    records = list(arrangement.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    entries = []
    for record in records:
        previous = record.prev_record
        changes = record.diff_against(previous).changes if previous else []
        entries.append({"record": record, "changes": [c for c in changes if c.field != "updated_at"]})
    return render(request, "arrangements/history.html", {
        "arrangement": arrangement, "entries": entries,
        "can_restore": permissions.can_edit(request.user, arrangement),
    })


@login_required
@require_POST
def restore_version(request, pk: int, history_id: int):
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    record = get_object_or_404(arrangement.history, history_id=history_id)
    with transaction.atomic():
        services.restore_version(arrangement, record, request.user)
    messages.success(request, f"Restored the version of {record.history_date:%-d %B %Y, %H:%M}.")
    return redirect(arrangement)


@login_required
def delete(request, pk: int):
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    if request.method == "POST":
        services.soft_delete(arrangement, request.user)
        messages.success(request, f"“{arrangement.title}” deleted. A moderator can restore it.")
        return redirect("arrangements:list")
    return render(request, "arrangements/delete.html", {"arrangement": arrangement})


@login_required
def deleted(request):
    if not request.user.is_moderator:
        raise PermissionDenied("Only moderators can see deleted arrangements.")
    items = Arrangement.objects.filter(deleted_at__isnull=False).select_related("deleted_by").order_by("-deleted_at")
    return render(request, "arrangements/deleted.html", {"items": items})


@login_required
@require_POST
def undelete(request, pk: int):
    arrangement = get_object_or_404(Arrangement, pk=pk, deleted_at__isnull=False)
    if not permissions.can_undelete(request.user, arrangement):
        raise PermissionDenied("Only moderators can restore a deleted arrangement.")
    services.undelete(arrangement, request.user)
    messages.success(request, f"“{arrangement.title}” restored.")
    return redirect(arrangement)


@login_required
@require_POST
def publish(request, pk: int):
    arrangement = _visible(request, pk)
    if not permissions.can_publish(request.user, arrangement):
        raise PermissionDenied("Only moderators can publish arrangements.")
    services.publish(arrangement, request.user)
    messages.success(request, f"“{arrangement.title}” is now public.")
    return redirect(arrangement)
