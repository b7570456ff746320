"""A NUL character anywhere a request can carry one answers 400, never a server error."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


@pytest.mark.parametrize(
    "url, where",
    [
        ("/arrangements/?q=a%00b", "<strong>q</strong>"),
        ("/arrangements/?status=live&region=East%00", "<strong>region</strong>"),
        ("/arrangements/?a%00b=1", "the name of a parameter"),
        ("/organisations/?q=a%00b", "<strong>q</strong>"),
        ("/organisations/a%00b/", "the address"),
        ("/partners/?organisation=a%00b", "<strong>organisation</strong>"),
        ("/arrangements/download/csv/?q=a%00b", "<strong>q</strong>"),
        ("/static/a%00b.css", "the address"),
    ],
)
def test_pages_explain_the_problem(db, url, where):
    response = Client().get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem with the request" in page
    assert f"NUL character (\\u0000) in {where}" in page
    assert 'class="govuk-template"' in page  # the site's own page, not a bare error


@pytest.mark.parametrize(
    "url, where",
    [
        ("/api/v1/arrangements?q=a%00b", "q"),
        ("/api/v1/arrangements?category=legal&organisation=N%00", "organisation"),
        ("/api/v1/organisations?q=a%00b", "q"),
        ("/api/v1/organisations?type=CTY%00", "type"),
        ("/api/v1/organisations?region=%00", "region"),
        ("/api/v1/organisations/a%00b", "the address"),
        ("/api/v1/partners?organisation=a%00b&service=legal", "organisation"),
    ],
)
def test_the_api_answers_in_json(db, url, where):
    response = Client().get(url)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The request contains a NUL character (\\u0000) in {where}: remove it and try again"
    }


def test_a_sign_in_form_with_a_nul_is_refused_before_anything_is_recorded(db):
    from axes.models import AccessAttempt

    form = urlencode({"username": "some\x00one", "password": "a-long-password-9"})
    response = Client().post("/account/sign-in/", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "<strong>username</strong>" in response.content.decode()
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"title": "a\\u0000b"}', "application/json"),
        ('{"title": "a\\U0000b"}', "application/json"),
        ('{"title": "a\\\\\\u0000b"}', "application/json"),  # an escaped backslash, then the escape
        (b'{"title": "a\x00b"}', "application/json"),
        ('{"title": "a\\u0000b"}', "application/merge-patch+json"),
        ('{"title": "a\\u0000b"}', "text/plain"),  # the API reads any body as JSON
    ],
)
def test_a_json_body_with_a_nul_is_refused(db, body, content_type):
    response = Client().post("/api/v1/arrangements", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["detail"].endswith("in the body: remove it and try again")


def test_an_escaped_backslash_before_u0000_is_not_a_nul(db):
    response = Client().post("/api/v1/arrangements", '{"title": "C:\\\\u0000"}', content_type="application/json")
    assert response.status_code == 401  # on to the API, which asks for a token


def test_multipart_uploads_are_not_checked_because_files_hold_nul_bytes(db):
    upload = SimpleUploadedFile("book.xlsx", b"PK\x03\x04\x00\x00binary")
    response = Client().post("/account/sign-in/", {"username": "someone", "password": "wrong", "file": upload})
    assert response.status_code == 200


def test_a_cookie_with_a_nul_is_ignored_rather_than_looked_up(db):
    # http.cookies reads the octal escape \000 inside a quoted value as a NUL.
    client = Client(HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"; other=fine')
    response = client.get("/arrangements/")
    assert response.status_code == 200
    assert response.wsgi_request.COOKIES == {"other": "fine"}
    assert not response.wsgi_request.user.is_authenticated


def test_djangos_own_bad_request_page_uses_the_template_without_a_request(db):
    from django.template.loader import render_to_string

    page = render_to_string("400.html")
    assert "There is a problem with the request" in page and "NUL" not in page
