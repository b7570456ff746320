"""Who wants which email, and the signed links that change it without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from notifications.models import DEFAULT_ON, EmailPreference, Topic

SALT = "sharewell.notifications.preferences"


def wants(user, topic: Topic) -> bool:
    preference = EmailPreference.objects.filter(user=user).first()
    return getattr(preference, topic.value) if preference else DEFAULT_ON[topic]


def token_for(user) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def user_from_token(token: str):
    """The user a preferences link was made for, or None for a link that was altered."""
    from accounts.models import User

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first() if isinstance(data, dict) else None


def preferences_link(user) -> str:
    return f"{settings.SITE_URL}{reverse('notifications:preferences-token', args=[token_for(user)])}"


def footer(user) -> str:
    """The last lines of a non-essential email."""
    return (
        "\n\n--\nYou get this email because of your Sharewell email preferences. "
        f"To change them or stop these emails: {preferences_link(user)}"
    )
