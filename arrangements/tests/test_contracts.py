"""Contract end dates: recorded by an organisation's editors, shown on its profile, used
by the partner finder's timing factor; every refusal tested."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from arrangements.models import Contract
from organisations.models import Neighbour
from services.models import ServiceCategory

VALID = {"category": "", "lgsl": "", "description": "Legal services with Example LLP", "ends_on": "31/3/2027"}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def legal(service_list):
    return ServiceCategory.objects.get(key="legal")


@pytest.fixture
def contract(places, legal):
    return Contract.objects.create(
        organisation=places["north"], category=legal, description="Legal with Example LLP", ends_on=dt.date(2027, 3, 31)
    )


def test_an_editor_records_a_contract_and_the_profile_shows_it(places, users, legal):
    client = client_for(users["editor"])
    response = client.post("/arrangements/contracts/new/NTT/", {**VALID, "category": legal.pk, "lgsl": "676"})

    assert response.status_code == 302 and response.url.endswith("/organisations/NTT/#contracts")
    contract = Contract.objects.get()
    assert (contract.organisation, contract.category, contract.service.lgsl, contract.ends_on) == (
        places["north"],
        legal,
        676,
        dt.date(2027, 3, 31),
    )
    assert contract.history.get().history_user == users["editor"]
    page = client.get("/organisations/NTT/").content.decode()
    assert "Legal services with Example LLP" in page and "31 March 2027" in page
    assert "Record when a contract ends" in page
    public = Client().get("/organisations/NTT/").content.decode()
    assert "31 March 2027" in public and "Record when a contract ends" not in public


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, 302),
        ("viewer", 403),
        ("other_editor", 403),
        ("editor", 200),
        ("admin", 200),
        ("moderator", 200),
    ],
)
def test_only_the_organisations_editors_and_moderators_may_record_contracts(
    places, users, contract, legal, who, expected
):
    client = client_for(users.get(who))
    for url in (
        "/arrangements/contracts/new/NTT/",
        f"/arrangements/contracts/{contract.pk}/change/",
        f"/arrangements/contracts/{contract.pk}/remove/",
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("accounts:sign-in"))
    # Writes are refused the same way, and change nothing.
    client.post("/arrangements/contracts/new/NTT/", {**VALID, "category": legal.pk})
    client.post(
        f"/arrangements/contracts/{contract.pk}/change/", {**VALID, "category": legal.pk, "description": "Changed"}
    )
    if expected != 200:
        client.post(f"/arrangements/contracts/{contract.pk}/remove/")
        assert list(Contract.objects.values_list("description", flat=True)) == ["Legal with Example LLP"]


def test_an_abolished_organisation_takes_no_new_contracts(places, users, legal):
    response = client_for(users["moderator"]).get("/arrangements/contracts/new/OLD/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"category": ""}, "category", "Choose the service the contract covers"),
        ({"ends_on": ""}, "ends_on", "Enter the date the contract ends"),
        ({"ends_on": "31/13/2027"}, "ends_on", "Enter the date the contract ends as day/month/year"),
        ({"description": ""}, "description", "Describe the contract"),
        ({"description": "x" * 301}, "description", "in 300 characters or fewer"),
        ({"lgsl": "99999"}, "lgsl", "No LGSL service has the number 99999"),
        ({"lgsl": "abc"}, "lgsl", "Enter the LGSL number as a whole number"),
    ],
)
def test_bad_answers_are_named_and_nothing_is_saved(places, users, legal, changes, field, message):
    data = {**VALID, "category": legal.pk, **changes}
    response = client_for(users["editor"]).post("/arrangements/contracts/new/NTT/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page and f'href="#id_{field}"' in page
    assert not Contract.objects.exists()


def test_a_service_outside_the_chosen_category_is_refused(places, users, legal):
    waste = ServiceCategory.objects.get(key="environment-waste")
    response = client_for(users["editor"]).post(
        "/arrangements/contracts/new/NTT/", {**VALID, "category": waste.pk, "lgsl": "676"}
    )
    assert "LGSL 676 (Legal advice) is not in Environment and waste" in response.content.decode()
    assert not Contract.objects.exists()


def test_change_and_remove_keep_the_history(places, users, contract, legal):
    client = client_for(users["editor"])
    client.post(
        f"/arrangements/contracts/{contract.pk}/change/", {**VALID, "category": legal.pk, "ends_on": "2028-03-31"}
    )
    contract.refresh_from_db()
    assert contract.ends_on == dt.date(2028, 3, 31)

    client.post(f"/arrangements/contracts/{contract.pk}/remove/")
    assert not Contract.objects.exists()
    kinds = list(
        Contract.history.filter(id=contract.pk).order_by("history_date").values_list("history_type", flat=True)
    )
    assert kinds == ["+", "~", "-"]


def test_the_finder_times_partners_by_recorded_contracts_and_asks_for_yours(places, users, legal):
    Neighbour.objects.create(organisation=places["north"], neighbour=places["south"], border_km=23.4)
    Neighbour.objects.create(organisation=places["south"], neighbour=places["north"], border_km=23.4)
    Contract.objects.create(
        organisation=places["south"], category=legal, description="Legal", ends_on=dt.date(2027, 6, 30)
    )
    query = {"organisation": "NTT", "category": "legal"}

    editor = client_for(users["editor"]).get("/partners/", query).content.decode()
    assert "Your contract end date for legal services is not recorded" in editor
    assert "/arrangements/contracts/new/NTT/?category=" in editor
    assert "/arrangements/contracts/new/NTT/" not in Client().get("/partners/", query).content.decode()

    Contract.objects.create(
        organisation=places["north"], category=legal, description="Legal", ends_on=dt.date(2026, 9, 30)
    )
    page = Client().get("/partners/", query).content.decode()
    assert "Its legal services contract ends in 2027, a year after yours" in page


def test_the_organisation_api_lists_recorded_contracts(places, contract):
    from organisations.tests.openapi import errors, response_schema

    body = Client().get("/api/v1/organisations/NTT").json()
    assert body["contracts"] == [
        {
            "category": "legal",
            "category_label": "Legal services",
            "lgsl": None,
            "description": "Legal with Example LLP",
            "ends_on": "2027-03-31",
        }
    ]
    document = Client().get("/api/v1/openapi.json").json()
    assert errors(body, response_schema(document, "/api/v1/organisations/{code}", 200), document) == []
