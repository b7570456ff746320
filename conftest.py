"""Fixtures shared by every app: the fictional county of Testshire and its people.

The world itself is built by `tests/world.py`; these fixtures put it in each test's
database, rolled back after it (`testshire`, `places`, `users`, `arrangement`), or committed
for the browser tests' live server (`register`). Factories are imported inside the
fixtures, so pure-module tests need no Django setup.
"""

from __future__ import annotations

import pytest

from tests import world

INLINE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings):
    """Background jobs run at once, inside the request that starts them (JOBS_RUN_INLINE=true).
    A test of the queue itself asks for `queued_jobs`."""
    settings.JOBS_RUN_INLINE = True
    settings.TASKS = INLINE_TASKS


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing the fixtures' passwords properly takes a third of a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def testshire(db) -> world.Testshire:
    """Testshire with its geography: boundaries, the districts' shared border and the bodies
    that overlap them (see tests/world.py)."""
    return world.build(geography=True)


@pytest.fixture
def live_testshire(transactional_db) -> world.Testshire:
    """Testshire with its geography, committed so the browser tests' live server sees it."""
    return world.build(geography=True)


@pytest.fixture
def register_world(db) -> world.Testshire:
    """Testshire without its geography, for the register's tests: one that wants a border
    says how long."""
    return world.build(geography=False)


@pytest.fixture
def places(register_world) -> dict:
    """The councils by the register tests' names: county, north, south, welsh, old."""
    return register_world.places


@pytest.fixture
def service_list(db):
    world.load_service_list()


@pytest.fixture
def users(register_world) -> dict:
    """A viewer, an editor and an admin of Northtown; an editor of Cwmtest; a moderator."""
    return world.people(register_world)


@pytest.fixture
def finance(register_world) -> dict:
    """Finance leads who may sign off savings, of Northtown, Southvale and Cwmtest."""
    return world.finance_leads(register_world)


@pytest.fixture
def south_editor(places):
    from accounts.models import Role

    return world.person("south.editor", places["south"], Role.EDITOR)


@pytest.fixture
def csv_file():
    """csv_file(*rows) -> an import file of those rows under the register's header."""
    return world.csv_content


@pytest.fixture
def arrangement(places, service_list, users):
    """A published shared legal service led by Northtown with Southvale, imported as a moderator."""
    from arrangements.models import Arrangement

    world.import_rows(users["moderator"], world.SHARED_LEGAL, filename="a.csv")
    return Arrangement.objects.get(title="Shared legal")


@pytest.fixture
def register(transactional_db) -> dict:
    """The register committed, so the browser tests' live server sees it: Testshire and its
    neighbours, the service list, an editor of Northtown, a moderator, and three published
    arrangements (tests/world.py's REGISTER_ROWS)."""
    from accounts.models import Role

    testshire = world.build(geography=False)
    world.load_service_list()
    editor = world.person("north.editor", testshire.northtown, Role.EDITOR)
    moderator = world.person("moderator", moderator=True)
    world.import_rows(moderator, *world.REGISTER_ROWS)
    return {
        "north": testshire.northtown,
        "south": testshire.southvale,
        "county": testshire.county,
        "editor": editor,
        "moderator": moderator,
    }


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
