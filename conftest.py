"""Fixtures shared by every app: the fictional county of Testshire and its people.

Factories are imported inside the fixtures, so pure-module tests need no Django setup.
"""

from __future__ import annotations

import pytest

INLINE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings):
    """Background jobs run at once, inside the request that starts them (JOBS_RUN_INLINE=true).
    A test of the queue itself asks for `queued_jobs`."""
    settings.JOBS_RUN_INLINE = True
    settings.TASKS = INLINE_TASKS


@pytest.fixture(autouse=True)
def _register_pages_forgotten():
    """Each test's database is rolled back, so a register version number comes round again
    with other rows: the list pages a worker keeps for a version, and what it keeps in its cache
    (the map's table of councils, allauth's rate limits), are forgotten between tests."""
    from django.core.cache import cache

    from arrangements import listing

    listing.forget_pages()
    cache.clear()


@pytest.fixture
def queued_jobs(settings):
    """Jobs wait in the database queue for a worker, as on the site (run them with
    background.worker.run_queued_tasks())."""
    settings.JOBS_RUN_INLINE = False
    settings.TASKS = QUEUED_TASKS


@pytest.fixture
def testshire(db):
    """Testshire County Council (TST), districts Northtown (NTN) and Southvale (SVL) that
    share a border, and the fire and police bodies that cover them."""
    from organisations.tests.factories import build_testshire

    return build_testshire()


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def moderator(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="moderator", is_moderator=True)


@pytest.fixture
def member_of(db):
    """member_of(organisation, role) -> a new user holding that role there."""
    from accounts.models import Role
    from accounts.tests.factories import MembershipFactory

    def make(organisation, role: str = Role.VIEWER):
        return MembershipFactory(organisation=organisation, role=role).user

    return make
