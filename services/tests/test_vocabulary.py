"""Everyday service words on the real LGSL (the services' reference files in data/)."""

from __future__ import annotations

import pytest
from django.conf import settings

from organisations.tests.openapi import errors, response_schema
from reference.core import Context, run
from services.importers import DECLARATIONS
from services.models import Service, ServiceCategory
from services.resolve import ServiceResolver
from services.vocabulary import VOCABULARY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def lgsl(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        run(DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))
    yield
    with django_db_blocker.unblock():
        Service.objects.all().delete()
        ServiceCategory.objects.all().delete()


@pytest.fixture
def resolver(lgsl):
    return ServiceResolver()


@pytest.mark.parametrize("phrase, target", list(VOCABULARY.items()))
def test_each_everyday_word_resolves_to_its_service_or_category(resolver, phrase, target):
    match = resolver.resolve(phrase)
    assert match.problem == ""
    found = f"lgsl:{match.service.lgsl}" if match.service else f"category:{match.category.key}"
    assert found == target
    # However it is written.
    assert resolver.resolve(phrase.upper()).category == match.category
    # And the search lists it first.
    assert resolver.search(phrase)[0].key == target


def test_a_curly_apostrophe_is_the_same_word(resolver):
    assert resolver.resolve("Children’s social care").category.key == "social-care-health"


def test_an_unknown_phrase_gets_did_you_mean(resolver):
    match = resolver.resolve("Rodas")
    assert match.service is None and match.category is None
    assert match.suggestions[0] == "Roads"
    assert "Did you mean “Roads”" in match.problem


def test_api_lists_what_a_phrase_resolves_to_best_first(lgsl, client):
    document = client.get("/api/v1/openapi.json").json()
    schema = response_schema(document, "/api/v1/services", 200)
    body = client.get("/api/v1/services", {"q": "Bins"}).json()
    assert errors(body, schema, document) == []
    assert [r["key"] for r in body["results"][:2]] == ["lgsl:524", "category:environment-waste"]
    assert body["results"][0]["how"] == "everyday word"
    assert body["results"][0]["tier"] == "district"
    assert [r["score"] for r in body["results"]] == sorted((r["score"] for r in body["results"]), reverse=True)
    unknown = client.get("/api/v1/services", {"q": "Rodas"}).json()
    assert errors(unknown, schema, document) == []
    assert unknown["results"] == [] and unknown["did_you_mean"][0] == "Roads"


def test_api_without_a_phrase_is_a_422(lgsl, client):
    document = client.get("/api/v1/openapi.json").json()
    response = client.get("/api/v1/services")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "problems"}
    assert errors(response.json(), response_schema(document, "/api/v1/services", 422), document) == []
