"""A token records when it was last used to the minute, without a write on every request."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken, User

START = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def issued(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("token.owner", password="a-long-test-password-9")
    return ApiToken.issue(user, "script")


def _updates(secret: str, at: dt.datetime) -> int:
    with mock.patch("django.utils.timezone.now", return_value=at), CaptureQueriesContext(connection) as queries:
        assert ApiToken.authenticate(secret) is not None
    return sum(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries.captured_queries)


def test_last_used_is_written_once_a_minute_at_most(issued):
    token, secret = issued
    assert _updates(secret, START) == 1
    assert _updates(secret, START + dt.timedelta(seconds=1)) == 0
    assert _updates(secret, START + dt.timedelta(seconds=59)) == 0
    token.refresh_from_db()
    assert token.last_used == START
    assert _updates(secret, START + dt.timedelta(seconds=61)) == 1
    token.refresh_from_db()
    assert token.last_used == START + dt.timedelta(seconds=61)


def test_a_fresh_check_costs_one_query(issued, django_assert_num_queries):
    _token, secret = issued
    _updates(secret, timezone.now())
    with django_assert_num_queries(1):
        ApiToken.authenticate(secret)


def test_of_requests_arriving_together_only_one_writes(issued):
    # Both read the token before either writes: the UPDATE's own condition decides.
    token, secret = issued
    stale = ApiToken.objects.get(pk=token.pk)
    with mock.patch("django.utils.timezone.now", return_value=START):
        assert ApiToken.authenticate(secret) is not None
    later = START + dt.timedelta(seconds=5)
    with (
        mock.patch.object(ApiToken.objects, "select_related") as select,
        mock.patch("django.utils.timezone.now", return_value=later),
        CaptureQueriesContext(connection) as queries,
    ):
        select.return_value.filter.return_value.first.return_value = stale  # last_used still None
        ApiToken.authenticate(secret)
    assert any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries.captured_queries)
    token.refresh_from_db()
    assert token.last_used == START
