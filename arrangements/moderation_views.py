"""The moderators' queue, and each organisation's record of the changes it sent.

Every decision goes through `arrangements.writes` (through `arrangements.moderation` for a
whole import or survey return): these views show the queue, carry a decision there and say
what happened. Until email arrives, the changes page is how a rejection's reason reaches
the editor's organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from arrangements import moderation, permissions, writes
from arrangements.forms import ReasonForm
from arrangements.models import Arrangement, Revision

NOT_MODERATOR = "Only moderators can see and decide what is waiting for moderation."


def _check(user) -> None:
    if not permissions.may_moderate(user):
        raise PermissionDenied(NOT_MODERATOR)


def _sent_by(revision: Revision) -> str:
    return revision.organisation.name if revision.organisation else ""


def _told(revision: Revision) -> str:
    if revision.organisation:
        return f"{revision.organisation.name} can read the reason on its changes page."
    return "The editor can read the reason on their changes page."


def _queue_page(request, *, form: ReasonForm | None = None, failures=()):
    """The queue; after a refused decision, with its problems and the reason box as sent."""
    queue = moderation.queue(request.user)
    for group in queue.groups:
        if group.kind != "one":
            prefix = f"{group.kind}-{group.pk}"
            group.reject_form = (
                form
                if form is not None and form.prefix == prefix
                else ReasonForm(prefix=prefix, sent_by=_sent_by(group.revisions[0]))
            )
        for revision in group.revisions:
            prefix = f"revision-{revision.pk}"
            revision.reject_form = (
                form
                if form is not None and form.prefix == prefix
                else ReasonForm(prefix=prefix, sent_by=_sent_by(revision))
            )
            revision.changes_now = moderation.changed_since(revision)
    return render(
        request,
        "arrangements/moderation.html",
        {
            "queue": queue,
            "form": form,
            "failures": [{"revision": r, "problems": p} for r, p in failures],
        },
    )


@login_required
def queue(request):
    _check(request.user)
    return _queue_page(request)


def _revision(request, pk: int) -> Revision:
    _check(request.user)
    revisions = Revision.objects.filter(arrangement__deleted_at__isnull=True)
    return get_object_or_404(revisions.select_related("arrangement", "organisation"), pk=pk)


def _already_decided(request, outcome: writes.Outcome):
    """A second press of the button, or another moderator was quicker: say so and move on."""
    problem = next((p for p in outcome.problems if p.code == "not_pending"), None)
    if problem is None:
        return None
    messages.success(request, problem.message)
    return redirect("arrangements:moderation")


@login_required
@require_POST
def approve(request, pk: int):
    revision = _revision(request, pk)
    outcome = writes.approve(request.user, revision)
    if outcome.forbidden:
        raise PermissionDenied(outcome.problems[0].message)
    if decided := _already_decided(request, outcome):
        return decided
    if outcome.problems:
        return _queue_page(request, failures=[(revision, outcome.problems)])
    title = revision.arrangement.title
    messages.success(
        request,
        f"“{title}” is deleted."
        if revision.action == "delete"
        else f"Change to “{title}” approved: the public sees it now.",
    )
    return redirect("arrangements:moderation")


@login_required
@require_POST
def reject(request, pk: int):
    revision = _revision(request, pk)
    form = ReasonForm(request.POST, prefix=f"revision-{pk}", sent_by=_sent_by(revision))
    outcome = writes.reject(request.user, revision, form["reason"].value() or "")
    if outcome.forbidden:
        raise PermissionDenied(outcome.problems[0].message)
    if decided := _already_decided(request, outcome):
        return decided
    if outcome.problems:  # what is left are problems with the reason
        form.show(outcome.problems)
        return _queue_page(request, form=form)
    messages.success(request, f"Change to “{revision.arrangement.title}” rejected. {_told(revision)}")
    return redirect("arrangements:moderation")


def _group(request, kind: str, pk: int) -> list[Revision]:
    _check(request.user)
    return moderation.group_revisions(request.user, kind, pk)


def _nothing_waiting(request):
    messages.success(request, "Nothing from it is waiting for you to decide: it may have been decided already.")
    return redirect("arrangements:moderation")


def _count(revisions) -> str:
    return f"{len(revisions)} change{'' if len(revisions) == 1 else 's'}"


@login_required
@require_POST
def approve_group(request, kind: str, pk: int):
    revisions = _group(request, kind, pk)
    if not revisions:
        return _nothing_waiting(request)
    decided = moderation.approve_all(request.user, revisions)
    if decided.done:
        messages.success(request, f"{_count(decided.done)} approved ({revisions[0].door}).")
    if decided.failed:
        return _queue_page(request, failures=decided.failed)
    return redirect("arrangements:moderation")


@login_required
@require_POST
def reject_group(request, kind: str, pk: int):
    revisions = _group(request, kind, pk)
    if not revisions:
        return _nothing_waiting(request)
    first = revisions[0]
    form = ReasonForm(request.POST, prefix=f"{kind}-{pk}", sent_by=_sent_by(first))
    decided = moderation.reject_all(request.user, revisions, form["reason"].value() or "")
    if decided.done:
        messages.success(request, f"{_count(decided.done)} rejected ({first.door}). {_told(first)}")
    if decided.failed:
        form.show([p for _r, problems in decided.failed for p in problems])
        others = [(r, [p for p in problems if p.field != "reason"]) for r, problems in decided.failed]
        return _queue_page(request, form=form, failures=[(r, problems) for r, problems in others if problems])
    return redirect("arrangements:moderation")


@login_required
@require_POST
def publish(request, pk: int):
    _check(request.user)
    arrangement = get_object_or_404(Arrangement.objects.alive(), pk=pk)
    outcome = writes.publish(request.user, arrangement)
    if outcome.problems:
        raise PermissionDenied(outcome.problems[0].message)
    messages.success(
        request,
        f"“{arrangement.title}” is now public." if outcome.changed else f"“{arrangement.title}” was already public.",
    )
    return redirect("arrangements:moderation")


@login_required
def changes(request):
    """The changes a person's organisations sent for moderation, newest first, with each
    decision: a rejection's reason, or the note of the later change that replaced it."""
    user = request.user
    revisions = (
        Revision.objects.select_related("arrangement", "organisation", "created_by", "decided_by")
        .defer("proposed")
        .order_by("-created_at", "-pk")
    )
    if not permissions.is_moderator(user):
        revisions = revisions.filter(
            Q(organisation_id__in=permissions.member_organisation_ids(user)) | Q(created_by=user)
        )
    paginator = Paginator(revisions, settings.DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "arrangements/changes.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "may_moderate": permissions.may_moderate(user),
        },
    )
