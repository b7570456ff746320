"""Who may see and change a readiness assessment. `readiness.writes` and the pages ask here.

- A partner's answers are seen by the members of every partner of that arrangement and by
  moderators; the public sees only a summary the partners have published.
- The action plan is seen by those same people, and never published.
- An editor (or admin) of a current partner answers for that organisation, and adds actions
  and publishes the summary; an editor of a current partner or a moderator starts a new round.
"""

from __future__ import annotations

from arrangements import permissions as arrangement_permissions
from arrangements.permissions import editable_organisation_ids, is_moderator


def current_partner_ids(arrangement) -> set[int]:
    return set(arrangement.partnerships.filter(left_on__isnull=True).values_list("organisation_id", flat=True))


def answerable_organisation_ids(user, arrangement) -> set[int]:
    """The partners this user may answer for: current partners where they are an editor or admin."""
    return current_partner_ids(arrangement) & editable_organisation_ids(user)


def can_answer(user, arrangement, organisation) -> bool:
    return organisation is not None and organisation.pk in answerable_organisation_ids(user, arrangement)


def can_see_answers(user, arrangement) -> bool:
    return arrangement_permissions.is_partner_member(user, arrangement)


def can_see_plan(user, arrangement) -> bool:
    """The action plan: whoever sees the partners' answers (the plan is never in the published summary)."""
    return can_see_answers(user, arrangement)


def can_start_round(user, arrangement) -> bool:
    return is_moderator(user) or bool(answerable_organisation_ids(user, arrangement))


def can_plan(user, arrangement) -> bool:
    """Add and change actions, and publish the summary: a partner's editors."""
    return bool(answerable_organisation_ids(user, arrangement))
