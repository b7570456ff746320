"""Who made a change, as a page shows it: the public sees an organisation's name, never a
person's; members of the organisations concerned and moderators see the person too."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Membership


def may_see_people(viewer, organisations: Iterable) -> bool:
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    if viewer.is_moderator:
        return True
    ids = [o.pk for o in organisations if o is not None]
    return Membership.objects.filter(user=viewer, organisation_id__in=ids).exists()


def organisation_of(user, concerned=None):
    """The organisation a change is shown as coming from: the one concerned if the author is a
    member of it, else the author's first organisation."""
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("created")
    if concerned is not None and memberships.filter(organisation=concerned).exists():
        return concerned
    first = memberships.first()
    return first.organisation if first else None


def who(user, concerned=None, show_people: bool = False) -> str:
    if user is None:
        return "Sharewell"
    organisation = organisation_of(user, concerned)
    if show_people:
        name = user.get_full_name() or user.get_username()
        return f"{name} ({organisation.name})" if organisation else name
    if organisation is not None:
        return organisation.name
    return "A Sharewell moderator" if user.is_moderator else "Sharewell"
