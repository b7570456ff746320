"""Who may do what with arrangements. The write path (`arrangements.writes`) asks here."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Membership, Role
from accounts.permissions import has_role


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_moderator)


_is_moderator = is_moderator


def editable_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.pk is None:
        return set()
    editors = Membership.objects.filter(user=user, role__in=[Role.EDITOR, Role.ADMIN])
    return set(editors.values_list("organisation_id", flat=True))


def member_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.pk is None:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def can_create_for(user, organisation) -> bool:
    """Editors create arrangements for their own organisation; moderators for any."""
    return has_role(user, organisation, Role.EDITOR)


def can_edit(user, arrangement) -> bool:
    """Editors of a current partner (one that has not left), and moderators."""
    if is_moderator(user):
        return True
    if arrangement.pk is None:
        return False
    partners = set(arrangement.partnerships.filter(left_on__isnull=True).values_list("organisation_id", flat=True))
    return bool(partners & editable_organisation_ids(user))


def is_partner_member(user, arrangement) -> bool:
    """Members of any partner, who see its drafts, pending changes and who made each change."""
    if is_moderator(user):
        return True
    partners = set(arrangement.partnerships.values_list("organisation_id", flat=True))
    return bool(partners & member_organisation_ids(user))


def can_publish(user, arrangement) -> bool:
    """Moderators; and, where configured, the lead partner's organisation admin."""
    if is_moderator(user):
        return True
    if not settings.LEAD_ADMIN_CAN_PUBLISH:
        return False
    lead = arrangement.partnerships.filter(role="lead").values_list("organisation", flat=True).first()
    return lead is not None and has_role(user, lead, Role.ADMIN)


def administered_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.pk is None:
        return set()
    return set(Membership.objects.filter(user=user, role=Role.ADMIN).values_list("organisation_id", flat=True))


def may_moderate(user) -> bool:
    """Who opens the moderation queue: moderators; and, where lead admins may publish, any
    organisation admin (who finds there only what `can_publish` lets them decide)."""
    if is_moderator(user):
        return True
    return bool(settings.LEAD_ADMIN_CAN_PUBLISH and administered_organisation_ids(user))


def can_undelete(user, arrangement) -> bool:
    return is_moderator(user)


def sign_off_organisation(user, entry):
    """The organisation for which `user` may sign off ledger `entry`, or None: a member with
    "can sign off" of a partner in the arrangement, and, for a partner's share, of that
    partner only. Independent of viewer, editor and admin; moderators do not sign off."""
    from organisations.models import Organisation

    if not getattr(user, "is_authenticated", False) or not user.is_active or user.pk is None:
        return None
    signing = set(Membership.objects.filter(user=user, can_sign_off=True).values_list("organisation_id", flat=True))
    if entry.partner_id is not None:
        allowed = signing & {entry.partner_id}
    else:
        allowed = signing
    allowed &= set(entry.arrangement.partnerships.values_list("organisation_id", flat=True))
    if not allowed:
        return None
    return Organisation.objects.filter(pk__in=allowed).order_by("name").first()


def signs_off_for_any(user, arrangement) -> bool:
    """Whether `user` signs off savings for any partner in `arrangement` (to show the sign-off screen)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.pk is None:
        return False
    partners = set(arrangement.partnerships.values_list("organisation_id", flat=True))
    return Membership.objects.filter(user=user, can_sign_off=True, organisation_id__in=partners).exists()
