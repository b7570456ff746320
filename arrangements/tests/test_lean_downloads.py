"""The downloads read the lean path a chunk at a time and stream: the same files as the
model-object path gave, in a fixed number of queries per chunk whatever the register's size."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from arrangements import exports, figures, listing, services
from arrangements.models import Partnership
from arrangements.tests.test_lean_listing import FILTERS, _user, generated  # noqa: F401 (a fixture)
from organisations.models import Organisation
from sharewell.cells import safe_text, xlsx_cell

FORMATS = ["csv", "json", "geojson", "xlsx"]
WHO = [None, "viewer", "editor", "moderator"]


# The model-object path as it was before the lean one (each arrangement with its prefetched
# rows, shaped by `services.record`, money counted by `figures.arrangement_totals`), kept here
# as the reference the lean downloads must equal.
def _old_flat(arrangement, base_url: str) -> dict:
    data = services.record(arrangement, base_url)
    counted = figures.arrangement_totals(list(arrangement.ledger.all()))
    row = {k: data.get(k) for k in exports.FLAT_COLUMNS if k in data}
    j = exports._joined
    row.update(
        {
            "categories": j(data["categories"]),
            "services": j(s["lgsl"] for s in data["services"]),
            "benefit_tags": j(data["benefit_tags"]),
            "partner_codes": j(p["code"] for p in data["partners"]),
            "partner_names": j(p["name"] for p in data["partners"]),
            "source_urls": j(s["url"] for s in data["sources"]),
            "source_citations": j(s["citation"] for s in data["sources"]),
            "expected_savings_gbp": counted.expected if data["ledger"] else None,
            "achieved_savings_signed_off_gbp": counted.achieved_signed_off if data["ledger"] else None,
            "achieved_savings_reported_gbp": counted.achieved_reported if data["ledger"] else None,
            "money": j(exports._money_text(e) for e in data["ledger"]),
        }
    )
    return row


def _old_download(user, raw: dict, fmt: str, base_url: str = "http://testserver"):
    """What the model-object path gave: bytes, or for a workbook its rows of values."""
    filters = services.ArrangementFilters.from_mapping(raw)
    arrangements = list(services.with_details(services.filtered(user, filters)))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=exports.FLAT_COLUMNS)
        writer.writeheader()
        for a in arrangements:
            writer.writerow({k: safe_text(v) for k, v in _old_flat(a, base_url).items()})
        return buffer.getvalue().encode()
    if fmt == "json":
        body = {"licence": exports.LICENCE, "arrangements": [services.record(a, base_url) for a in arrangements]}
        return json.dumps(body, ensure_ascii=False, indent=1).encode()
    if fmt == "geojson":
        features = []
        for a in arrangements:
            points = [
                [round(p.organisation.longitude, 5), round(p.organisation.latitude, 5)]
                for p in a.partnerships.all()
                if p.organisation.latitude is not None and p.organisation.longitude is not None
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "MultiPoint", "coordinates": points} if points else None,
                    "properties": _old_flat(a, base_url),
                }
            )
        body = {"type": "FeatureCollection", "licence": exports.LICENCE, "features": features}
        return json.dumps(body, ensure_ascii=False).encode()
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Arrangements")
    sheet.append(list(exports.FLAT_COLUMNS))
    for a in arrangements:
        row = _old_flat(a, base_url)
        sheet.append([xlsx_cell(row[c], sheet) for c in exports.FLAT_COLUMNS])
    workbook.create_sheet("Licence").append([exports.LICENCE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _client(users, who) -> Client:
    client = Client()
    if who:
        client.force_login(users[who])
    return client


def _get(client: Client, fmt: str, raw: dict | None = None, headers: dict | None = None):
    response = client.get(f"/arrangements/download/{fmt}/", raw or {}, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def _sheets(body: bytes) -> dict[str, list[tuple]]:
    """A workbook's cells, sheet by sheet: its bytes hold the time it was saved."""
    workbook = load_workbook(io.BytesIO(body))
    return {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}


def _sorted_points(body: bytes) -> dict:
    """A GeoJSON body with each geometry's points sorted: their order is the one deliberate change."""
    data = json.loads(body)
    for feature in data["features"]:
        if feature["geometry"]:
            feature["geometry"]["coordinates"].sort()
    return data


@pytest.fixture
def downloads(generated, places):  # noqa: F811 (the fixture imported above)
    """The generated register, with a client partner (whose role sorts before the lead's) so the
    order of a geometry's points is tested, and a partner with no known centre."""
    client_of = generated[2]
    Partnership.objects.create(arrangement=client_of, organisation=places["old"], role=Partnership.Role.CLIENT)
    return generated


@pytest.mark.parametrize("who", WHO)
def test_the_lean_downloads_equal_the_model_object_path(downloads, users, who, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)  # several chunks, and a last one part full
    user = _user(users, who)
    client = _client(users, who)
    for raw, fmt in ((raw, fmt) for raw in FILTERS for fmt in FORMATS):
        expected = _old_download(user, raw, fmt)
        response = _get(client, fmt, raw)
        body = response.getvalue()
        if fmt == "xlsx":
            assert _sheets(body) == _sheets(expected), (raw, fmt)
        elif fmt == "geojson":
            assert _sorted_points(body) == _sorted_points(expected), (raw, fmt)
        else:
            assert body == expected, (raw, fmt)


def test_the_comparison_covers_drafts_names_chunks_and_empty_views(downloads, users):
    """Otherwise the test above proves little."""
    moderator = users["moderator"]
    everything = services.filtered(moderator, services.ArrangementFilters())
    assert everything.count() > 3 * 4 and everything.filter(published=False).exists()
    # A signatory's name is in the register, shown to a moderator on the lean path, never downloaded.
    ids = list(everything.values_list("pk", flat=True))
    assert any(e["signed_off_by"] == "A. Finance" for r in listing.records(ids, "", moderator) for e in r["ledger"])
    assert b"A. Finance" not in _get(_client(users, "moderator"), "json").getvalue()
    assert not services.filtered(None, services.ArrangementFilters(q="draft")).exists()  # an empty view
    assert Partnership.objects.filter(role="client", organisation__latitude__isnull=True).exists()


def test_a_geometry_lists_its_partners_in_the_order_of_its_partner_codes(downloads, places):
    places["old"].latitude, places["old"].longitude = 51.5, -0.1
    places["old"].save()
    body = json.loads(_get(Client(), "geojson").getvalue())
    centres = {
        code: [round(lon, 5), round(lat, 5)]
        for code, lat, lon in Organisation.objects.values_list("code", "latitude", "longitude")
        if lat is not None
    }
    seen_client = False
    for feature in body["features"]:
        codes = feature["properties"]["partner_codes"].split("; ")
        assert (feature["geometry"] or {}).get("coordinates", []) == [centres[c] for c in codes if c in centres]
        seen_client |= places["old"].code in codes
    assert seen_client


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_csv_json_and_geojson_are_streamed_and_compressed_for_the_public(downloads, fmt):
    plain = _get(Client(), fmt)
    assert plain.streaming
    assert plain["Content-Disposition"] == f'attachment; filename="sharewell-arrangements.{fmt}"'
    assert 'rel="license"' in plain["Link"]
    packed = _get(Client(), fmt, headers={"Accept-Encoding": "gzip"})
    assert packed.streaming and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.getvalue()) == plain.getvalue()
    assert packed["Content-Disposition"] == plain["Content-Disposition"] and packed["Link"] == plain["Link"]


def test_the_workbook_keeps_its_headers_and_licence_sheet(downloads):
    response = _get(Client(), "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="sharewell-arrangements.xlsx"'
    assert 'rel="license"' in response["Link"]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "Open Government Licence" in load_workbook(io.BytesIO(response.getvalue()))["Licence"]["A1"].value


def test_a_view_too_large_for_a_workbook_is_offered_as_csv(downloads, settings):
    published = services.filtered(None, services.ArrangementFilters(status="live")).count()
    assert published > 1
    settings.DOWNLOAD_XLSX_MAX_ROWS = published - 1
    response = Client().get("/arrangements/download/xlsx/?status=live")
    assert response.status_code == 422
    page = response.content.decode()
    assert "too large to download as Excel" in page
    assert 'href="/arrangements/download/csv/?status=live"' in page
    settings.DOWNLOAD_XLSX_MAX_ROWS = published
    assert _get(Client(), "xlsx", {"status": "live"}).status_code == 200


def _queries(client: Client, fmt: str, raw: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, fmt, raw).getvalue()  # the queries run as the file is sent
    return len(captured)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("who", [None, "moderator"])
def test_a_download_needs_one_set_of_queries_per_chunk(downloads, users, who, fmt, monkeypatch):
    """Rows, partners, services, categories, sources, money and history for each chunk (and
    the partners' centres for GeoJSON), whatever the number of arrangements in it."""
    client = _client(users, who)
    raw = {"nation": "Wales"}
    matching = services.filtered(_user(users, who), services.ArrangementFilters.from_mapping(raw)).count()
    assert matching >= 7
    everything = services.filtered(_user(users, who), services.ArrangementFilters()).count()
    assert everything > matching
    for warm in (raw, {}):  # the session, and the public counts kept from here on
        _queries(client, fmt, warm)
    per_chunk = 8 if fmt == "geojson" else 7
    counts = {}
    for chunks in (1, 3):
        monkeypatch.setattr(exports, "CHUNK_SIZE", math.ceil(matching / chunks))
        assert (
            len(list(exports.id_chunks(services.filtered(_user(users, who), services.ArrangementFilters(**raw)))))
            == chunks
        )
        counts[chunks] = _queries(client, fmt, raw)
    assert counts[3] - counts[1] == 2 * per_chunk, counts
    # One chunk of the whole register needs what one chunk of part of it does.
    monkeypatch.setattr(exports, "CHUNK_SIZE", everything)
    assert _queries(client, fmt, {}) == counts[1]
