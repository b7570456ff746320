"""Open-data downloads of any filtered view: CSV, XLSX, JSON and GeoJSON.

Each reads the register on the lean path (`listing.records`), a chunk of ids at a time, and the
CSV, JSON and GeoJSON are streamed as they are made: a download of the whole register costs a
fixed number of queries per `CHUNK_SIZE` arrangements and holds one chunk in memory, whatever the
register's size. The ids come from one query in the register's order, read as it goes (a
server-side cursor on PostgreSQL), so a chunk is never skipped or repeated by a write made while
the file is sent; an arrangement deleted meanwhile is left out of its chunk.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse

from arrangements import listing, spec
from arrangements.models import Arrangement
from organisations.models import Organisation
from sharewell.cells import safe_text, xlsx_cell

LICENCE = (
    "Sharewell register of shared services. Published under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Organisation data: "
    "mySociety (CC BY 4.0) and ONS (OGL v3). Each arrangement cites its own sources."
)
LICENCE_LINK = '<https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>; rel="license"'
# Arrangements read and written per step: eight queries each (nine for GeoJSON).
CHUNK_SIZE = 1000


def _flat_columns() -> tuple[str, ...]:
    columns = ["id", "url"]
    for f in spec.FIELDS:
        if f.kind == "ledger":
            columns += [
                "expected_savings_gbp",
                "achieved_savings_signed_off_gbp",
                "achieved_savings_reported_gbp",
                "money",
            ]
        elif f.kind == "sources":
            columns += ["source_urls", "source_citations"]
        elif f.kind == "partners":
            columns += ["partner_codes", "partner_names"]
        else:
            columns.append(f.name)
    return (*columns, "published")


# The spreadsheet's columns follow the field specification, so a field added there is downloaded too.
FLAT_COLUMNS = _flat_columns()


def _joined(values) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _money_text(entry: dict) -> str:
    amount = f"£{entry['amount']:,}" if entry["amount"] >= 0 else f"−£{-entry['amount']:,}"
    partner = f" {entry['partner']}" if entry["partner"] else ""
    return f"{entry['measure']} {entry['period']}{partner} {amount} ({entry['standing']})"


def flat(data: dict) -> dict:
    """One spreadsheet row from an open-data record (`listing.records`): lists joined with
    semicolons; money as totals counted once (expected, achieved signed off, achieved reported:
    never added together) and every entry in `money`."""
    counted = listing.savings(data)
    row = {k: data.get(k) for k in FLAT_COLUMNS if k in data}
    row.update(
        {
            "categories": _joined(data["categories"]),
            "services": _joined(s["lgsl"] for s in data["services"]),
            "benefit_tags": _joined(data["benefit_tags"]),
            "partner_codes": _joined(p["code"] for p in data["partners"]),
            "partner_names": _joined(p["name"] for p in data["partners"]),
            "source_urls": _joined(s["url"] for s in data["sources"]),
            "source_citations": _joined(s["citation"] for s in data["sources"]),
            "expected_savings_gbp": counted["expected"] if data["ledger"] else None,
            "achieved_savings_signed_off_gbp": counted["achieved_signed_off"] if data["ledger"] else None,
            "achieved_savings_reported_gbp": counted["achieved_reported"] if data["ledger"] else None,
            "money": _joined(_money_text(e) for e in data["ledger"]),
        }
    )
    return row


def id_chunks(arrangements: QuerySet[Arrangement]) -> Iterator[list[int]]:
    """The arrangements' ids in the queryset's order, `CHUNK_SIZE` at a time, from one query."""
    size = CHUNK_SIZE
    chunk: list[int] = []
    for pk in arrangements.values_list("pk", flat=True).iterator(chunk_size=size):
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def record_chunks(arrangements: QuerySet[Arrangement], base_url: str) -> Iterator[list[dict]]:
    """The open-data records, a chunk at a time. Downloads are open data whoever asks: no one's
    name as a saving's signatory and no pending change, even for partners (no `user`)."""
    for ids in id_chunks(arrangements):
        yield listing.records(ids, base_url)


def _streamed(chunks: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = LICENCE_LINK
    return response


def as_csv(arrangements: QuerySet[Arrangement], base_url: str) -> HttpResponseBase:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FLAT_COLUMNS)
        writer.writeheader()
        for chunk in record_chunks(arrangements, base_url):
            writer.writerows({k: safe_text(v) for k, v in flat(data).items()} for data in chunk)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()  # the header alone, when nothing matches

    return _streamed(lines(), "text/csv; charset=utf-8", "sharewell-arrangements.csv")


def as_xlsx(arrangements: QuerySet[Arrangement], base_url: str) -> HttpResponseBase:
    """openpyxl cannot stream a workbook, so it is written to a temporary file and sent from
    there: memory stays that of one chunk, but the time grows with the rows, which is why the
    view refuses a very large one (`DOWNLOAD_XLSX_MAX_ROWS`) and points to the CSV."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Arrangements")
    sheet.append(list(FLAT_COLUMNS))
    for chunk in record_chunks(arrangements, base_url):
        for data in chunk:
            row = flat(data)
            sheet.append([xlsx_cell(row[c], sheet) for c in FLAT_COLUMNS])
    about = workbook.create_sheet("Licence")
    about.append([LICENCE])
    file = tempfile.TemporaryFile()  # removed when the response closes it
    workbook.save(file)
    file.seek(0)
    response = FileResponse(
        file,
        as_attachment=True,
        filename="sharewell-arrangements.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Link"] = LICENCE_LINK
    return response


def _indented(value, depth: int) -> str:
    """`value` as `json.dumps(..., indent=1)` writes it `depth` levels inside a document: JSON
    text holds no raw line break, so indenting every line is exact."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return " " * depth + text.replace("\n", "\n" + " " * depth)


def as_json(arrangements: QuerySet[Arrangement], base_url: str) -> HttpResponseBase:
    """The same text as `json.dumps({"licence": ..., "arrangements": [...]}, indent=1)`, a chunk at a time."""

    def parts() -> Iterator[str]:
        yield '{\n "licence": ' + json.dumps(LICENCE, ensure_ascii=False) + ',\n "arrangements": ['
        empty = True
        for chunk in record_chunks(arrangements, base_url):
            if chunk:
                yield ("\n" if empty else ",\n") + ",\n".join(_indented(data, 2) for data in chunk)
                empty = False
        yield "]\n}" if empty else "\n ]\n}"

    return _streamed(parts(), "application/json", "sharewell-arrangements.json")


def _coordinates(chunk: list[dict]) -> dict[str, list[float]]:
    """The partners' centres for a chunk of records, by organisation code: one query."""
    codes = {p["code"] for data in chunk for p in data["partners"]}
    rows = Organisation.objects.filter(code__in=codes, latitude__isnull=False, longitude__isnull=False)
    return {
        code: [round(lon, 5), round(lat, 5)] for code, lat, lon in rows.values_list("code", "latitude", "longitude")
    }


def as_geojson(arrangements: QuerySet[Arrangement], base_url: str) -> HttpResponseBase:
    """Each arrangement is a feature whose geometry is its partners' centres, in the order of its
    `partner_codes` (the lead first); the same text as one `json.dumps` of the collection."""

    def parts() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "licence": ' + json.dumps(LICENCE, ensure_ascii=False) + ', "features": ['
        first = True
        for chunk in record_chunks(arrangements, base_url):
            centres = _coordinates(chunk)
            features = []
            for data in chunk:
                points = [centres[p["code"]] for p in data["partners"] if p["code"] in centres]
                feature = {
                    "type": "Feature",
                    "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
                    "properties": flat(data),
                }
                features.append(json.dumps(feature, ensure_ascii=False))
            if features:
                yield ("" if first else ", ") + ", ".join(features)
                first = False
        yield "]}"

    return _streamed(parts(), "application/geo+json", "sharewell-arrangements.geojson")


FORMATS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json, "geojson": as_geojson}
