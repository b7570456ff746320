"""Background jobs that send email: never inside a request.

Non-essential emails (board responses, survey rounds, contracts ending, the weekly digest) go to
each person who has not turned them off, one email each, ending with a link to their preferences
that works without signing in. Periodic ones record what they sent (`SentNotice`), so a notice is
sent once however often the job runs.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from background.schedule import every
from notifications.models import SentNotice, Topic
from notifications.preferences import footer, wants

# Reminders before a survey round closes, in days.
SURVEY_REMINDER_DAYS = (14, 3)
# Warnings before a contract ends, in months, largest first.
CONTRACT_WARNING_MONTHS = (6, 3)


@task
def send_message(subject: str, body: str, to: list[str], from_email: str | None = None) -> int:
    """Send one plain-text email (the accounts' verification, reset and invitation emails)."""
    return EmailMessage(subject, body, from_email, to).send()


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send_to(user, topic: Topic | None, subject: str, lines: list[str]) -> int:
    """One email to one person; `topic` None for an essential one (no preferences footer)."""
    if not user.is_active or not user.email:
        return 0
    if topic is not None and not wants(user, topic):
        return 0
    body = "\n".join(lines) + (footer(user) if topic is not None else "")
    return EmailMessage(subject[:150], body, None, [user.email]).send()


def _once(key: str) -> bool:
    """Claim a notice: True the first time for this key, False ever after."""
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


def editors(organisation):
    from accounts.models import Role, User

    return User.objects.filter(
        memberships__organisation=organisation, memberships__role__in=[Role.EDITOR, Role.ADMIN], is_active=True
    ).distinct()


# --- the partner board --------------------------------------------------------------------------


@task
def send_board_response(response_id: int) -> int:
    """Tell the person who posted on the board that an organisation has responded."""
    from partners.models import PostResponse

    response = PostResponse.objects.select_related("post__created_by", "organisation").filter(pk=response_id).first()
    if response is None or response.post.created_by is None:
        return 0
    post = response.post
    if response.user_id is not None and response.user_id == post.created_by_id:
        return 0  # your own reply
    return _send_to(
        post.created_by,
        Topic.BOARD,
        f"Sharewell: {response.organisation.name} responded to “{post.title}”",
        [
            f"{response.organisation.name} responded to your post on the partner board, “{post.title}”:",
            "",
            response.message,
            "",
            f"Read it and reply: {_link(post.get_absolute_url())}",
        ],
    )


# --- the annual survey --------------------------------------------------------------------------


def _survey_lines(survey, organisation, opening: bool, days_left: int) -> list[str]:
    start = _link(reverse("surveys:start", args=[survey.year, organisation.code]))
    closes = f"{survey.closes_on:%-d %B %Y}"
    if opening:
        first = (
            f"The {survey.label} annual survey of shared services is open, until {closes}. Please confirm "
            f"or correct {organisation.name}’s shared services, and add any new ones."
        )
    else:
        first = (
            f"The {survey.label} annual survey closes in {days_left} days, on {closes}, and {organisation.name} "
            "has not sent its answers yet."
        )
    return [first, "", f"Start or carry on: {start}"]


@every(hours=24)
@task
def send_survey_emails() -> int:
    """When a round opens, tell each organisation's editors; before it closes, remind those whose
    organisation has not answered. Each notice once per organisation and person."""
    from surveys.models import SurveyResponse
    from surveys.services import current_round

    today = timezone.localdate()
    survey = current_round(today)
    if survey is None:
        return 0
    days_left = (survey.closes_on - today).days
    reminder = next((d for d in sorted(SURVEY_REMINDER_DAYS) if days_left <= d), None)
    answered = set(SurveyResponse.objects.filter(round=survey).values_list("organisation_id", flat=True))
    from organisations.models import Organisation

    organisations = Organisation.objects.filter(memberships__role__in=["editor", "admin"]).distinct()
    sent = 0
    for organisation in organisations:
        if organisation.pk in answered:
            continue
        for person in editors(organisation):
            opening_key = f"survey:{survey.year}:open:{organisation.pk}:{person.pk}"
            if reminder is None or not SentNotice.objects.filter(key=opening_key).exists():
                # Not yet told it opened (or no reminder due): the opening email says it all.
                if _once(opening_key):
                    sent += _send_to(
                        person,
                        Topic.SURVEYS,
                        f"Sharewell: the {survey.label} survey is open",
                        _survey_lines(survey, organisation, True, days_left),
                    )
                continue
            if _once(f"survey:{survey.year}:remind{reminder}:{organisation.pk}:{person.pk}"):
                sent += _send_to(
                    person,
                    Topic.SURVEYS,
                    f"Sharewell: {days_left} days left for the {survey.label} survey",
                    _survey_lines(survey, organisation, False, days_left),
                )
    return sent


# --- contracts ending -----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_threshold(ends_on: dt.date, today: dt.date) -> int | None:
    """The smallest warning (in months) the contract has come within, or None."""
    if ends_on < today:
        return None
    reached = [m for m in CONTRACT_WARNING_MONTHS if ends_on <= add_months(today, m)]
    return min(reached) if reached else None


@every(hours=24)
@task
def send_contract_endings() -> int:
    """Tell an organisation's editors that a contract ends within 6 months, and again within 3:
    each warning once per contract (a contract recorded with 2 months to run gets only the
    3-month one)."""
    from arrangements.models import Contract

    today = timezone.localdate()
    horizon = add_months(today, max(CONTRACT_WARNING_MONTHS))
    contracts = Contract.objects.filter(ends_on__gte=today, ends_on__lte=horizon).select_related(
        "organisation", "category"
    )
    sent = 0
    for contract in contracts:
        months = contract_threshold(contract.ends_on, today)
        if months is None or not _once(f"contract:{contract.pk}:{contract.ends_on:%Y-%m-%d}:{months}"):
            continue
        for person in editors(contract.organisation):
            sent += _send_to(
                person,
                Topic.CONTRACTS,
                f"Sharewell: a {contract.organisation.name} contract ends in {months} months or less",
                [
                    f"{contract.organisation.name}’s contract “{contract.description}” "
                    f"({contract.category}) ends on {contract.ends_on:%-d %B %Y}.",
                    "",
                    "Its end is a chance to share the service with a neighbour. Find partners: "
                    + _link(reverse("partners:finder")),
                    f"The organisation’s page: {_link(contract.organisation.get_absolute_url())}",
                ],
            )
    return sent


# --- the weekly digest ------------------------------------------------------------------------------


@every(days=7)
@task
def send_weekly_digests() -> int:
    """For each person who asked for it: the week's changes to their organisations' arrangements."""
    from accounts.models import User
    from arrangements.models import Version

    since = timezone.now() - dt.timedelta(days=7)
    people = User.objects.filter(is_active=True, email_preference__weekly_digest=True).exclude(email="")
    sent = 0
    for person in people:
        organisations = list(person.memberships.values_list("organisation_id", flat=True))
        versions = (
            Version.objects.filter(
                created_at__gte=since,
                arrangement__partnerships__organisation__in=organisations,
                arrangement__deleted_at__isnull=True,
            )
            .select_related("arrangement", "organisation")
            .distinct()
            .order_by("arrangement__title", "number")
        )
        lines: list[str] = []
        for version in versions:
            by = version.organisation.name if version.organisation else "Sharewell"
            lines.append(f"- {version.arrangement.title}, {version.created_at:%-d %B}, by {by}:")
            lines += [f"    {change}" for change in version.changes[:5]]
            lines.append(f"    {_link(version.arrangement.get_absolute_url())}")
        if not lines:
            continue
        sent += _send_to(
            person,
            Topic.DIGEST,
            "Sharewell: this week’s changes to your shared services",
            ["Changes in the last 7 days to the shared services of your organisations:", "", *lines],
        )
    return sent


# --- sign-off of achieved savings -----------------------------------------------------------------


def send_sign_off_request(entry) -> None:
    """Ask the finance leads (members who can sign off savings) of the entry's organisation to sign
    off an achieved saving, once the current transaction commits. Essential: always sent."""
    entry_id = entry.pk
    transaction.on_commit(lambda: send_sign_off_request_task.enqueue(entry_id))


@task
def send_sign_off_request_task(entry_id: int) -> int:
    from accounts.models import Membership, User
    from arrangements.models import LedgerEntry, Partnership

    entry = LedgerEntry.objects.select_related("arrangement", "partner").filter(pk=entry_id).first()
    if entry is None or entry.signed_off_on is not None:
        return 0
    organisation = entry.partner
    if organisation is None:
        lead = entry.arrangement.partnerships.filter(role=Partnership.Role.LEAD).select_related("organisation").first()
        organisation = lead.organisation if lead else None
    if organisation is None:
        return 0
    signers = User.objects.filter(
        pk__in=Membership.objects.filter(organisation=organisation, can_sign_off=True).values("user_id"),
        is_active=True,
    )
    sent = 0
    for person in signers:
        sent += _send_to(
            person,
            None,
            f"Sharewell: please sign off a saving for {entry.arrangement.title}",
            [
                f"{organisation.name} has reported an achieved saving of £{entry.amount:,} for {entry.period} "
                f"from “{entry.arrangement.title}”. As its finance lead, please check and sign it off.",
                "",
                f"The arrangement: {_link(entry.arrangement.get_absolute_url())}",
            ],
        )
    return sent
