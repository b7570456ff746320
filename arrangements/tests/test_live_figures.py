"""Figures for people who see drafts: the public's part, kept, put together with their drafts
counted live, gives exactly what counting everything they see gives (`arrangements.dashboard`'s
parts), and the published arrangements are not counted again.

A small register generated from a fixed seed: councils of several types and nations (one
abolished), published and unpublished arrangements with partners, categories, services,
reasons for having no savings figure and ledger entries that clash (ranges over years, partners'
shares, signed off against reported), so that every figure has something to add up."""

from __future__ import annotations

import json
import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Role, User
from arrangements import dashboard, listing, map_views
from arrangements.figures import RegisterFigures, register_figures
from arrangements.figures import combine as combine_figures
from arrangements.models import Arrangement, LedgerEntry, Partnership, Status
from arrangements.register import bump
from arrangements.services import ArrangementFilters, filtered
from arrangements.tests.factories import LedgerEntryFactory
from benefits.services import live_without_baseline
from organisations.models import Organisation
from services.models import Service, ServiceCategory

REASONS = ["", "Not set up to save money", "  not set up to SAVE money ", "Too early", "too early"]
PERIODS = ["2014/15", "2015/16", "2016/17", "2017/18", "2014/15-2015/16", "2015/16-2017/18"]
# Kinds of entry: measure and standing (the basis follows).
KINDS = [
    ("expected_saving", "expected"),
    ("achieved_saving", "signed_off"),
    ("achieved_saving", "reported"),
    ("baseline_cost", "expected"),
]


def _organisations() -> list[Organisation]:
    made = []
    for i, (org_type, nation, end_date) in enumerate(
        [
            ("CTY", "England", None),
            ("NMD", "England", None),
            ("NMD", "England", None),
            ("UA", "England", None),
            ("MD", "England", None),
            ("SCO", "Scotland", None),
            ("WPA", "Wales", None),
            ("FRA", "England", None),
            ("NMD", "England", "2020-03-31"),  # abolished: taking part, but in no council's share
            ("UA", "England", None),  # a council that shares nothing: in the denominators only
        ]
    ):
        made.append(
            Organisation.objects.create(
                code=f"O{i:02d}",
                gss_code=f"E0{i:07d}",
                name=f"Council {i % 7}",  # some names shared, so the code breaks ties in the map's order
                official_name=f"Council {i}",
                org_type=org_type,
                nation=nation,
                region="East of England" if i % 2 else "South West",
                latitude=52 + i / 10,
                longitude=0.1 * i,
                end_date=end_date,
            )
        )
    return made


def _generate(rng: random.Random, published: int, drafts: int) -> dict:
    organisations = _organisations()
    categories = [
        ServiceCategory.objects.create(key=f"cat-{i}", label=f"Category {i % 3}", family="F", sort_order=i)
        for i in range(4)
    ]
    services = [
        Service.objects.create(lgsl=500 + i, label=f"Service {i % 2}", category=categories[i % 4]) for i in range(4)
    ]
    sharing = organisations[:9]  # the last council takes part in nothing
    for n in range(published + drafts):
        _arrangement(rng, n, published=n < published, organisations=sharing, categories=categories, services=services)
    return {"organisations": organisations, "categories": categories, "services": services}


def _arrangement(rng, n, *, published, organisations, categories, services, partners=None) -> Arrangement:
    arrangement = Arrangement.objects.create(
        title=f"Sharing {n}",
        description="About it",
        status=rng.choice([Status.IDEA, Status.LIVE, Status.LIVE, Status.ENDED, Status.BUSINESS_CASE]),
        delivery_model="joint_committee",
        published=published,
        start_year=rng.choice([2014, 2015, 2016]),
        no_savings_reason=rng.choice(REASONS),
    )
    chosen = partners if partners is not None else rng.sample(organisations, rng.randint(1, 3))
    for i, organisation in enumerate(chosen):
        role = Partnership.Role.LEAD if i == 0 else Partnership.Role.MEMBER
        Partnership.objects.create(arrangement=arrangement, organisation=organisation, role=role)
    arrangement.categories.set(rng.sample(categories, rng.randint(0, 3)))
    arrangement.services.set(rng.sample(services, rng.randint(0, 2)))
    used = set()
    for _ in range(rng.randint(0, 6)):
        measure, standing = rng.choice(KINDS)
        partner = rng.choice([None, *chosen])
        period = rng.choice(PERIODS)
        basis = "planned" if standing == "expected" else "actual"
        if (partner, period, measure, basis) in used:
            continue  # one entry per key (the database's constraint)
        used.add((partner, period, measure, basis))
        LedgerEntryFactory(
            arrangement=arrangement,
            partner=partner,
            measure=measure,
            standing=standing,
            period=period,
            amount=rng.randrange(-5_000, 200_000),
        )
    return arrangement


@pytest.fixture
def generated(db):
    register = _generate(random.Random(7), published=30, drafts=12)
    organisations = register["organisations"]
    # A member whose organisation has a draft, a moderator, and a member whose organisation has none.
    drafts = Partnership.objects.filter(arrangement__published=False).values_list("organisation", flat=True)
    with_draft = Organisation.objects.filter(pk__in=drafts).order_by("code").first()
    without = organisations[-1]  # takes part in nothing
    member = User.objects.create_user("with.draft", password="a-long-test-password-9")
    Membership.objects.create(user=member, organisation=with_draft, role=Role.EDITOR)
    other = User.objects.create_user("no.draft", password="a-long-test-password-9")
    Membership.objects.create(user=other, organisation=without, role=Role.EDITOR)
    moderator = User.objects.create_user("moderator", password="a-long-test-password-9", is_moderator=True)
    return {**register, "users": {"member with a draft": member, "moderator": moderator, "member without": other}}


def _filters(register: dict, name: str) -> ArrangementFilters:
    return {
        "none": ArrangementFilters(),
        "category": ArrangementFilters(category=register["categories"][1].key),
        "status": ArrangementFilters(status=Status.LIVE),
        "organisation": ArrangementFilters(organisation=register["organisations"][1].code),
        "service": ArrangementFilters(service=register["services"][0].lgsl),
    }[name]


def _kept(parts):
    """As the register keeps them: through JSON."""
    return json.loads(json.dumps(parts))


USERS = ["member with a draft", "moderator", "member without"]
FILTERS = ["none", "category", "status", "organisation", "service"]


@pytest.fixture(params=[(who, name) for who in USERS for name in FILTERS], ids=lambda p: f"{p[0]}, filter {p[1]}")
def case(request, generated) -> tuple[User, ArrangementFilters]:
    """Each person (with a draft, a moderator, without one) with each filter."""
    who, name = request.param
    return generated["users"][who], _filters(generated, name)


def test_the_public_part_and_the_drafts_together_give_the_same_answers_as_counting_live(case):
    user, filters = case
    everything = filtered(user, filters)
    public = filtered(AnonymousUser(), filters)
    drafts = everything.filter(published=False)
    assert not public.filter(pk__in=drafts.values("pk")).exists()  # the two parts are apart
    assert public.count() + drafts.count() == everything.count()

    combined = dashboard.combine_parts(_kept(dashboard.summary_parts(public)), dashboard.summary_parts(drafts))
    assert dashboard.summary_from_parts(combined) == dashboard.summary(everything)
    counts = dashboard.combine_partner_count_parts(
        _kept(dashboard.partner_count_parts(public)), dashboard.partner_count_parts(drafts)
    )
    assert dashboard.partner_counts_from_parts(counts) == dashboard.partner_counts(everything)
    # Either part alone (and the parts in either order) gives that part's figures.
    for part in (public, drafts):
        assert dashboard.summary_from_parts(_kept(dashboard.summary_parts(part))) == dashboard.summary(part)
    again = dashboard.combine_parts(dashboard.summary_parts(drafts), dashboard.summary_parts(public))
    assert dashboard.summary_from_parts(again) == dashboard.summary(everything)


def test_the_generated_register_has_something_to_add_up(generated):
    # So the test above is not comparing nothing with nothing.
    user = generated["users"]["moderator"]
    everything = dashboard.summary(filtered(user, ArrangementFilters()))
    public = dashboard.summary(filtered(AnonymousUser(), ArrangementFilters()))
    assert everything["arrangements"] > public["arrangements"] > 0
    assert everything["money"].figures.left_out and everything["money"].figures.by_category
    assert everything["money"].figures.expected != public["money"].figures.expected
    assert everything["without_savings"]["reasons"] and everything["top_services"]
    assert len(dashboard.partner_counts(filtered(user, ArrangementFilters()))) >= 8
    drafts = filtered(generated["users"]["member with a draft"], ArrangementFilters()).filter(published=False)
    assert drafts.exists()


def _expected_dashboard_data(user, filters: ArrangementFilters) -> dict:
    # Counted live, in the form the page is given.
    return map_views.plain_money(dashboard.summary(filtered(user, filters)))


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("filter_name", ["none", "category", "status", "organisation"])
def test_the_pages_show_what_counting_live_shows(generated, who, filter_name):
    user = generated["users"][who]
    filters = _filters(generated, filter_name)
    query = filters.as_query()
    Client().get("/dashboard/", query)  # the public's part kept first, as it usually is
    Client().get("/map/", query)
    client = Client()
    client.force_login(user)

    response = client.get("/dashboard/", query)
    assert response.status_code == 200
    assert response.context["data"] == _expected_dashboard_data(user, filters)
    assert response.context["no_baseline"] == live_without_baseline(filtered(user, filters))
    money = dashboard.summary(filtered(user, filters))["money"]
    assert response.context["savings_sections"] == map_views._savings_sections(money)

    response = client.get("/map/", query)
    assert response.status_code == 200
    assert response.context["counts"] == dashboard.with_addresses(dashboard.partner_counts(filtered(user, filters)))


def _moderators_dashboard_queries(moderator) -> list[str]:
    Client().get("/dashboard/")  # the public's part, kept against the register version
    client = Client()
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "unpublished" in response.context["scope"]
    assert response.context["data"] == _expected_dashboard_data(moderator, ArrangementFilters())
    return [q["sql"] for q in queries]


ARRANGEMENT_TABLES = [
    f'"{model._meta.db_table}"'
    for model in (Arrangement, Partnership, LedgerEntry, Arrangement.categories.through, Arrangement.services.through)
]


def test_a_moderators_dashboard_counts_only_the_drafts_once_the_publics_part_is_kept(db):
    rng = random.Random(11)
    register = _generate(rng, published=5, drafts=4)
    moderator = User.objects.create_user("moderator", password="a-long-test-password-9", is_moderator=True)
    with_few = _moderators_dashboard_queries(moderator)
    for n in range(45):
        _arrangement(
            rng,
            100 + n,
            published=True,
            organisations=register["organisations"][:9],
            categories=register["categories"],
            services=register["services"],
        )
    bump()  # as the write path does: the public's part is kept again, at the new version
    with_many = _moderators_dashboard_queries(moderator)
    assert Arrangement.objects.filter(published=True).count() == 50
    # As many queries whatever the size of the published register ...
    assert len(with_few) == len(with_many)
    # ... and every aggregate, and every read of the arrangements' rows, is over unpublished ones.
    for sql in with_many:
        if any(table in sql for table in ARRANGEMENT_TABLES) or "COUNT(" in sql.upper() or "SUM(" in sql.upper():
            assert "published" in sql, sql


def test_the_money_of_two_parts_combines_and_reads_back_from_json(case):
    user, filters = case
    everything = filtered(user, filters)
    public, drafts = (
        register_figures(filtered(AnonymousUser(), filters)),
        register_figures(everything.filter(published=False)),
    )
    kept = RegisterFigures.from_dict(json.loads(json.dumps(public.as_dict())))
    assert kept == public
    assert combine_figures(kept, drafts) == register_figures(everything)
    assert combine_figures(kept, drafts).as_api() == register_figures(everything).as_api()


def test_the_count_of_what_someone_sees_is_the_publics_kept_and_their_drafts(case):
    user, filters = case
    listing.count(None, filters)  # the public's, kept
    assert listing.count(user, filters) == filtered(user, filters).count()


def test_a_moderators_map_counts_only_the_drafts_once_the_publics_part_is_kept(generated):
    moderator = generated["users"]["moderator"]
    Client().get("/map/")  # the public's part and count, kept
    client = Client()
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/map/")
    everything = filtered(moderator, ArrangementFilters())
    assert response.context["total"] == everything.count()
    assert response.context["counts"] == dashboard.with_addresses(dashboard.partner_counts(everything))
    aggregates = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper()]
    assert aggregates and all("published" in sql for sql in aggregates), aggregates


@pytest.mark.django_db
def test_a_write_between_the_kept_part_and_the_drafts_count_makes_the_figure_counted_live():
    from arrangements import register

    def parts_with_a_write_between():
        kept = 10
        bump([1])  # a draft published by someone else between the two reads
        return kept + 0

    assert register.combined(lambda: 10 + 1, lambda: 99) == 11  # nothing written between: the parts
    assert register.combined(parts_with_a_write_between, lambda: 11) == 11  # the version moved: live


@pytest.mark.parametrize("who", [None, *USERS])
@pytest.mark.parametrize("filter_name", ["none", "category", "organisation"])
def test_the_figures_api_gives_what_counting_live_gives(generated, who, filter_name):
    from accounts.tests.factories import ApiTokenFactory

    filters = _filters(generated, filter_name)
    Client().get("/api/v1/figures", filters.as_query())  # the public's figures kept first
    user = generated["users"][who] if who else AnonymousUser()
    headers = {"Authorization": f"Bearer {ApiTokenFactory(user=user).secret}"} if who else {}
    with CaptureQueriesContext(connection) as queries:
        answer = Client().get("/api/v1/figures", filters.as_query(), headers=headers)
    assert answer.status_code == 200
    assert answer.json() == json.loads(json.dumps(register_figures(filtered(user, filters)).as_api()))
    # Nothing published is read again: the ledger is read for drafts only, and only by those who see some.
    ledger = [q["sql"] for q in queries if "arrangements_ledgerentry" in q["sql"]]
    assert all(re.search(r'NOT ([A-Z]\d+|"arrangements_arrangement")\."published"', sql) for sql in ledger), ledger
    assert bool(ledger) == (who in ("member with a draft", "moderator"))
