"""Requests no one means to send answer 4xx at every door, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import ApiToken
from arrangements.models import Arrangement

NEW = {
    "title": "Shared ICT",
    "description": "One ICT team",
    "services": ["ict"],
    "delivery_model": "joint venture",
    "status": "live",
    "lead_organisation": "Northtown DC",
    "partners": ["Southvale"],
    "ledger": [{"period": "2025/26", "measure": "expected_saving", "amount": 50000}],
}


def _bearer(user) -> dict:
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("field", ["title", "description", "lead_organisation"])
def test_an_api_write_with_a_nul_is_refused_and_nothing_is_saved(arrangement, users, field):
    payload = {**NEW, field: NEW[field][:3] + "\u0000" + NEW[field][3:]}
    before = Arrangement.objects.count()
    response = Client().post(
        "/api/v1/arrangements", json.dumps(payload), content_type="application/json", **_bearer(users["editor"])
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "The request contains a NUL character (\\u0000) in the body: remove it and try again"
    )
    assert Arrangement.objects.count() == before
    # The same request without the NUL is a good one.
    ok = Client().post(
        "/api/v1/arrangements", json.dumps(NEW), content_type="application/json", **_bearer(users["editor"])
    )
    assert ok.status_code == 201


def test_an_api_replacement_with_a_nul_is_refused(arrangement, users):
    payload = json.dumps({**NEW, "title": "Shared\u0000legal"})
    response = Client().put(
        f"/api/v1/arrangements/{arrangement.pk}", payload, content_type="application/json", **_bearer(users["editor"])
    )
    assert response.status_code == 400
    assert Arrangement.objects.get(pk=arrangement.pk).title == "Shared legal"


def test_an_excel_upload_is_not_refused_for_the_nul_bytes_every_xlsx_holds(arrangement, users, settings):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert b"\x00" in buffer.getvalue()
    client = Client()
    client.force_login(users["editor"])
    upload = SimpleUploadedFile("book.xlsx", buffer.getvalue())
    response = client.post("/arrangements/import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 302


HUGE = "99999999999999999999"  # above 2**63: no database integer holds it


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/arrangements?start_year={HUGE}",
        f"/api/v1/arrangements?start_year=-{HUGE}",
        f"/api/v1/arrangements?service={HUGE}",
        f"/api/v1/arrangements?page={HUGE}",
        f"/api/v1/arrangements?page=-{HUGE}",
        f"/api/v1/arrangements?page_size={HUGE}",
        f"/api/v1/arrangements/{HUGE}",
        f"/api/v1/organisations?page={HUGE}",
        f"/api/v1/organisations?page_size={HUGE}",
        f"/api/v1/partners?organisation=NTT&service=legal&limit={HUGE}",
        f"/arrangements/?page={HUGE}",
        f"/arrangements/?start_year={HUGE}",
        f"/arrangements/?service={HUGE}",
        f"/arrangements/{HUGE}/",
        f"/arrangements/download/csv/?start_year={HUGE}",
        f"/organisations/?page={HUGE}",
    ],
)
def test_integers_too_big_for_the_database_answer_without_a_server_error(arrangement, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code < 500
