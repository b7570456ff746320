"""/healthz: what a load balancer asks, answered before hosts, HTTPS redirects and sessions."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from sharewell import health


def test_ok_when_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF token


def test_503_with_retry_after_when_the_database_does_not(db):
    class Unreachable:
        def __enter__(self):
            raise OperationalError("could not connect to server: Connection refused")

        def __exit__(self, *exc):
            return False

    # Patched only while the request runs: the test database's own teardown needs a cursor.
    with mock.patch.object(health.connections["default"], "cursor", Unreachable):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_answered_over_http_by_any_host_name_where_pages_redirect_to_https(db, path):
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["sharewell.example.org"]):
        client = Client()
        # A load balancer calls the server by its address, over plain HTTP.
        assert client.get(path, HTTP_HOST="10.0.0.7:8000").status_code == 200
        assert client.get("/", HTTP_HOST="sharewell.example.org").status_code == 301
        assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_only_reads(db):
    assert Client().post("/healthz").status_code != 200
