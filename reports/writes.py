"""The one write path of a report's recommendations: the only part of a report people write."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.permissions import can_edit_organisation
from arrangements import permissions
from reports.models import Recommendations
from sharewell.problems import Problem

LIMIT = 10_000


@dataclass
class Outcome:
    recommendations: Recommendations | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def save_recommendations(user, text: str, *, arrangement=None, organisation=None) -> Outcome:
    """Partners' editors write an arrangement's; the organisation's editors its own. Empty text
    goes back to the recommendations the report writes from the figures."""
    if arrangement is not None:
        allowed = permissions.can_edit(user, arrangement)
        who = f"a partner in “{arrangement.title}”"
    else:
        allowed = can_edit_organisation(user, organisation)
        who = organisation.name
    if not allowed:
        return Outcome(
            problems=[Problem("text", "forbidden", f"Only editors of {who} can change these recommendations")]
        )
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if len(text) > LIMIT:
        return Outcome(problems=[Problem("text", "too_long", f"Write {LIMIT:,} characters or fewer")])
    target = {"arrangement": arrangement} if arrangement is not None else {"organisation": organisation}
    if not text:
        Recommendations.objects.filter(**target).delete()
        return Outcome()
    stored, _ = Recommendations.objects.update_or_create(**target, defaults={"text": text, "updated_by": user})
    return Outcome(recommendations=stored)
