"""The one write path for memberships: join requests, invitations, roles, removals and an
organisation's account rules. Every door (the member pages; the admin site for moderators) calls
these, and each checks the actor's right to manage *that* organisation's members."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, JoinRequest, Membership, OrganisationSecurity, Role, User
from sharewell.problems import Problem


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    membership: Membership | None = None
    join_request: JoinRequest | None = None
    invitation: Invitation | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def forbidden(self) -> bool:
        return any(p.code == "forbidden" for p in self.problems)


def _refuse(field_name: str, message: str, code: str = "forbidden") -> Outcome:
    return Outcome(problems=[Problem(field_name, code, message)])


NOT_YOURS = "Only an admin of this organisation can manage its members"


def has_admin(organisation) -> bool:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True).exists()


def can_manage_members(user, organisation) -> bool:
    """An admin of that organisation; a moderator only while it has no admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if Membership.objects.filter(user=user, organisation=organisation, role=Role.ADMIN).exists():
        return True
    return bool(user.is_moderator) and not has_admin(organisation)


def _send(subject: str, lines: list[str], to: list[str]) -> None:
    from notifications.jobs import send_message

    body = "\n".join(lines)
    transaction.on_commit(lambda: send_message.enqueue(subject, body, to))


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


# --- asking to join -------------------------------------------------------------------------


def ask_to_join(user, organisation, job_title: str = "") -> Outcome:
    if not getattr(user, "is_authenticated", False):
        return _refuse("organisation", "Sign in to ask to join an organisation")
    if organisation is None:
        return _refuse("organisation", "Enter the organisation you work for", "required")
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        return _refuse("organisation", f"You are already a member of {organisation.name}", "already_member")
    if JoinRequest.objects.filter(user=user, organisation=organisation, state=JoinRequest.State.WAITING).exists():
        return _refuse("organisation", f"You have already asked to join {organisation.name}", "already_asked")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(user=user, organisation=organisation, job_title=job_title[:150])
    except IntegrityError:
        return _refuse("organisation", f"You have already asked to join {organisation.name}", "already_asked")
    deciders = _deciders(organisation)
    if deciders:
        _send(
            f"Sharewell: {user.get_full_name() or user.username} asks to join {organisation.name}",
            [
                f"{user.get_full_name() or user.username} ({user.email}) asks to join {organisation.name} on Sharewell"
                + (f", as {job_title}." if job_title else "."),
                "",
                "Approve or refuse the request on your organisation's members page:",
                _link("accounts:members", organisation.code),
            ],
            deciders,
        )
    return Outcome(join_request=join_request)


def _deciders(organisation) -> list[str]:
    """Who is told of a request: the organisation's admins, or the moderators if it has none."""
    admins = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.ADMIN, is_active=True
    ).exclude(email="")
    people = admins if admins.exists() else User.objects.filter(is_moderator=True, is_active=True).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def decide_join_request(actor, join_request: JoinRequest, approve: bool, role: str = Role.VIEWER) -> Outcome:
    organisation = join_request.organisation
    if not can_manage_members(actor, organisation):
        return _refuse("join_request", NOT_YOURS)
    if join_request.state != JoinRequest.State.WAITING:
        return _refuse("join_request", "This request has already been decided", "already_decided")
    if role not in Role.values:
        return _refuse("role", "Choose a role: viewer, editor or organisation admin", "invalid")
    requester = join_request.user
    with transaction.atomic():
        updated = JoinRequest.objects.filter(pk=join_request.pk, state=JoinRequest.State.WAITING).update(
            state=JoinRequest.State.APPROVED if approve else JoinRequest.State.REFUSED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if not updated:
            return _refuse("join_request", "This request has already been decided", "already_decided")
        membership = None
        if approve:
            membership, _ = Membership.objects.get_or_create(
                user=requester, organisation=organisation, defaults={"role": role}
            )
    join_request.refresh_from_db()
    if requester.email:
        if approve:
            lines = [
                f"You are now a member of {organisation.name} on Sharewell, as {Role(role).label.lower()}.",
                "",
                f"Sign in: {_link('accounts:sign-in')}",
            ]
        else:
            lines = [
                f"An admin of {organisation.name} did not approve your request to join it on Sharewell.",
                "",
                "If you think this is a mistake, ask your organisation's Sharewell admin.",
            ]
        _send(
            f"Sharewell: your request to join {organisation.name} was {'approved' if approve else 'not approved'}",
            lines,
            [requester.email],
        )
    return Outcome(join_request=join_request, membership=membership)


# --- members ---------------------------------------------------------------------------------


def _leaves_no_admin(membership: Membership, new_role: str | None) -> bool:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return False
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN).exclude(pk=membership.pk)
    return not others.exists()


def change_member(actor, membership: Membership, role: str, can_sign_off: bool) -> Outcome:
    if not can_manage_members(actor, membership.organisation):
        return _refuse("role", NOT_YOURS)
    if role not in Role.values:
        return _refuse("role", "Choose a role: viewer, editor or organisation admin", "invalid")
    if _leaves_no_admin(membership, role):
        return _refuse("role", "The organisation needs an admin: make someone else an admin first", "last_admin")
    Membership.objects.filter(pk=membership.pk).update(role=role, can_sign_off=can_sign_off)
    membership.refresh_from_db()
    return Outcome(membership=membership)


def remove_member(actor, membership: Membership) -> Outcome:
    if not can_manage_members(actor, membership.organisation):
        return _refuse("membership", NOT_YOURS)
    if _leaves_no_admin(membership, None):
        return _refuse("membership", "The organisation needs an admin: make someone else an admin first", "last_admin")
    membership.delete()
    return Outcome()


def set_require_mfa(actor, organisation, require: bool) -> Outcome:
    if not can_manage_members(actor, organisation):
        return _refuse("require_mfa", NOT_YOURS)
    OrganisationSecurity.objects.update_or_create(organisation=organisation, defaults={"require_mfa": require})
    return Outcome()


# --- invitations -----------------------------------------------------------------------------


def invite(actor, organisation, email: str, role: str = Role.VIEWER) -> Outcome:
    if not can_manage_members(actor, organisation):
        return _refuse("email", NOT_YOURS)
    email = (email or "").strip()
    if not email or "@" not in email:
        return _refuse("email", "Enter the email address of the person to invite", "required")
    if role not in Role.values:
        return _refuse("role", "Choose a role: viewer, editor or organisation admin", "invalid")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        return _refuse("email", f"{email} is already a member of {organisation.name}", "already_member")
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token=secrets.token_urlsafe(32), invited_by=actor
    )
    inviter = actor.get_full_name() or actor.username
    _send(
        f"Sharewell: {inviter} invites you to join {organisation.name}",
        [
            f"{inviter} invites you to join {organisation.name} on Sharewell, as {Role(role).label.lower()}.",
            "",
            "Sharewell is where public bodies record and find shared services. To accept, sign in or ask for "
            "an account with this email address, then open this link:",
            _link("accounts:invitation", invitation.token),
            "",
            "If you did not expect this, you can ignore it.",
        ],
        [email],
    )
    return Outcome(invitation=invitation)


def accept_invitation(user, invitation: Invitation) -> Outcome:
    if not getattr(user, "is_authenticated", False):
        return _refuse("invitation", "Sign in to accept the invitation")
    if invitation.accepted_at is not None:
        return _refuse("invitation", "This invitation has already been used", "already_used")
    if (user.email or "").lower() != invitation.email.lower():
        return _refuse(
            "invitation",
            f"This invitation is for {invitation.email}: sign in with that address to accept it",
            "forbidden",
        )
    with transaction.atomic():
        used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        if not used:
            return _refuse("invitation", "This invitation has already been used", "already_used")
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        JoinRequest.objects.filter(
            user=user, organisation=invitation.organisation, state=JoinRequest.State.WAITING
        ).update(state=JoinRequest.State.APPROVED, decided_by=invitation.invited_by, decided_at=timezone.now())
    return Outcome(membership=membership, invitation=invitation)
