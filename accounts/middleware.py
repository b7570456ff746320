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
