"""Sessions end after SESSION_IDLE_MINUTES without use; use keeps them alive."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_session_expires_after_the_idle_time_and_use_renews_it(client, user, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    client.force_login(user)
    client.get("/")
    session = Session.objects.get()
    expires = session.expire_date
    assert expires - timezone.now() <= timezone.timedelta(minutes=60)
    # Used again two minutes later: the expiry moves on.
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    client.get("/")
    assert Session.objects.get().expire_date > expires
