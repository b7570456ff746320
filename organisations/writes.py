"""The one write path for the councils a body with no area of its own serves (ServedCouncil).

Every door calls these functions, which check the user's right to that record (an editor of
the body or of the council served, or a moderator), validate, write and return an `Outcome`
with typed `Problem`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import Role
from accounts.permissions import can_edit_organisation
from organisations.models import SERVING_TYPES, Organisation, ServedCouncil
from organisations.resolve import OrganisationResolver
from sharewell.problems import Problem

COUNCIL_FIELD = "council"


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    forbidden: bool = False
    value: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _refused(message: str) -> Outcome:
    return Outcome([Problem("", "forbidden", message)], forbidden=True)


def may_record_for(user, body: Organisation) -> bool:
    """Whether the user may see the form on the body's page (the write decides per council)."""
    if not getattr(user, "is_authenticated", False) or body.org_type not in SERVING_TYPES or not body.is_current:
        return False
    if can_edit_organisation(user, body):
        return True
    return user.memberships.filter(role__in=(Role.EDITOR, Role.ADMIN)).exists()


def _recorded_as(user, body: Organisation, council: Organisation) -> str | None:
    """Words for who recorded it, or None if the user may not."""
    if can_edit_organisation(user, body) and not user.is_moderator:
        return f"an editor of {body.name}"
    if can_edit_organisation(user, council) and not user.is_moderator:
        return f"an editor of {council.name}"
    if getattr(user, "is_moderator", False) and user.is_active:
        return "a moderator"
    return None


def record_served(user, body: Organisation, council_text: str, source: str = "") -> Outcome:
    """Record that `body` serves the council `council_text` names (a name or code)."""
    if not getattr(user, "is_authenticated", False):
        return _refused("Sign in to record the councils a body serves.")
    if body.org_type not in SERVING_TYPES:
        return Outcome([Problem(COUNCIL_FIELD, "has_area", f"{body.name} has an area of its own: it covers councils")])
    resolution = OrganisationResolver().resolve(council_text)
    council = resolution.organisation
    if not (council_text or "").strip():
        return Outcome([Problem(COUNCIL_FIELD, "required", "Enter the council it serves")])
    if council is None:
        return Outcome([Problem(COUNCIL_FIELD, "unknown", resolution.problem, value=council_text)])
    if not council.is_principal_council or not council.is_current:
        return Outcome(
            [Problem(COUNCIL_FIELD, "not_council", f"{council.name} is not a current council", value=council_text)]
        )
    recorded_as = _recorded_as(user, body, council)
    if recorded_as is None:
        return _refused(f"Only editors of {body.name} or of {council.name}, and moderators, can record this.")
    if ServedCouncil.objects.filter(body=body, council=council).exists():
        return Outcome(
            [Problem(COUNCIL_FIELD, "duplicate", f"{body.name} is already recorded as serving {council.name}")]
        )
    try:
        with transaction.atomic():
            served = ServedCouncil(
                body=body, council=council, recorded_as=recorded_as, recorded_by=user, source=source.strip()[:300]
            )
            served._change_reason = "Recorded on the organisation page"
            served.save()
    except IntegrityError:
        return Outcome(
            [Problem(COUNCIL_FIELD, "duplicate", f"{body.name} is already recorded as serving {council.name}")]
        )
    return Outcome(value=served)


def remove_served(user, served: ServedCouncil) -> Outcome:
    """Remove a record: editors of the body or of the council, and moderators."""
    if not (can_edit_organisation(user, served.body) or can_edit_organisation(user, served.council)):
        return _refused(
            f"Only editors of {served.body.name} or of {served.council.name}, and moderators, can remove this."
        )
    served._change_reason = "Removed on the organisation page"
    served.delete()
    return Outcome(value=served)


def record_from_source(body: Organisation, council: Organisation, source: str) -> ServedCouncil:
    """For the demo loader: a record taken from a published source, not from a user."""
    served, _ = ServedCouncil.objects.update_or_create(
        body=body, council=council, defaults={"recorded_as": source, "source": source}
    )
    return served
