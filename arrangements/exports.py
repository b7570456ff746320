"""Open-data downloads of any filtered view: CSV, XLSX, JSON and GeoJSON."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse

from arrangements.services import latest_savings, record
from sharewell.cells import safe_text, xlsx_cell

LICENCE = (
    "Sharewell register of shared services. Published under the Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). Organisation data: "
    "mySociety (CC BY 4.0) and ONS (OGL v3). Each arrangement cites its own sources."
)
FLAT_COLUMNS = (
    "id", "url", "title", "description", "kind", "delivery_model", "status", "categories", "services",
    "start_date", "start_year", "end_date", "end_year", "lead_organisation", "partner_codes", "partner_names",
    "baseline_annual_cost_gbp", "setup_cost_gbp", "latest_expected_savings_gbp", "latest_expected_savings_year",
    "latest_achieved_savings_gbp", "latest_achieved_savings_year", "cumulative_savings_achieved_gbp",
    "cumulative_savings_to", "no_savings_reason", "source_urls",
)


def flat(arrangement, base_url: str) -> dict:
    """One spreadsheet row: lists joined with semicolons, expected and achieved in separate columns."""
    data = record(arrangement, base_url)
    expected = latest_savings(arrangement, "expected")
    achieved = latest_savings(arrangement, "achieved")
    return {
        **{k: data[k] for k in FLAT_COLUMNS if k in data},
        "categories": "; ".join(data["categories"]),
        "services": "; ".join(str(s["lgsl"]) for s in data["services"]),
        "partner_codes": "; ".join(p["code"] for p in data["partners"]),
        "partner_names": "; ".join(p["name"] for p in data["partners"]),
        "latest_expected_savings_gbp": expected.total if expected else None,
        "latest_expected_savings_year": expected.year if expected else None,
        "latest_achieved_savings_gbp": achieved.total if achieved else None,
        "latest_achieved_savings_year": achieved.year if achieved else None,
        "source_urls": "; ".join(s["url"] for s in data["sources"] if s["url"]),
    }


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
    return _download(buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "sharewell-arrangements.xlsx")


def as_json(arrangements, base_url: str) -> HttpResponse:
    body = {"licence": LICENCE, "arrangements": [record(a, base_url) for a in arrangements]}
    return _download(json.dumps(body, ensure_ascii=False, indent=1), "application/json",
                     "sharewell-arrangements.json")


def as_geojson(arrangements, base_url: str) -> HttpResponse:
    """Each arrangement is a feature whose geometry is its partners' centres."""
    features = []
    for arrangement in arrangements:
        points = [
            [round(p.organisation.longitude, 5), round(p.organisation.latitude, 5)]
            for p in arrangement.partnerships.all()
            if p.organisation.latitude is not None and p.organisation.longitude is not None
        ]
        features.append({
            "type": "Feature",
            "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
            "properties": flat(arrangement, base_url),
        })
    body = {"type": "FeatureCollection", "licence": LICENCE, "features": features}
    return _download(json.dumps(body, ensure_ascii=False), "application/geo+json", "sharewell-arrangements.geojson")


FORMATS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json, "geojson": as_geojson}
