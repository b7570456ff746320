"""Pages are compressed only where BREACH has nothing to read: anonymous GETs without a CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.mark.django_db
def test_a_public_page_is_compressed():
    response = Client().get("/map/", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Server-Timing" in response


@pytest.mark.django_db
def test_a_page_with_a_csrf_token_is_not():
    response = Client().get("/account/sign-in/", **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_signed_in_pages_are_not(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("reader", password="a-long-test-password-9"))
    response = client.get("/map/", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_a_streamed_download_says_its_time_is_until_streaming_began():
    page = Client().get("/map/")
    download = Client().get("/arrangements/download/csv/")
    assert download.streaming
    assert download["Server-Timing"].endswith(';desc="until streaming began"')
    assert "desc" not in page["Server-Timing"]  # a page's time is the whole answer's
