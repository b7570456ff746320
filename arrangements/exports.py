"""Open-data downloads of any filtered view: CSV, XLSX, JSON and GeoJSON."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse

from arrangements import figures, spec
from arrangements.services import record
from sharewell.cells import safe_text, xlsx_cell

LICENCE = (
    "Sharewell register of shared services. Published under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Organisation data: "
    "mySociety (CC BY 4.0) and ONS (OGL v3). Each arrangement cites its own sources."
)


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


def flat(arrangement, base_url: str) -> dict:
    """One spreadsheet row: lists joined with semicolons; money as totals counted once (expected,
    achieved signed off, achieved reported: never added together) and every entry in `money`."""
    data = record(arrangement, base_url)
    counted = figures.arrangement_totals(list(arrangement.ledger.all()))
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
            "expected_savings_gbp": counted.expected if data["ledger"] else None,
            "achieved_savings_signed_off_gbp": counted.achieved_signed_off if data["ledger"] else None,
            "achieved_savings_reported_gbp": counted.achieved_reported if data["ledger"] else None,
            "money": _joined(_money_text(e) for e in data["ledger"]),
        }
    )
    return row


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = '<https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>; rel="license"'
    return response


def as_csv(arrangements, base_url: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FLAT_COLUMNS)
    writer.writeheader()
    for arrangement in arrangements:
        writer.writerow({k: safe_text(v) for k, v in flat(arrangement, base_url).items()})
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", "sharewell-arrangements.csv")


def as_xlsx(arrangements, base_url: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Arrangements")
    sheet.append(list(FLAT_COLUMNS))
    for arrangement in arrangements:
        row = flat(arrangement, base_url)
        sheet.append([xlsx_cell(row[c], sheet) for c in FLAT_COLUMNS])
    about = workbook.create_sheet("Licence")
    about.append([LICENCE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "sharewell-arrangements.xlsx",
    )


def as_json(arrangements, base_url: str) -> HttpResponse:
    body = {"licence": LICENCE, "arrangements": [record(a, base_url) for a in arrangements]}
    return _download(json.dumps(body, ensure_ascii=False, indent=1), "application/json", "sharewell-arrangements.json")


def as_geojson(arrangements, base_url: str) -> HttpResponse:
    """Each arrangement is a feature whose geometry is its partners' centres."""
    features = []
    for arrangement in arrangements:
        points = [
            [round(p.organisation.longitude, 5), round(p.organisation.latitude, 5)]
            for p in arrangement.partnerships.all()
            if p.organisation.latitude is not None and p.organisation.longitude is not None
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
                "properties": flat(arrangement, base_url),
            }
        )
    body = {"type": "FeatureCollection", "licence": LICENCE, "features": features}
    return _download(json.dumps(body, ensure_ascii=False), "application/geo+json", "sharewell-arrangements.geojson")


FORMATS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json, "geojson": as_geojson}
