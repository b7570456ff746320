"""Factories for email preferences and sent notices, over the fictional world of tests/world.py."""

from __future__ import annotations

import factory

from accounts.tests.factories import UserFactory
from notifications.models import EmailPreference, SentNotice


class EmailPreferenceFactory(factory.django.DjangoModelFactory):
    """Someone's choices, the model's defaults unless given (`weekly_digest=True` asks for the digest)."""

    class Meta:
        model = EmailPreference

    user = factory.SubFactory(UserFactory)


class SentNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentNotice

    # In the shape of `notifications.jobs`' keys: a contract's 6-month warning.
    key = factory.Sequence(lambda n: f"contract:{n + 1}:2027-03-31:6")
