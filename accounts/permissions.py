"""Who may change what. Every write path asks here, so the rules live in one place."""

from __future__ import annotations

from accounts.models import ROLE_RANK, Membership, Role


def has_role(user, organisation, minimum: str) -> bool:
    """True if the user holds at least `minimum` in the organisation, or is a moderator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_moderator:
        return True
    role = Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


def can_edit_organisation(user, organisation) -> bool:
    return has_role(user, organisation, Role.EDITOR)


def can_administer_organisation(user, organisation) -> bool:
    return has_role(user, organisation, Role.ADMIN)
