"""Spreadsheet cells that anyone's record can fill without harming the people who open the download.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula (tab and
carriage return can smuggle one in too), so a title such as `=HYPERLINK(...)` would turn an
open-data download into a phishing link or worse. OWASP's advice for CSV, which has no
types, is to begin such a cell with a single quote so it is read as text:
https://owasp.org/www-community/attacks/CSV_Injection

XLSX has types, so there the cell is written as a string, with Excel's own quote-prefix flag
rather than a quote character: Excel shows the text as it was written and keeps it text if
someone edits the cell, and a program reading the file gets the title exactly.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# openpyxl's own list of control characters it refuses (it raises rather than write
# them), plus what XML cannot hold at all: openpyxl writes these, and the file it
# saves then fails to open.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_text(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading `'`.

    Anything that is not a string (a number, a negative amount, None) is left alone, so
    numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def xlsx_cell(value: Any, sheet: Worksheet) -> Any:
    """A value for `sheet.append`: strings become string cells that no spreadsheet runs.

    Characters an XLSX file cannot hold are dropped, so one record cannot break the
    download. Strings are typed as strings because openpyxl otherwise writes one that
    begins with `=` as a formula and one such as `#N/A` as an error.
    """
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_NOT_IN_XLSX.sub("", value))
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
