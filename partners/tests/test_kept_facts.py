"""The finder's kept matrices and service facts: the same answers as preparing them per
query, never stale after a write, and a warm API query in a small fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arrangements import writes
from organisations import writes as organisation_writes
from organisations.models import Neighbour, OrganisationType
from partners import api, engine, services
from partners.models import Post

QUERY = {"organisation": "NTT", "service": "legal", "limit": 5}


@pytest.fixture
def borders(places):
    north, south = places["north"], places["south"]
    Neighbour.objects.create(organisation=north, neighbour=south, border_km=23.4)
    Neighbour.objects.create(organisation=south, neighbour=north, border_km=23.4)


def _arrangement(user, title: str, partners: list[str], service: str = "legal"):
    outcome = writes.create(
        user,
        {
            "title": title,
            "description": "Shared",
            "kind": "shared_service",
            "lead_organisation": partners[0],
            "partners": partners,
            "services": [service],
            "delivery_model": "joint_committee",
            "status": "live",
            "no_savings_reason": "None",
        },
        writes.api(),
        publish=True,
    )
    assert outcome.ok, outcome.problems
    return outcome.arrangement


def _unkept(search: services.Search) -> dict:
    """The answer with the service's facts gathered and handed to the engine as they are."""
    data = services.build()
    query = engine.Query(
        organisation=search.organisation.code,
        service_key=search.service.key,
        service_label=search.service.label.lower(),
        category_key=search.service.category_key,
        tier_rule=search.service.tier_rule,
        other_types=search.service.other_types,
        group_weights=services.group_weights(search),
        limit=search.limit,
        year=timezone.localdate().year,
        **services.service_facts(search.service),
    )
    return api.as_dict(engine.find_partners(data, query), search.service)


@pytest.mark.parametrize("service", ["legal", "524", "building-control"])
def test_kept_facts_give_the_same_answers_as_facts_gathered_per_query(places, service_list, borders, users, service):
    _arrangement(users["moderator"], "Shared legal team", ["SVL", "CWM"])
    _arrangement(users["moderator"], "Shared waste team", ["SVL", "TST"], service="waste")
    Post.objects.create(
        organisation=places["south"],
        category=services.resolve_service("legal").category,
        title="Looking for a legal partner",
        description="x",
        contact_name="A",
        contact_email="a@example.org",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    choice = services.resolve_service(service)
    for organisation in ("north", "south", "county"):
        search = services.Search(places[organisation], choice, limit=10)
        first = api.as_dict(services.find(search), choice)
        again = api.as_dict(services.find(search), choice)  # from what was kept
        assert first == again == _unkept(search)
    data, facts = services.prepared(choice)
    assert services.prepared(choice) == (data, facts)  # the same objects: prepared once


def test_a_new_arrangement_is_seen_by_the_next_query(places, service_list, borders, users):
    def joinable():
        return [j["title"] for j in Client().get("/api/v1/partners", QUERY).json()["joinable"]]

    assert joinable() == []
    assert joinable() == []  # now kept
    _arrangement(users["moderator"], "Shared legal practice", ["SVL", "CWM"])
    assert joinable() == ["Shared legal practice"]


def test_other_writes_the_finder_reads_move_its_version(places, service_list, borders, moderator):
    version = services.register_version()
    assert services.register_version() == version  # nothing written: the same
    Post.objects.create(
        organisation=places["south"],
        category=services.resolve_service("legal").category,
        title="Looking",
        description="x",
        contact_name="A",
        contact_email="a@example.org",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    assert services.register_version() != version
    version = services.register_version()
    places["south"].political_control = "Independent"
    places["south"].save()
    assert services.register_version() != version
    trust = places["north"].__class__.objects.create(
        code="TRU", name="Test Trust", official_name="Test NHS Trust", org_type=OrganisationType.NHS_TRUST
    )
    version = services.register_version()
    assert organisation_writes.record_served(moderator, trust, "Northtown").ok
    assert services.register_version() != version


def test_a_warm_api_query_needs_few_queries_whatever_the_register(
    places, service_list, borders, users, django_assert_num_queries
):
    Client().get("/api/v1/partners", QUERY)  # cold: the matrices and the facts are prepared
    with CaptureQueriesContext(connection) as small:
        assert Client().get("/api/v1/partners", QUERY).status_code == 200
    for n in range(5):
        _arrangement(users["moderator"], f"Shared legal team {n}", ["SVL", "CWM", "TST"])
    Client().get("/api/v1/partners", QUERY)
    # The organisation, the service and its tier, and the version: one read each.
    with django_assert_num_queries(4):
        body = Client().get("/api/v1/partners", QUERY).json()
    assert len(small) == 4
    assert len(body["joinable"]) == 5
