"""Download cells: nothing a record says is run as a formula, and nothing breaks the XLSX file."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sharewell.cells import safe_text, xlsx_cell


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Shared legal", "Shared legal"),
        ("a=b", "a=b"),
        ("", ""),
        (-1200, -1200),
        (-1.5, -1.5),
        (Decimal("-3.25"), Decimal("-3.25")),
        (None, None),
    ],
)
def test_safe_text_quotes_what_a_spreadsheet_would_run_and_leaves_numbers_alone(value, expected):
    assert safe_text(value) == expected
    assert type(safe_text(value)) is type(expected)


def _round_trip(values: list) -> list:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("S")
    sheet.append([xlsx_cell(v, sheet) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue()))["S"].iter_rows())[0]


def test_xlsx_strings_are_text_cells_kept_as_written_and_numbers_stay_numbers():
    values = ['=HYPERLINK("http://x","y")', "-item", "#N/A", "plain", -1200, Decimal("2.5")]
    cells = _round_trip(values)
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "-item", "#N/A", "plain", -1200, 2.5]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n", "n"]
    # Excel's own mark for "typed with a leading apostrophe": edited, the cell stays text.
    assert [c.quotePrefix for c in cells] == [True, True, False, False, False, False]


def test_xlsx_drops_characters_the_file_cannot_hold():
    cells = _round_trip(["bell\x07 escape\x1b nul\x00 ok\ttab", "not\ufffe char\ud800"])
    assert [c.value for c in cells] == ["bell escape nul ok\ttab", "not char"]


@given(st.lists(st.one_of(st.text(), st.integers(-(10**15), 10**15)), min_size=1, max_size=5))
def test_any_text_makes_a_file_that_opens_with_no_formula(values):
    cells = _round_trip(values)
    assert all(c.data_type != "f" for c in cells)
