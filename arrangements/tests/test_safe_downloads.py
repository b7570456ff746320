"""Downloads are safe to open whatever an arrangement says: no formulas, no broken files."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from arrangements.models import Arrangement

HOSTILE = [
    ("title", '=HYPERLINK("http://x","y")'),
    ("description", "+1+cmd|' /C calc'!A0"),
    ("description", "-2+3"),
    ("description", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("description", "\t=1+1"),
    ("description", "\r=1+1"),
]


def _client(users, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(users[who])
    return client


@pytest.mark.parametrize("who", [None, "viewer", "moderator"])
@pytest.mark.parametrize("field, value", HOSTILE)
def test_csv_cells_that_would_run_begin_with_a_quote(arrangement, users, who, field, value):
    Arrangement.objects.filter(pk=arrangement.pk).update(**{field: value})
    response = _client(users, who).get("/arrangements/download/csv/")
    assert response.status_code == 200
    row = next(csv.DictReader(io.StringIO(response.getvalue().decode(), newline="")))
    assert row[field] == f"'{value}"
    assert row["expected_savings_gbp"] == "300000"  # numbers are not quoted


@pytest.mark.parametrize("who", [None, "viewer", "moderator"])
@pytest.mark.parametrize("field, value", [*HOSTILE, ("description", "bell\x07 and escape\x1b")])
def test_xlsx_opens_with_no_formula_cells(arrangement, users, who, field, value):
    Arrangement.objects.filter(pk=arrangement.pk).update(**{field: value})
    response = _client(users, who).get("/arrangements/download/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Arrangements"]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert all(c.data_type != "f" for row in rows for c in row)
    record = {name: cell for name, cell in zip(header, rows[1], strict=True)}
    # XML reads a carriage return back as a line feed; the control characters are dropped.
    assert record[field].value == value.replace("\r", "\n").replace("\x07", "").replace("\x1b", "")
    assert record[field].data_type == "s"
    assert record[field].quotePrefix == value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert record["expected_savings_gbp"].value == 300_000


def test_control_characters_in_csv_do_not_break_the_download(arrangement):
    Arrangement.objects.filter(pk=arrangement.pk).update(description="bell\x07 and escape\x1b")
    response = Client().get("/arrangements/download/csv/")
    assert response.status_code == 200
    assert next(csv.DictReader(io.StringIO(response.getvalue().decode())))["description"] == "bell\x07 and escape\x1b"
