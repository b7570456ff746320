"""The register's fixtures (Testshire, its districts, users in each role) for the survey's tests."""

from arrangements.tests.conftest import *  # noqa: F401,F403
