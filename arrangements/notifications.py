"""Emails about arrangements, sent by background jobs (never inside a request)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from accounts.models import Membership, Role
from arrangements.models import Revision


def editors_of(organisation) -> list[str]:
    """The email addresses of an organisation's editors and admins."""
    if organisation is None:
        return []
    members = Membership.objects.filter(
        organisation=organisation, role__in=[Role.EDITOR, Role.ADMIN], user__is_active=True
    ).exclude(user__email="")
    return sorted(set(members.values_list("user__email", flat=True)))


@task
def send_moderation_decision(revision_id: int) -> int:
    """Tell the organisation that sent a change what the moderator decided, and why."""
    revision = Revision.objects.select_related("arrangement", "organisation").filter(pk=revision_id).first()
    if revision is None or revision.state not in (Revision.State.APPROVED, Revision.State.REJECTED):
        return 0
    recipients = editors_of(revision.organisation)
    if not recipients:
        return 0
    arrangement = revision.arrangement
    approved = revision.state == Revision.State.APPROVED
    changes = "\n".join(f"- {line}" for line in revision.changes)
    lines = [
        f"A moderator has {'approved' if approved else 'rejected'} the change your organisation sent to "
        f"“{arrangement.title}” on {revision.created_at:%-d %B %Y}.",
        "",
        "The change:",
        changes,
        "",
    ]
    if approved:
        lines.append("It is now published.")
    else:
        lines += ["The moderator's reason:", revision.reason, "", "You can change the arrangement and send it again."]
    lines += [
        "",
        f"The arrangement: {settings.SITE_URL}{arrangement.get_absolute_url()}",
        f"Your organisation's changes: {settings.SITE_URL}{reverse('arrangements:changes')}",
    ]
    subject = f"{'Approved' if approved else 'Not approved'}: your change to {arrangement.title}"
    return send_mail(subject[:150], "\n".join(lines), None, recipients)
