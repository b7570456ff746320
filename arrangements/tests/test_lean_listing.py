"""The lean read path (arrangements.listing) gives the ordinary path's answers, in a fixed
number of queries, with a public count kept exact across writes."""

from __future__ import annotations

import random
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from arrangements import importing, listing, register, services, writes
from arrangements.models import Arrangement
from arrangements.tests.factories import LedgerEntryFactory

NAMES = ["Testshire", "Northtown", "Southvale", "Cwmtest"]
SERVICES = ["legal", "waste", "audit", "ict", "hr", "revenues and benefits"]
MODELS = ["joint committee", "lead authority delegation", "joint venture", "shared management team"]
STATUSES = ["live", "ended", "exploring", "agreed", "under review"]


def _rows(rng: random.Random, prefix: str, n: int) -> list[str]:
    rows = []
    for i in range(n):
        lead, *partners = rng.sample(NAMES, rng.randint(1, 3))
        saving = str(rng.randint(1, 90) * 10_000) if rng.random() < 0.6 else ""
        achieved = str(rng.randint(1, 50) * 10_000) if saving and rng.random() < 0.5 else ""
        year = rng.randint(2008, 2025)
        rows.append(
            ",".join(
                [
                    f"{prefix} {i:02d} {rng.choice(SERVICES)}",
                    "Generated for the test",
                    rng.choice(SERVICES),
                    rng.choice(MODELS),
                    rng.choice(STATUSES),
                    str(year),
                    "",
                    lead,
                    "; ".join(partners),
                    str(rng.randint(1, 9) * 100_000) if rng.random() < 0.3 else "",
                    "",
                    saving,
                    achieved,
                    "2019/20" if saving else "",
                    "" if saving else "Not set up to save money",
                    f"https://example.org/{i}" if rng.random() < 0.5 else "",
                ]
            )
        )
    return rows


@pytest.fixture
def generated(places, service_list, users, csv_file):
    """A generated register: published arrangements, drafts, a pending change, a deleted one,
    partner shares and signed-off figures."""
    rng = random.Random(14)
    report = importing.run(csv_file(*_rows(rng, "Published", 24)), "p.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems[:3]
    report = importing.run(csv_file(*_rows(rng, "Draft", 6)), "d.csv", users["moderator"])
    assert not report.problems, report.problems[:3]
    published = list(Arrangement.objects.filter(published=True).order_by("pk"))
    LedgerEntryFactory(
        arrangement=published[0], partner=places["north"], measure="achieved_saving", period="2020/21", amount=5
    )
    LedgerEntryFactory(
        arrangement=published[1],
        measure="achieved_saving",
        standing="signed_off",
        period="2018/19-2019/20",
        amount=70_000,
        signed_off_by="A. Finance",
    )
    editor_target = next(a for a in published if a.partnerships.filter(organisation=places["north"]).exists())
    held = writes.change(
        users["editor"], editor_target, {"notes": "A change for the moderator"}, writes.site(), partial=True
    )
    assert held.revision is not None
    assert writes.delete(users["moderator"], published[-1], writes.site()).ok
    return published


USERS = [None, "viewer", "editor", "other_editor", "moderator"]
FILTERS = [
    {},
    {"category": "legal"},
    {"status": "live"},
    {"organisation": "NTT"},
    {"nation": "Wales"},
    {"region": "East of England", "status": "ended"},
    {"org_type": "NMD"},
    {"start_year": 2016},
    {"q": "draft"},
    {"model": "joint_committee", "nation": "England"},
]


def _user(users, who):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if who is None else users[who]


@pytest.mark.parametrize("who", USERS)
def test_the_lean_path_gives_the_ordinary_answers(generated, users, who):
    user = _user(users, who)
    for raw in FILTERS:
        filters = services.ArrangementFilters.from_mapping(raw)
        for page_size, number in ((7, 1), (7, 2), (5, 3), (50, 1), (4, 99)):
            paginator = Paginator(services.with_details(services.filtered(user, filters)), page_size)
            expected_page = paginator.get_page(number)
            rows = list(expected_page.object_list)
            pending = services.pending_revisions(rows, user)
            expected = [services.record(a, "http://x", user=user, pending=pending) for a in rows]
            page = listing.page(user, filters, number, page_size, "http://x")
            assert (page.count, page.number) == (paginator.count, expected_page.number), (raw, page_size, number)
            assert page.records == expected, (raw, page_size, number)


def test_the_comparison_covers_drafts_pending_changes_and_shares(generated, users):
    """The generated register has what could go wrong: otherwise the test above proves little."""
    records = listing.page(users["editor"], services.ArrangementFilters(), 1, 100).records
    assert any(not r["published"] for r in records)
    assert any(r["pending_revision"] for r in records)
    assert any(e["partner"] for r in records for e in r["ledger"])
    assert any(e["standing"] == "signed_off" for r in records for e in r["ledger"])
    assert any(len(r["partners"]) > 2 for r in records)
    assert len(listing.page(None, services.ArrangementFilters(), 1, 100).records) < len(records)


def _queries(url: str, client: Client | None = None) -> int:
    client = client or Client()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_endpoint_needs_the_same_queries_for_any_page_size(generated, users, settings):
    settings.REGISTER_PAGE_CACHE_SIZE = 0  # the path itself, not the pages kept from it
    Client().get("/api/v1/arrangements")  # the public count is kept from here on
    small = _queries("/api/v1/arrangements?page_size=2")
    large = _queries("/api/v1/arrangements?page_size=50")
    assert small == large
    # Ids, rows, partners, services, categories, sources, money, history and the kept count.
    assert small == 9
    client = Client()
    client.force_login(users["editor"])
    client.get("/api/v1/arrangements")
    assert _queries("/api/v1/arrangements?page_size=2", client) == _queries("/api/v1/arrangements?page_size=50", client)


@pytest.mark.parametrize("query", ["status=live", "sort=-savings", "organisation=NTT&sort=title"])
def test_the_table_page_needs_the_same_queries_for_any_page_size(generated, settings, query):
    Client().get(f"/arrangements/?{query}")  # the public count is kept from here on
    settings.DIRECTORY_PAGE_SIZE = 2
    small = _queries(f"/arrangements/?{query}")
    settings.DIRECTORY_PAGE_SIZE = 50
    assert _queries(f"/arrangements/?{query}") == small


def test_the_map_data_needs_the_same_queries_for_any_register(generated, users, places, service_list):
    before = _queries("/map/")
    for i in range(3):
        assert writes.create(
            users["moderator"],
            {
                "title": f"Another {i}",
                "description": "More",
                "kind": "shared_service",
                "lead_organisation": "NTT",
                "partners": ["NTT", "CWM"],
                "services": ["legal"],
                "delivery_model": "joint_committee",
                "status": "live",
                "no_savings_reason": "None",
            },
            writes.api(),
        ).ok
    assert _queries("/map/") == before


def test_the_public_count_stays_exact_after_every_write(generated, users):
    anonymous = None
    filters = services.ArrangementFilters(status="live")
    first = listing.count(anonymous, filters)
    with CaptureQueriesContext(connection) as captured:
        assert listing.count(anonymous, filters) == first
    assert len(captured) == 1  # kept, against the register version
    version = register.current()
    outcome = writes.create(
        users["moderator"],
        {
            "title": "Counted at once",
            "description": "New",
            "kind": "shared_service",
            "lead_organisation": "SVL",
            "partners": ["SVL"],
            "services": ["waste"],
            "delivery_model": "joint_committee",
            "status": "live",
            "no_savings_reason": "None",
        },
        writes.api(),
    )
    assert outcome.ok, outcome.problems
    assert writes.publish(users["moderator"], outcome.arrangement).ok
    assert register.current() > version
    assert listing.count(anonymous, filters) == first + 1 == services.filtered(anonymous, filters).count()
    assert writes.delete(users["moderator"], outcome.arrangement, writes.site()).ok
    assert listing.count(anonymous, filters) == first


def _table_titles(response) -> list[str]:
    import re

    return re.findall(r'<th scope="row"[^>]*><a class="govuk-link" href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_table_sorts_by_title_year_status_and_savings(generated):
    def by(sort):
        return _table_titles(Client().get(f"/arrangements/?sort={sort}"))

    visible = services.filtered(None, services.ArrangementFilters())
    assert by("title") == sorted(visible.values_list("title", flat=True), key=lambda t: t)[:50]
    assert by("-title") == by("title")[::-1]
    years = [a.start_year for a in (visible.get(title=t) for t in by("start_year"))]
    assert years == sorted(years)
    statuses = [visible.get(title=t).status for t in by("status")]
    assert statuses == sorted(statuses)
    top = visible.get(title=by("-savings")[0])
    expected = [
        sum(e.amount for e in a.ledger.all() if e.measure == "expected_saving" and e.partner_id is None)
        for a in visible
    ]
    assert sum(e.amount for e in top.ledger.filter(measure="expected_saving", partner__isnull=True)) == max(expected)


def test_the_organisation_filter_takes_a_name_and_shows_removable_tags(generated):
    by_name = Client().get("/arrangements/?organisation=northtown&status=live")
    by_code = Client().get("/arrangements/?organisation=NTT&status=live")
    assert _table_titles(by_name) == _table_titles(by_code) != []
    page = by_name.content.decode()
    assert "Remove filter </span>Organisation: Northtown" in page
    assert 'href="?status=live"' in page  # removes the organisation, keeps the status
    assert 'href="?organisation=NTT"' in page
    suggestion = Client().get("/arrangements/?organisation=Northtown+%28NTT%29")
    assert _table_titles(suggestion) == _table_titles(Client().get("/arrangements/?organisation=NTT"))


@pytest.mark.parametrize("value, message", [("Nowhere", "No organisation is called"), ("t", "organisations match")])
def test_an_organisation_the_filter_cannot_find_is_explained(generated, value, message):
    response = Client().get(f"/arrangements/?organisation={value}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_kept_public_page_is_one_read_and_never_outlives_a_write(generated, users, settings):
    settings.REGISTER_PAGE_CACHE_SIZE = 8
    first = Client().get("/api/v1/arrangements?status=live").json()
    assert _queries("/api/v1/arrangements?status=live") == 1  # the register version
    target = Arrangement.objects.get(pk=first["results"][0]["id"])
    assert writes.change(users["moderator"], target, {"title": "Renamed at once"}, writes.api(), partial=True).ok
    again = Client().get("/api/v1/arrangements?status=live").json()
    assert "Renamed at once" in [r["title"] for r in again["results"]]
    assert again == {**first, "results": again["results"]}
    # Signed-in people are never given a kept page (they see their drafts too).
    client = Client()
    client.force_login(users["editor"])
    client.get("/api/v1/arrangements?status=live")
    assert _queries("/api/v1/arrangements?status=live", client) > 1


NEW = {
    "title": "Counted on the dashboard",
    "description": "New",
    "kind": "shared_service",
    "lead_organisation": "SVL",
    "partners": ["SVL", "CWM"],
    "services": ["waste"],
    "delivery_model": "joint_committee",
    "status": "live",
    "ledger": [{"period": "2024/25", "measure": "expected_saving", "amount": 12345}],
}


@pytest.mark.parametrize("url", ["/dashboard/", "/map/"])
def test_the_public_dashboard_and_map_are_kept_and_exact_after_a_write(generated, users, url):
    first = Client().get(url)
    kept = _queries(url)
    assert kept < 12  # the figures are one kept read, not a dozen aggregates
    outcome = writes.create(users["moderator"], NEW, writes.api())
    assert outcome.ok, outcome.problems
    assert writes.publish(users["moderator"], outcome.arrangement).ok
    after = Client().get(url)
    if url == "/dashboard/":
        assert after.context["data"]["arrangements"] == first.context["data"]["arrangements"] + 1
        assert after.context["data"]["money"]["figures"]["expected"] == (
            first.context["data"]["money"]["figures"]["expected"] + 12345
        )
    else:
        counts = {c["code"]: c["arrangements"] for c in after.context["counts"]}
        before = {c["code"]: c["arrangements"] for c in first.context["counts"]}
        assert counts["CWM"] == before.get("CWM", 0) + 1
        # The table of councils, kept rendered for the public, is rendered again at the new version.
        row = re.search(rb'data-organisation="CWM">.*?</tr>', after.content, re.S)
        assert row and f">{counts['CWM']}</td>".encode() in row.group(0)
    assert _queries(url) == kept
