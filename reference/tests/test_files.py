"""Reading the reference files."""

from __future__ import annotations

import pytest

from reference.core import Context, ImportError_
from reference.files import number, read_csv, read_json


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "register").mkdir()
    (tmp_path / "register" / "bom.csv").write_bytes("\ufeffcode,name\nTST,Testshire\nNTN,Northtown\n".encode())
    (tmp_path / "shapes.json").write_text('{"type": "Topology", "arcs": []}', encoding="utf-8")
    return tmp_path


def test_read_csv_drops_the_byte_order_mark(data_dir):
    rows = read_csv(Context(data_dir=data_dir), "register/bom.csv")

    assert rows == [{"code": "TST", "name": "Testshire"}, {"code": "NTN", "name": "Northtown"}]


def test_files_are_read_once_per_run(data_dir):
    context = Context(data_dir=data_dir)
    first = read_csv(context, "register/bom.csv")
    (data_dir / "register" / "bom.csv").write_text("code,name\n", encoding="utf-8")

    assert read_csv(context, "register/bom.csv") is first
    assert read_csv(Context(data_dir=data_dir), "register/bom.csv") == []


def test_read_json(data_dir):
    assert read_json(Context(data_dir=data_dir), "shapes.json") == {"type": "Topology", "arcs": []}


@pytest.mark.parametrize("reader, path", [(read_csv, "register/missing.csv"), (read_json, "missing.json")])
def test_a_missing_file_is_an_import_error_naming_it(data_dir, reader, path):
    with pytest.raises(ImportError_, match=f"Reference file missing: .*{path}"):
        reader(Context(data_dir=data_dir), path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12.0),
        (" 3.5 ", 3.5),
        ("-0.25", -0.25),
        ("0", 0.0),
        ("1e3", 1000.0),
        ("", None),
        (None, None),
        ("NA", None),
        ("n/a", None),
        ("x", None),
        ("..", None),
        ("   ", None),
    ],
)
def test_number_keeps_missing_values_missing(text, expected):
    assert number(text) == expected


def test_number_rejects_text():
    with pytest.raises(ValueError):
        number("twelve")
