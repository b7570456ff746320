"""A database that does not answer gives a 503 with Retry-After (JSON in the API), and a
create retried with the same Idempotency-Key makes one arrangement."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from arrangements.models import Arrangement
from tests.world import bearer

NEW = {
    "title": "Shared ICT",
    "description": "One ICT team",
    "services": ["ict"],
    "delivery_model": "joint venture",
    "status": "live",
    "lead_organisation": "Northtown DC",
    "no_savings_reason": "Too early",
}


def test_a_retried_create_with_the_same_idempotency_key_makes_one_arrangement(users, service_list):
    headers = {**bearer(users["editor"]), "HTTP_IDEMPOTENCY_KEY": "create-ict-1"}
    first = Client().post("/api/v1/arrangements", NEW, content_type="application/json", **headers)
    again = Client().post("/api/v1/arrangements", NEW, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Arrangement.objects.filter(title="Shared ICT").count() == 1
    # Without the key, a repeat is refused as a duplicate, not made twice.
    repeat = Client().post("/api/v1/arrangements", NEW, content_type="application/json", **bearer(users["editor"]))
    assert repeat.status_code == 422


@pytest.mark.parametrize("path, json_answer", [("/api/v1/arrangements", True), ("/arrangements/", False)])
def test_an_unreachable_database_is_a_503_with_retry_after(db, monkeypatch, path, json_answer):
    from arrangements import services

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(services, "filtered", down)
    response = Client().get(path)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    if json_answer:
        assert "try again" in response.json()["detail"]
    else:
        assert "Sorry, the service is unavailable" in response.content.decode()


def test_other_database_errors_are_not_hidden(db, monkeypatch):
    from arrangements import services

    def broken(*args, **kwargs):
        raise OperationalError("no such column: arrangements_arrangement.nonsense")

    monkeypatch.setattr(services, "filtered", broken)
    with pytest.raises(OperationalError):
        Client(raise_request_exception=True).get("/arrangements/")
