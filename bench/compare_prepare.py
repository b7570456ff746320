"""Prepare the scale bench's database for one size (run by bench/compare.py in a child process)."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharewell.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from arrangements import register  # noqa: E402
from arrangements.models import Arrangement  # noqa: E402
from bench import arrangements  # noqa: E402
from bench.run import _ensure_database  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from services.models import ServiceCategory  # noqa: E402


def _moderator_session_with_a_draft() -> str:
    """A signed-in moderator's session key, with one unpublished arrangement in the register,
    so that the dashboard and the map are timed as someone who sees drafts gets them (the
    public's figures, kept, with the drafts counted live)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from arrangements.models import Partnership, Status

    moderator, _ = User.objects.get_or_create(username="bench-moderator", defaults={"is_moderator": True})
    draft, made = Arrangement.objects.get_or_create(
        title="Benchmark draft",
        defaults={
            "description": "Unpublished",
            "status": Status.IDEA,
            "delivery_model": "joint_committee",
            "published": False,
        },
    )
    if made:
        Partnership.objects.create(arrangement=draft, organisation=Organisation.objects.get(code="CAM"), role="lead")
    session = SessionStore()
    session[SESSION_KEY] = str(moderator.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = moderator.get_session_auth_hash()
    session.create()
    return session.session_key


def main(size: int) -> None:
    _ensure_database()
    seconds = arrangements.ensure_generated(size)
    session = _moderator_session_with_a_draft()
    with transaction.atomic():
        register.bump()  # the generated rows were written beside the write path: nothing kept counts
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    facts = {
        "arrangements": Arrangement.objects.count(),
        "generated": f"generated in {seconds:.0f} s" if seconds else "already generated",
        "legal": ServiceCategory.objects.get(key="legal").pk,
        "cam": Organisation.objects.get(code="CAM").pk,
        "session": session,
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main(int(sys.argv[1]))
