"""An organisation's members page: its admins (or a moderator, while it has none) approve or
refuse requests to join, change roles and the sign-off flag, remove members, invite people and
set the organisation's account rules. Every change goes through accounts.writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import writes
from accounts.forms import InviteForm, MemberForm, SecurityForm
from accounts.models import Invitation, JoinRequest, Membership, OrganisationSecurity, Role
from organisations.models import Organisation


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _forbidden(request, organisation):
    return render(request, "403.html", {"exception": writes.NOT_YOURS}, status=403)


def _done(request, organisation, outcome, success: str):
    if outcome.forbidden:
        return _forbidden(request, organisation)
    if outcome.ok:
        messages.success(request, success)
    else:
        for problem in outcome.problems:
            messages.error(request, problem.message)
    return redirect("accounts:members", organisation.code)


@login_required
def unadministered(request):
    """For moderators: requests to join organisations that have no admin yet, which they decide."""
    if not request.user.is_moderator:
        return render(
            request, "403.html", {"exception": "Only moderators decide for organisations with no admin"}, status=403
        )
    admins = Membership.objects.filter(role=Role.ADMIN, user__is_active=True).values("organisation_id")
    waiting = (
        JoinRequest.objects.filter(state=JoinRequest.State.WAITING)
        .exclude(organisation_id__in=admins)
        .select_related("user", "organisation")
        .order_by("created")
    )
    return render(request, "accounts/unadministered.html", {"waiting": waiting})


@login_required
def members(request, code: str, invite_form=None):
    organisation = _organisation(code)
    if not writes.can_manage_members(request.user, organisation):
        return _forbidden(request, organisation)
    security = OrganisationSecurity.objects.filter(organisation=organisation).first()
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "waiting": JoinRequest.objects.filter(organisation=organisation, state=JoinRequest.State.WAITING)
            .select_related("user")
            .order_by("created"),
            "invitations": Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).order_by(
                "-created"
            ),
            "roles": Role.choices,
            "invite_form": invite_form or InviteForm(),
            "security_form": SecurityForm(initial={"require_mfa": bool(security and security.require_mfa)}),
        },
    )


@login_required
@require_POST
def decide(request, code: str, pk: int):
    organisation = _organisation(code)
    join_request = get_object_or_404(JoinRequest.objects.select_related("user"), pk=pk, organisation=organisation)
    approve = request.POST.get("decision") == "approve"
    outcome = writes.decide_join_request(request.user, join_request, approve, request.POST.get("role", Role.VIEWER))
    who = join_request.user.get_full_name() or join_request.user.username
    return _done(request, organisation, outcome, f"{who} {'is now a member' if approve else 'was refused'}.")


@login_required
def member(request, code: str, pk: int):
    organisation = _organisation(code)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    if not writes.can_manage_members(request.user, organisation):
        return _forbidden(request, organisation)
    form = MemberForm(request.POST or None, initial={"role": membership.role, "can_sign_off": membership.can_sign_off})
    if request.method == "POST" and "remove" in request.POST:
        outcome = writes.remove_member(request.user, membership)
        who = membership.user.get_full_name() or membership.user.username
        return _done(request, organisation, outcome, f"{who} is no longer a member.")
    if request.method == "POST" and form.is_valid():
        outcome = writes.change_member(
            request.user, membership, form.cleaned_data["role"], form.cleaned_data["can_sign_off"]
        )
        if outcome.forbidden:
            return _forbidden(request, organisation)
        if outcome.ok:
            messages.success(request, "Role saved.")
            return redirect("accounts:members", organisation.code)
        for problem in outcome.problems:
            form.add_error("role" if problem.field == "role" else None, problem.message)
    return render(
        request, "accounts/member.html", {"organisation": organisation, "membership": membership, "form": form}
    )


@login_required
@require_POST
def invite(request, code: str):
    organisation = _organisation(code)
    if not writes.can_manage_members(request.user, organisation):
        return _forbidden(request, organisation)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return members(request, code, invite_form=form)
    outcome = writes.invite(request.user, organisation, form.cleaned_data["email"], form.cleaned_data["role"])
    return _done(request, organisation, outcome, f"Invitation sent to {form.cleaned_data['email']}.")


@login_required
@require_POST
def security(request, code: str):
    organisation = _organisation(code)
    form = SecurityForm(request.POST)
    form.is_valid()
    require = bool(form.cleaned_data.get("require_mfa"))
    outcome = writes.set_require_mfa(request.user, organisation, require)
    return _done(
        request,
        organisation,
        outcome,
        "Members must now use a second factor." if require else "A second factor is now each member's choice.",
    )
