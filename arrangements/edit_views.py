"""Adding, changing, publishing, deleting and restoring arrangements, with history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arrangements import permissions, services, writes
from arrangements.edit_forms import ArrangementForm
from arrangements.models import Arrangement
from arrangements.versions import describe

NOT_EDITOR = "Only editors of a partner organisation and moderators can change this arrangement."


def _visible(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


def _outcome_messages(request, outcome: writes.Outcome, done: str) -> None:
    for note in outcome.notes:
        messages.warning(request, note)
    if outcome.revision is not None:
        messages.success(
            request,
            "Your change is waiting for a moderator. Until it is approved, the public sees "
            "the published version; your organisation sees the change on this page.",
        )
    elif outcome.changed:
        messages.success(request, done)
    else:
        messages.info(request, "Nothing had changed.")


def _form_page(request, arrangement: Arrangement | None):
    initial = writes.current_snapshot(arrangement) if arrangement else None
    form = ArrangementForm(request.POST or None, initial_record=initial)
    if request.method == "POST" and form.is_valid() and "add-money" not in request.POST:
        raw = form.raw()
        if arrangement is None:
            outcome = writes.create(request.user, raw, writes.site())
        else:
            outcome = writes.change(request.user, arrangement, raw, writes.site())
        if outcome.forbidden and arrangement is not None:
            raise PermissionDenied(outcome.problems[0].message)
        if outcome.problems:
            form.add_problems(outcome.problems, raw)
        else:
            done = (
                f"“{outcome.arrangement.title}” added. A moderator will publish it."
                if arrangement is None
                else "Changes saved."
            )
            _outcome_messages(request, outcome, done)
            return redirect(outcome.arrangement)
    return render(request, "arrangements/edit.html", {"form": form, "arrangement": arrangement})


@login_required
def create(request):
    if not (request.user.is_moderator or permissions.editable_organisation_ids(request.user)):
        raise PermissionDenied("Only editors of an organisation and moderators can add arrangements.")
    return _form_page(request, None)


@login_required
def edit(request, pk: int):
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    return _form_page(request, arrangement)


def _who(version, show_people: bool) -> str:
    if show_people and version.user is not None:
        name = version.user.get_full_name() or version.user.get_username()
        return f"{name} ({version.organisation.name})" if version.organisation else name
    if version.organisation is not None:
        return version.organisation.name
    return "Sharewell"


def history(request, pk: int):
    arrangement = _visible(request, pk)
    versions = list(arrangement.versions.select_related("user", "organisation").order_by("-number")[:200])
    show_people = permissions.is_partner_member(request.user, arrangement)
    entries = [{"version": v, "who": _who(v, show_people)} for v in versions]
    return render(
        request,
        "arrangements/history.html",
        {
            "arrangement": arrangement,
            "entries": entries,
            "can_restore": permissions.can_edit(request.user, arrangement),
            "pending": services.pending_revision(arrangement, request.user),
        },
    )


@login_required
def restore_version(request, pk: int, number: int):
    """Shows what restoring would change and asks to confirm; only the POST restores."""
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    version = get_object_or_404(arrangement.versions, number=number)
    current = writes.current_snapshot(arrangement)
    changes = describe(current, version.snapshot)
    if request.method == "POST":
        outcome = writes.restore(request.user, arrangement, version)
        if outcome.problems:
            return render(
                request,
                "arrangements/restore.html",
                {"arrangement": arrangement, "version": version, "changes": changes, "problems": outcome.problems},
            )
        when = timezone.localtime(version.created_at)
        _outcome_messages(request, outcome, f"Restored the version of {when:%-d %B %Y, %H:%M:%S}.")
        return redirect(arrangement)
    return render(
        request, "arrangements/restore.html", {"arrangement": arrangement, "version": version, "changes": changes}
    )


@login_required
def delete(request, pk: int):
    arrangement = _visible(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied(NOT_EDITOR)
    if request.method == "POST":
        outcome = writes.delete(request.user, arrangement, writes.site())
        if outcome.revision is not None:
            messages.success(request, f"Your request to delete “{arrangement.title}” is waiting for a moderator.")
            return redirect(arrangement)
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
    outcome = writes.undelete(request.user, arrangement)
    if outcome.forbidden:
        raise PermissionDenied(outcome.problems[0].message)
    if outcome.problems:
        messages.error(request, outcome.problems[0].message)
        return redirect("arrangements:deleted")
    messages.success(request, f"“{arrangement.title}” restored.")
    return redirect(arrangement)


@login_required
@require_POST
def publish(request, pk: int):
    arrangement = _visible(request, pk)
    outcome = writes.publish(request.user, arrangement)
    if outcome.problems:
        raise PermissionDenied(outcome.problems[0].message)
    messages.success(request, f"“{arrangement.title}” is now public.")
    return redirect(arrangement)
