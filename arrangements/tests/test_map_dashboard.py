"""The map and the dashboard: the figures, the pages without JavaScript, and the filters in the URL.

A fictional county, Testshire, with two districts, a unitary neighbour, a fire authority
and councils in Scotland and Wales, so nothing depends on the real register."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Role, User
from arrangements import dashboard
from arrangements.figures import register_figures
from arrangements.models import Arrangement, Partnership, Status
from arrangements.services import ArrangementFilters, filtered
from arrangements.tests.factories import LedgerEntryFactory
from organisations.models import Organisation
from services.models import Service, ServiceCategory

EAST = "East of England"


def _org(code, name, org_type, gss="", nation="England", region=EAST, **extra):
    return Organisation.objects.create(
        code=code,
        gss_code=gss,
        name=name,
        official_name=f"{name} Council",
        org_type=org_type,
        nation=nation,
        region=region,
        **extra,
    )


def _arrangement(title, partners, *, status=Status.LIVE, published=True, categories=(), lead=None, **extra):
    arrangement = Arrangement.objects.create(
        title=title,
        description=f"About {title}",
        status=status,
        delivery_model="joint_committee",
        published=published,
        **extra,
    )
    for organisation in partners:
        role = Partnership.Role.LEAD if organisation == lead else Partnership.Role.MEMBER
        Partnership.objects.create(arrangement=arrangement, organisation=organisation, role=role)
    arrangement.categories.set(categories)
    return arrangement


@pytest.fixture
def register(db):
    legal = ServiceCategory.objects.create(key="legal", label="Legal services", family="Corporate", sort_order=1)
    waste = ServiceCategory.objects.create(
        key="environment-waste", label="Environment and waste", family="Environment", sort_order=2
    )
    bins = Service.objects.create(lgsl=524, label="Bin collection", category=waste)
    county = _org("TST", "Testshire", "CTY", "E10099999", tier="county", latitude=52.3, longitude=0.1)
    north = _org(
        "NTT", "Northtown", "NMD", "E07099998", tier="district", parent_county=county, latitude=52.4, longitude=0.1
    )
    south = _org(
        "SVL", "Southvale", "NMD", "E07099997", tier="district", parent_county=county, latitude=52.1, longitude=0.1
    )
    west = _org(
        "WSU", "Westbury", "UA", "E06099996", region="South West", tier="unitary", latitude=51.5, longitude=-2.5
    )
    fire = _org("E31099999", "Testshire Fire and Rescue", "FRA", "E31099999", region="")
    glen = _org("GLN", "Glenmuir", "SCO", "S12099999", nation="Scotland", region="")
    _org("AFN", "Afonwen", "WPA", "W06099999", nation="Wales", region="")
    _org("OLD", "Oldtown", "NMD", "E07099990", end_date="2020-03-31")  # abolished: not in any denominator

    legal_shared = _arrangement(
        "Testshire Legal Partnership", [county, north, south], lead=county, categories=[legal], start_year=2015
    )
    _arrangement(
        "Northtown and Southvale Waste",
        [north, south],
        lead=north,
        categories=[waste],
        status=Status.ENDED,
        start_year=2012,
    ).services.set([bins])
    _arrangement(
        "Westbury Legal Hub",
        [west, fire],
        lead=west,
        categories=[legal],
        start_year=2020,
        no_savings_reason="Not set up to save money",
    )
    _arrangement(
        "Glenmuir shared ICT",
        [glen],
        start_year=2019,
        status=Status.BUSINESS_CASE,
        no_savings_reason="  not set up to SAVE money ",
    )
    _arrangement("Southvale Draft Idea", [south], status=Status.IDEA, published=False)
    _arrangement("Northtown Fire Collaboration", [north, fire], status=Status.LIVE)  # no savings, no reason
    deleted = _arrangement("Deleted Sharing", [north, south, west])
    deleted.deleted_at = "2024-01-01T00:00Z"
    deleted.save()

    for basis, year, _year_start, total in [
        ("expected", "2015/16", 2015, 100_000),
        ("expected", "2016/17", 2016, 150_000),
        ("achieved", "2015/16", 2015, 80_000),
    ]:
        LedgerEntryFactory(arrangement=legal_shared, measure=f"{basis}_saving", period=year, amount=total)
    waste_shared = Arrangement.objects.get(title="Northtown and Southvale Waste")
    LedgerEntryFactory(arrangement=waste_shared, measure="achieved_saving", period="2015/16", amount=20_000)
    LedgerEntryFactory(arrangement=waste_shared, measure="achieved_saving", period="2016/17", amount=30_000)
    return {"county": county, "north": north, "south": south, "west": west, "fire": fire, "glen": glen}


def _anonymous_qs(**filters):
    from django.contrib.auth.models import AnonymousUser

    return filtered(AnonymousUser(), ArrangementFilters(**filters))


def _map_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="map-data" type="application/json">') + len(
        '<script id="map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


# --- The map ---------------------------------------------------------------------------


def test_map_renders_the_list_and_the_table_of_councils_without_javascript(client, register):
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    # The list of arrangements, each linking to its page.
    legal = Arrangement.objects.get(title="Testshire Legal Partnership")
    assert f'<a class="govuk-link" href="/arrangements/{legal.pk}/">Testshire Legal Partnership</a>' in html
    assert "5 arrangements" in html
    # The table of councils with their counts, from the server (no script needed).
    rows = {c["code"]: c["arrangements"] for c in response.context["counts"]}
    assert rows == {"NTT": 3, "SVL": 2, "TST": 1, "WSU": 1, "E31099999": 2, "GLN": 1}
    assert '<tr class="govuk-table__row" data-organisation="NTT">' in html
    assert 'id="council-counts"' in html
    # The table page and the dashboard are linked with the same (empty) filters.
    assert 'href="/arrangements/">See these arrangements as a table</a>' in html


def test_map_data_matches_boundaries_by_gss_code_and_carries_partner_centres(client, register):
    data = _map_data(client.get("/map/"))
    assert data["organisations"]["NTT"]["gss"] == "E07099998"
    assert data["organisations"]["NTT"]["count"] == 3
    assert data["organisations"]["E31099999"]["point"] is None  # no location: listed, not drawn
    legal = next(a for a in data["arrangements"] if a["title"] == "Testshire Legal Partnership")
    assert legal["url"] == f"/arrangements/{legal['id']}/"
    assert {p["code"]: p["lead"] for p in legal["partners"]} == {"TST": True, "NTT": False, "SVL": False}
    assert [52.3, 0.1] in [p["point"] for p in legal["partners"]]
    assert [b["label"] for b in data["bins"]] == ["1", "2", "3"]
    assert data["total"] == data["shown"] == 5


def test_map_honours_the_filters_in_the_url(client, register):
    response = client.get("/map/", {"category": "legal", "region": EAST})
    html = response.content.decode()
    assert [a["title"] for a in response.context["arrangements"]] == ["Testshire Legal Partnership"]
    assert "Westbury Legal Hub" not in html  # legal, but in the South West
    assert "Northtown and Southvale Waste" not in html  # East of England, but waste
    assert {c["code"] for c in response.context["counts"]} == {"TST", "NTT", "SVL"}
    # The form keeps the choices, and the table view gets the same query string.
    assert '<option value="legal" selected>' in html
    assert 'href="/arrangements/?category=legal&amp;region=East+of+England">See these arrangements as a table' in html
    assert 'href="/dashboard/?category=legal&amp;region=East+of+England"' in html


def test_map_honours_status_nation_type_and_start_year(client, register):
    def titles(**query):
        return sorted(a["title"] for a in client.get("/map/", query).context["arrangements"])

    assert titles(status="ended") == ["Northtown and Southvale Waste"]
    assert titles(nation="Scotland") == ["Glenmuir shared ICT"]
    assert titles(org_type="FRA") == ["Northtown Fire Collaboration", "Westbury Legal Hub"]
    assert titles(start_year="2020") == ["Westbury Legal Hub"]
    assert titles(service="524", category="environment-waste") == ["Northtown and Southvale Waste"]


def test_unpublished_and_deleted_arrangements_are_not_counted_for_the_public(client, register):
    response = client.get("/map/")
    assert "Southvale Draft Idea" not in response.content.decode()
    assert "Deleted Sharing" not in response.content.decode()
    counts = {c["code"]: c["arrangements"] for c in response.context["counts"]}
    assert counts["SVL"] == 2 and counts["WSU"] == 1


def test_a_member_sees_their_draft_counted_once(client, register):
    user = User.objects.create_user("south.editor", password="a-long-test-password-9")
    Membership.objects.create(user=user, organisation=register["south"], role=Role.EDITOR)
    client.force_login(user)
    response = client.get("/map/")
    counts = {c["code"]: c["arrangements"] for c in response.context["counts"]}
    assert counts["SVL"] == 3  # its own draft too, and no arrangement counted twice
    assert counts["NTT"] == 3
    assert "unpublished" in response.context["scope"]


@pytest.mark.parametrize("path", ["/map/", "/dashboard/"])
def test_a_member_who_sees_no_draft_is_given_the_figures_kept_for_the_public(client, register, path):
    Client().get(path)  # the public's figures, kept against the register version
    user = User.objects.create_user("west.editor", password="a-long-test-password-9")
    Membership.objects.create(user=user, organisation=register["west"], role=Role.EDITOR)
    client.force_login(user)
    public = Client().get(path).context
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    aggregates = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper()]
    assert aggregates == []  # the kept figures, not counted again
    assert response.context["scope"] == "published arrangements"
    if path == "/map/":
        assert response.context["counts"] == public["counts"]
    else:
        assert response.context["data"] == public["data"]
    # Once the member's organisation has a draft, their figures are counted live, with it.
    _arrangement("Westbury Draft", [register["west"]], status=Status.IDEA, published=False)
    client.force_login(user)
    response = client.get(path)
    assert "unpublished" in response.context["scope"]
    if path == "/map/":
        assert {c["code"]: c["arrangements"] for c in response.context["counts"]}["WSU"] == 2
    else:
        assert response.context["data"]["arrangements"] == public["data"]["arrangements"] + 1


def test_partner_counts_is_one_query(register, django_assert_num_queries):
    qs = _anonymous_qs()
    with django_assert_num_queries(1):
        dashboard.partner_counts(qs)


def test_the_map_says_when_it_shows_only_the_first_arrangements(client, register, monkeypatch):
    monkeypatch.setattr(dashboard, "MAP_PAGE_SIZE", 2)
    response = client.get("/map/")
    html = response.content.decode()
    assert len(response.context["arrangements"]) == 2
    assert "show 2 of 5 arrangements at a time, newest first (page 1 of 3)" in html
    last = client.get("/map/", {"page": 3})
    assert len(last.context["arrangements"]) == 1
    assert "Arrangements 5 to 5 of 5" in last.content.decode()
    # The counts still cover every arrangement.
    assert {c["code"]: c["arrangements"] for c in response.context["counts"]}["NTT"] == 3


def test_the_map_with_no_matches_says_so(client, register):
    html = client.get("/map/", {"q": "nothing like this"}).content.decode()
    assert "No arrangements match these filters" in html
    assert "No organisations take part" in html


@pytest.mark.parametrize(
    ("largest", "labels"),
    [
        (0, ["1"]),
        (1, ["1"]),
        (2, ["1", "2"]),
        (4, ["1", "2", "3 to 4"]),
        (12, ["1", "2", "3 to 4", "5 to 9", "10 to 12"]),
        (80, ["1", "2", "3 to 4", "5 to 9", "10 to 19", "20 to 49", "50 to 80"]),
    ],
)
def test_count_bins_cover_every_count_from_light_to_dark(largest, labels):
    bins = dashboard.count_bins(largest)
    assert [b.label for b in bins] == labels
    assert bins[0].low == 1 and bins[-1].high == max(largest, 1)
    for before, after in zip(bins, bins[1:], strict=False):
        assert after.low == before.high + 1  # no gaps, no overlaps
    if len(bins) > 1:
        assert bins[0].colour == dashboard.PALETTE[0] and bins[-1].colour == dashboard.PALETTE[-1]
    assert len({b.colour for b in bins}) == len(bins)


# --- The dashboard ---------------------------------------------------------------------


def test_dashboard_counts_arrangements_by_status(register):
    rows = {r["status"]: r["count"] for r in dashboard.status_counts(_anonymous_qs())}
    assert rows["live"] == 3
    assert rows["ended"] == 1
    assert rows["business_case"] == 1
    assert rows["idea"] == 0  # the draft is not published
    assert [r["status"] for r in dashboard.status_counts(_anonymous_qs())] == list(Status.values)


def test_dashboard_share_of_councils_by_nation_and_type(register):
    by_nation = {r["key"]: r for r in dashboard.council_share(_anonymous_qs(), "nation")}
    # England: Testshire, Northtown, Southvale and Westbury share; Oldtown is abolished.
    assert (by_nation["England"]["sharing"], by_nation["England"]["councils"]) == (4, 4)
    assert (by_nation["Scotland"]["sharing"], by_nation["Scotland"]["councils"]) == (1, 1)
    assert (by_nation["Wales"]["sharing"], by_nation["Wales"]["councils"], by_nation["Wales"]["percent"]) == (0, 1, 0)
    assert "Northern Ireland" not in by_nation  # no councils there in this register
    by_type = {r["key"]: r for r in dashboard.council_share(_anonymous_qs(), "org_type")}
    assert (by_type["NMD"]["sharing"], by_type["NMD"]["councils"]) == (2, 2)
    assert "FRA" not in by_type  # a fire authority is not a principal council
    totals = dashboard.council_share_total(_anonymous_qs())
    assert totals == {"councils": 6, "sharing": 5, "percent": 83}


def test_dashboard_share_follows_the_filters(register):
    by_nation = {r["key"]: r for r in dashboard.council_share(_anonymous_qs(category="legal"), "nation")}
    assert by_nation["England"]["sharing"] == 4  # Testshire, Northtown, Southvale, Westbury
    assert by_nation["Scotland"]["sharing"] == 0


def test_dashboard_keeps_expected_and_achieved_apart(register):
    money = register_figures(_anonymous_qs())
    assert [(r.year, r.expected) for r in money.figures.by_year if r.expected] == [
        ("2015/16", 100_000),
        ("2016/17", 150_000),
    ]
    assert [(r.year, r.achieved_reported) for r in money.figures.by_year if r.achieved_reported] == [
        ("2015/16", 100_000),
        ("2016/17", 30_000),
    ]
    by_category = {money.label(r.category): r.achieved_reported for r in money.figures.by_category}
    assert by_category == {"Legal services": 80_000, "Environment and waste": 50_000}
    assert (money.figures.expected, money.figures.achieved_reported, money.figures.achieved_signed_off) == (
        250_000,
        130_000,
        0,
    )


def test_one_saving_in_four_categories_is_counted_once_and_the_categories_sum_to_the_total(register):
    """The issue's case: £39.15m in four categories was counted in full in each."""
    from services.models import ServiceCategory

    hub = Arrangement.objects.get(title="Westbury Legal Hub")
    for key in ("alpha", "beta", "gamma", "delta"):
        ServiceCategory.objects.get_or_create(key=key, defaults={"label": key.title(), "family": "Test"})
    hub.categories.set(ServiceCategory.objects.filter(key__in=["alpha", "beta", "gamma", "delta"]))
    LedgerEntryFactory(arrangement=hub, measure="achieved_saving", period="2015/16", amount=39_150_000)
    money = register_figures(_anonymous_qs(q="Westbury"))
    assert money.figures.achieved_reported == 39_150_000
    assert [r.achieved_reported for r in money.figures.by_category] == [9_787_500] * 4
    api = Client().get("/api/v1/figures?q=Westbury").json()
    assert sum(r["achieved_reported"] for r in api["by_category"]) == api["achieved_reported"] == 39_150_000
    assert sum(r["achieved_reported"] for r in api["by_year"]) == api["achieved_reported"]


def test_overlapping_periods_are_never_added(register):
    hub = Arrangement.objects.get(title="Westbury Legal Hub")
    LedgerEntryFactory(arrangement=hub, measure="achieved_saving", period="2011/12", amount=620_000)
    LedgerEntryFactory(arrangement=hub, measure="achieved_saving", period="2010/11-2012/13", amount=3_000_000)
    money = register_figures(_anonymous_qs(q="Westbury"))
    assert money.figures.achieved_reported == 620_000
    html = Client().get(hub.get_absolute_url()).content.decode()
    assert "Not counted in totals" in html


def test_dashboard_groups_the_reasons_for_no_savings_figure(register):
    missing = dashboard.without_savings(_anonymous_qs())
    assert missing["total"] == 3
    assert missing["without_reason"] == 1  # Northtown Fire Collaboration
    assert missing["reasons"] == [{"reason": "not set up to save money", "count": 2}]


def test_a_saving_over_several_years_counts_as_a_savings_figure(register):
    hub = Arrangement.objects.get(title="Westbury Legal Hub")
    LedgerEntryFactory(arrangement=hub, measure="achieved_saving", period="2010/11-2011/12", amount=500_000)
    missing = dashboard.without_savings(_anonymous_qs())
    assert missing["total"] == 2
    money = register_figures(_anonymous_qs())
    assert money.figures.achieved_reported == 630_000
    assert [(r.year, r.achieved_reported) for r in money.figures.by_year][:2] == [
        ("2010/11", 250_000),
        ("2011/12", 250_000),
    ]


def test_dashboard_top_categories_and_services(register):
    assert [(r["key"], r["count"]) for r in dashboard.top_categories(_anonymous_qs())] == [
        ("legal", 2),
        ("environment-waste", 1),
    ]
    assert [(r["lgsl"], r["count"]) for r in dashboard.top_services(_anonymous_qs())] == [(524, 1)]


def test_organisations_taking_part(register):
    taking_part = dashboard.organisations_taking_part(_anonymous_qs())
    assert taking_part["total"] == 6
    assert {r["key"]: r["count"] for r in taking_part["by_type"]} == {"CTY": 1, "NMD": 2, "UA": 1, "SCO": 1, "FRA": 1}


def test_dashboard_page_shows_each_figure_with_a_table_and_its_source(client, register):
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-arrangements">5<' in html
    assert 'id="figure-expected">£250k<' in html
    # Only signed-off savings count as achieved: these are reported, not yet signed off.
    assert 'id="figure-achieved">£0<' in html
    assert "(£130k more reported, not yet signed off)" in html
    for table in (
        "status",
        "types",
        "nations",
        "council-types",
        "expected-by-year",
        "achieved-by-year",
        "expected-by-category",
        "reported-by-year",
        "reported-by-category",
        "no-savings",
        "top-categories",
        "top-services",
    ):
        assert f'id="table-{table}"' in html, table
    assert "Source: Sharewell register, published arrangements, as at " in html
    assert "Not set up to save money" in html
    assert "No reason given" in html
    assert "Southvale Draft Idea" not in html


def test_dashboard_honours_the_filters_in_the_url(client, register):
    response = client.get("/dashboard/", {"status": "ended"})
    html = response.content.decode()
    assert response.context["data"]["arrangements"] == 1
    assert 'id="figure-expected">£0<' in html
    assert 'id="figure-achieved">£0<' in html
    assert "(£50k more reported, not yet signed off)" in html
    assert "No expected savings are recorded" in html
    assert 'href="/map/?status=ended"' in html


def test_dashboard_aggregates_in_a_fixed_number_of_queries(register, django_assert_max_num_queries):
    for i in range(20):
        _arrangement(f"More sharing {i}", [register["north"], register["west"]], no_savings_reason="Too early")
    with django_assert_max_num_queries(20):
        data = dashboard.summary(_anonymous_qs())
    assert data["arrangements"] == 25
    assert data["without_savings"]["reasons"][0] == {"reason": "too early", "count": 20}
