"""Signed-in sessions end after a time without use (SESSION_IDLE_MINUTES), not after 14 days."""

from __future__ import annotations

import time

# Refreshing the session's expiry writes it; once a minute is enough for an idle timeout
# measured in minutes, and spares the database a write on every request.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= REFRESH_SECONDS:
                session["_seen"] = now  # saved with a new expiry, SESSION_COOKIE_AGE from now
        return self.get_response(request)


# Where someone who must set up a second factor may still post: setting it up, and leaving. The
# API authenticates by token, not by the session; a token is made on a page, so after the factor.
SECOND_FACTOR_EXEMPT = (
    "/account/2fa/",
    "/account/sign-out/",
    "/account/logout/",
    "/account/reauthenticate/",
    "/api/",
)
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def requires_second_factor(user) -> bool:
    """A member of an organisation whose admins require a second factor, who has none yet."""
    from allauth.mfa.models import Authenticator

    from accounts.models import OrganisationSecurity

    if not OrganisationSecurity.objects.filter(require_mfa=True, organisation__memberships__user=user).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SecondFactorMiddleware:
    """Members of an organisation that requires a second factor change nothing until they have
    set one up: each write they try sends them to set up an authenticator app. Reading is open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method in UNSAFE_METHODS
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(SECOND_FACTOR_EXEMPT)
            and requires_second_factor(user)
        ):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.urls import reverse

            messages.warning(
                request,
                "Your organisation asks its members to use a second factor: set up an authenticator app "
                "before you make changes.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
