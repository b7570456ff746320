"""The finder's pages, API and command over the real database, and the board's permissions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from organisations.models import Neighbour
from partners import services
from partners.models import Post, PostResponse, PostView


@pytest.fixture
def borders(places):
    north, south = places["north"], places["south"]
    Neighbour.objects.create(organisation=north, neighbour=south, border_km=23.4)
    Neighbour.objects.create(organisation=south, neighbour=north, border_km=23.4)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_finder_page_ranks_the_neighbour_first_with_reasons(places, service_list, borders):
    page = Client().get("/partners/", {"organisation": "Northtown DC", "category": "legal"}).content.decode()
    assert "Partners for Northtown" in page
    first = page.index('id="candidates"')
    assert page.index("Southvale", first) < page.index("Cwmtest", first)
    assert "Shares a 23 km border" in page


def test_finder_explains_unknown_organisations_and_abolished_ones(places, service_list):
    page = Client().get("/partners/", {"organisation": "Nowhereshire", "category": "legal"}).content.decode()
    assert "There is a problem" in page and "No organisation called" in page
    page = Client().get("/partners/", {"organisation": "OLD", "category": "legal"}).content.decode()
    assert "no longer exists" in page


def test_tier_rules_keep_district_services_from_counties(places, service_list, borders):
    # Building control is a district service: the county is not a candidate.
    result = services.find(services.Search(places["north"], services.resolve_service("building-control")))
    assert "TST" not in [m.code for m in result.matches]
    assert "SVL" in [m.code for m in result.matches]


def test_the_matrices_are_rebuilt_when_the_register_changes(places, service_list, borders):
    first = services.matching_data()
    assert services.matching_data() is first  # cached
    Neighbour.objects.filter(border_km=23.4).delete()
    assert services.matching_data() is not first


def test_api_matches_the_page_and_documents_itself(places, service_list, borders):
    body = Client().get("/api/v1/partners", {"organisation": "NTT", "service": "legal", "limit": 3}).json()
    assert body["matches"][0]["code"] == "SVL"
    border = next(f for f in body["matches"][0]["factors"] if f["key"] == "border")
    assert border["reason"] == "Shares a 23 km border" and 0 < border["value"] <= 1
    spec = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/partners" in spec["paths"]
    assert Client().get("/api/v1/partners", {"organisation": "ZZZ", "service": "legal"}).status_code == 404
    refused = Client().get("/api/v1/partners", {"organisation": "NTT", "service": "nonsense"})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "service"


def test_a_zero_weight_leaves_a_factor_out(places, service_list, borders):
    body = Client().get("/api/v1/partners", {"organisation": "NTT", "service": "legal", "w_border": 0}).json()
    assert "border" not in body["weights"]
    assert all(f["key"] != "border" for m in body["matches"] for f in m["factors"])


def test_command_prints_reasons_and_json(places, service_list, borders, capsys):
    call_command("find_partners", "Northtown", "--service", "legal", "--limit", "2")
    out = capsys.readouterr().out
    assert "1. Southvale (SVL)" in out and "Shares a 23 km border" in out
    call_command("find_partners", "NTT", "--service", "legal", "--json")
    assert json.loads(capsys.readouterr().out)["matches"][0]["code"] == "SVL"


def test_compare_shows_two_candidates_side_by_side(places, service_list, borders):
    page = (
        Client()
        .get("/partners/compare/", {"organisation": "NTT", "category": "legal", "candidate": ["SVL", "CWM"]})
        .content.decode()
    )
    assert "Southvale" in page and "Cwmtest" in page and "Shared border" in page


# --- the matchmaking board -------------------------------------------------------------

POST = {
    "category": None,
    "title": "Partner for legal services",
    "description": "We want to share a legal team",
    "offers": "Office space",
    "contact_name": "A. Officer",
    "contact_email": "officer@northtown.example",
}


def _post_data(places, organisation):
    from services.models import ServiceCategory

    expires = timezone.localdate() + dt.timedelta(days=30)
    return {
        **POST,
        "organisation": organisation.pk,
        "category": ServiceCategory.objects.get(key="legal").pk,
        "expires_on": expires.isoformat(),
    }


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 302), ("viewer", 403), ("other_editor", 200), ("editor", 302), ("moderator", 302)]
)
def test_only_editors_post_for_their_organisation(places, service_list, users, who, expected):
    response = client_for(users.get(who)).post("/partners/board/new/", _post_data(places, places["north"]))
    assert response.status_code == expected
    assert Post.objects.exists() == (expected == 302 and who != "anonymous")


def test_posts_are_listed_viewed_answered_boost_the_finder_and_can_be_withdrawn(places, service_list, users, borders):
    client_for(users["editor"]).post("/partners/board/new/", _post_data(places, places["north"]))
    post = Post.objects.get()
    assert "Partner for legal services" in Client().get("/partners/board/", {"q": "legal"}).content.decode()
    assert "Partner for legal services" not in Client().get("/partners/board/", {"q": "waste"}).content.decode()
    welsh = client_for(users["other_editor"])
    welsh.get(post.get_absolute_url())
    assert PostView.objects.filter(post=post, organisation=places["welsh"]).exists()
    welsh.post(post.get_absolute_url(), {"organisation": places["welsh"].pk, "message": "We are interested"})
    assert PostResponse.objects.filter(post=post, organisation=places["welsh"]).exists()
    page = client_for(users["editor"]).get(post.get_absolute_url()).content.decode()
    assert "Cwmtest" in page and "We are interested" in page  # the poster sees who looked and replied
    # The responder sees what they sent; nobody else does.
    assert "We are interested" in welsh.get(post.get_absolute_url()).content.decode()
    assert "We are interested" not in Client().get(post.get_absolute_url()).content.decode()
    # Southvale searching for legal partners sees Northtown's post as a reason.
    result = services.find(services.Search(places["south"], services.resolve_service("legal")))
    northtown = next(m for m in result.matches if m.code == "NTT")
    assert northtown.factor("interest").value > 0
    assert welsh.post(f"/partners/board/{post.pk}/withdraw/").status_code == 403
    assert client_for(users["editor"]).post(f"/partners/board/{post.pk}/withdraw/").status_code == 302
    assert "Partner for legal services" not in Client().get("/partners/board/").content.decode()
    assert Client().get(post.get_absolute_url()).status_code == 410


def test_expired_posts_leave_the_board(places, service_list, users):
    from services.models import ServiceCategory

    Post.objects.create(
        organisation=places["north"],
        category=ServiceCategory.objects.get(key="legal"),
        title="Old post",
        description="x",
        contact_name="x",
        contact_email="x@example.org",
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    assert "Old post" not in Client().get("/partners/board/").content.decode()


def test_expiry_must_be_within_a_year(places, service_list, users):
    data = _post_data(places, places["north"])
    data["expires_on"] = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    page = client_for(users["editor"]).post("/partners/board/new/", data).content.decode()
    assert "within a year" in page and not Post.objects.exists()


def test_a_successor_inherits_its_abolished_predecessors_track_record(places, service_list):
    from arrangements.models import Arrangement, Partnership

    shared = Arrangement.objects.create(
        title="Old audit", description="Audit shared", status="live", start_year=2010, published=True
    )
    Partnership.objects.create(arrangement=shared, organisation=places["old"], role="lead")
    Partnership.objects.create(arrangement=shared, organisation=places["south"], role="member")

    assert services.current_successors() == {"OLD": ["NTT"]}
    result = services.find(services.Search(places["south"], services.resolve_service("legal")))
    north = next(m for m in result.matches if m.code == "NTT")
    assert north.factor("track_record").value > 0
    assert north.factor("track_record").reason.endswith("(through Oldborough Borough Council, since replaced)")


@pytest.mark.parametrize(
    "words, key",
    [
        ("legal", "category:legal"),
        ("Legal services", "category:legal"),
        ("waste", "category:environment-waste"),
        ("524", "lgsl:524"),
        ("lgsl:524", "lgsl:524"),
    ],
)
def test_services_are_found_by_the_words_people_use(service_list, words, key):
    assert services.resolve_service(words).key == key


def test_an_unknown_service_is_refused_with_its_words(service_list):
    with pytest.raises(services.UnknownService, match="“juggling” is not an LGSL service or a category"):
        services.resolve_service("juggling")


def test_the_posters_contact_is_for_signed_in_users_unless_they_choose(places, service_list, users):
    client_for(users["editor"]).post("/partners/board/new/", _post_data(places, places["north"]))
    post = Post.objects.get()
    anonymous = Client().get(post.get_absolute_url()).content.decode()
    assert post.contact_email not in anonymous
    assert "Sign in</a> to see who to contact" in anonymous
    assert "Visits by people who are not signed in are not recorded" in anonymous
    signed_in = client_for(users["other_editor"]).get(post.get_absolute_url()).content.decode()
    assert post.contact_email in signed_in
    assert "can see that you" in signed_in
    post.contact_public = True
    post.save()
    assert post.contact_email in Client().get(post.get_absolute_url()).content.decode()


def test_the_boards_error_summary_names_each_field(places, service_list, users):
    page = client_for(users["editor"]).post("/partners/board/new/", {}).content.decode()
    assert "This field is required" not in page
    for message in ("Choose service category", "Enter what you are looking for", "Enter contact email address"):
        assert message in page
    form = client_for(users["editor"]).get("/partners/board/new/").content.decode()
    assert "---------" not in form


def test_a_shared_link_shows_every_weight_and_its_scale(places, service_list, borders):
    response = Client().get("/partners/", {"organisation": "NTT", "category": "legal", "w_border": "4"})
    form = response.context["form"]
    assert form["w_border"].value() == "4"
    assert form["w_distance"].value() == "1"  # not named in the link: the default, not blank
    assert "0 (leave out) to 10; the default is 3" in response.content.decode()  # track record's scale


def test_an_error_in_the_weights_opens_the_panel(places, service_list, borders):
    page = Client().get("/partners/", {"organisation": "NTT", "category": "legal", "w_distance": "-1"}).content.decode()
    assert '<details class="govuk-details" open>' in page


def test_compare_up_to_four_says_what_it_left_out_and_downloads_the_shortlist(places, service_list, borders):
    from organisations.tests.factories import OrganisationFactory

    for n, code in enumerate(("UAA", "UAB", "UAC")):
        OrganisationFactory(
            code=code, name=f"Unitary {code}", org_type="UA", tier="unitary", latitude=52.1 + n / 10, longitude=0.3
        )
    ranked = Client().get("/api/v1/partners", {"organisation": "NTT", "service": "legal", "limit": 6}).json()
    codes = [m["code"] for m in ranked["matches"]]
    assert len(codes) >= 5
    query = {"organisation": "NTT", "category": "legal", "candidate": codes[:5]}
    response = Client().get("/partners/compare/", query)
    assert [m.code for m in response.context["matches"]] == codes[:4]
    assert "You can compare up to 4 at once: 1 more ticked is not shown" in response.content.decode()
    download = Client().get("/partners/compare/", {**query, "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    rows = download.content.decode().splitlines()
    assert rows[0].startswith("For,Northtown")
    assert len(rows[1].split(",")) == 5  # a label and four candidates


def test_the_finder_takes_the_service_in_everyday_words(places, service_list, borders):
    response = Client().get("/partners/", {"organisation": "NTT", "category": "legal", "words": "Bins"})
    assert response.context["search"].service.key == "lgsl:524"
    unknown = Client().get("/partners/", {"organisation": "NTT", "category": "legal", "words": "Bnis"})
    assert "Did you mean “Bins”" in unknown.content.decode()
    assert unknown.context["search"] is None


def test_the_partners_api_answers_match_its_openapi_document(places, service_list, borders):
    from organisations.tests.openapi import errors, response_schema

    document = Client().get("/api/v1/openapi.json").json()
    ok = Client().get("/api/v1/partners", {"organisation": "NTT", "service": "Legal", "type": "councils"})
    assert ok.status_code == 200
    assert errors(ok.json(), response_schema(document, "/api/v1/partners", 200), document) == []
    for query in (
        {"service": "nonsense"},
        {"service": "legal", "g_place": "-1"},
        {"service": "legal", "w_border": "x"},
    ):
        refused = Client().get("/api/v1/partners", {"organisation": "NTT", **query})
        assert refused.status_code == 422, query
        assert set(refused.json()) == {"detail", "problems"}
        assert errors(refused.json(), response_schema(document, "/api/v1/partners", 422), document) == [], query


def test_the_track_record_reads_the_register_in_chunks_with_the_same_answer(places, service_list, monkeypatch):
    """At a million arrangements one query of every id passed SQLite's parameter limit (a 500):
    the ids go in chunks, and the scores are the same whatever the chunk's size."""
    from arrangements.models import Arrangement, Partnership

    for n, (lead, other) in enumerate([("old", "south"), ("north", "south"), ("north", "welsh")]):
        shared = Arrangement.objects.create(
            title=f"Shared {n}", description="x", status="live", start_year=2010 + n, published=True
        )
        Partnership.objects.create(arrangement=shared, organisation=places[lead], role="lead")
        Partnership.objects.create(arrangement=shared, organisation=places[other], role="member")

    def scores():
        services._cache.clear()
        result = services.find(services.Search(places["south"], services.resolve_service("legal")))
        return [(m.code, m.score, m.factor("track_record").reason) for m in result.matches]

    whole = scores()
    monkeypatch.setattr(services, "CHUNK", 1)
    assert scores() == whole
