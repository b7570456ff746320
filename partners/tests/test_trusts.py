"""An NHS trust has no area of its own: the finder offers it to the councils it is recorded as
serving and to those its ICB covers, for the categories NHS bodies share; editors record it."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Membership, Role, User
from organisations.models import Organisation, OrganisationName, OrganisationType, Overlap, ServedCouncil
from organisations.writes import record_served, remove_served
from partners import services


def _org(code, name, org_type, **extra) -> Organisation:
    org = Organisation.objects.create(
        code=code, name=name, official_name=name, org_type=org_type, nation="England", **extra
    )
    OrganisationName.objects.create(organisation=org, name=name)
    return org


@pytest.fixture
def herefordshire(db, service_list):
    """A small world of its own: Herefordshire, a neighbour, its ICB and police, and three trusts."""
    hef = _org("HEF", "Herefordshire", OrganisationType.UNITARY, tier="unitary", latitude=52.08, longitude=-2.74)
    shr = _org("SHR", "Shropshire", OrganisationType.UNITARY, tier="unitary", latitude=52.62, longitude=-2.73)
    icb = _org(
        "E54000019", "NHS Herefordshire and Worcestershire ICB", OrganisationType.ICB, latitude=52.2, longitude=-2.4
    )
    police = _org("E23000016", "West Mercia Police", OrganisationType.POLICE, latitude=52.4, longitude=-2.6)
    Overlap.objects.create(organisation=hef, body=icb, share=1.0, method=Overlap.Method.BOUNDARY)
    Overlap.objects.create(organisation=hef, body=police, share=1.0, method=Overlap.Method.BOUNDARY)
    Overlap.objects.create(organisation=shr, body=police, share=1.0, method=Overlap.Method.BOUNDARY)
    wye = _org("WYE", "Wye Valley NHS Trust", OrganisationType.NHS_TRUST, health_body=icb)
    board_only = _org("BRD", "Board Only NHS Trust", OrganisationType.NHS_TRUST, health_body=icb)
    nobody = _org("NOB", "Nobody NHS Trust", OrganisationType.NHS_TRUST)
    editor = User.objects.create_user("wye.editor", password="a-long-test-password-9")
    Membership.objects.create(user=editor, organisation=wye, role=Role.EDITOR)
    return {
        "hef": hef,
        "shr": shr,
        "icb": icb,
        "wye": wye,
        "board_only": board_only,
        "nobody": nobody,
        "editor": editor,
    }


def _search(world, category: str, org_types=None):
    choice = services.resolve_service(category)
    return services.find(services.Search(organisation=world["hef"], service=choice, org_types=org_types, limit=None))


def test_a_trust_serving_herefordshire_is_offered_for_its_hr_among_its_nhs_bodies(herefordshire):
    outcome = record_served(herefordshire["editor"], herefordshire["wye"], "Herefordshire")
    assert outcome.ok, outcome.problems
    result = _search(herefordshire, "hr", org_types=services.org_types_for("health"))
    codes = [m.code for m in result.matches]
    assert "WYE" in codes and "NOB" not in codes
    # Its health bodies all cover all of it: the trusts tie with its ICB at the top.
    assert set(codes[:3]) == {"WYE", "BRD", "E54000019"}
    wye = next(m for m in result.matches if m.code == "WYE")
    assert wye.factor("border").reason.startswith(
        "Serves Herefordshire (recorded by an editor of Wye Valley NHS Trust, "
    )
    assert wye.score == pytest.approx(next(m for m in result.matches if m.code == "E54000019").score)
    board = next(m for m in result.matches if m.code == "BRD")
    assert board.factor("border").reason == (
        "Its ICB (NHS Herefordshire and Worcestershire ICB) covers all of Herefordshire"
    )


def test_a_trust_serving_nobody_is_not_offered_and_no_trust_is_offered_to_a_council_it_does_not_serve(
    herefordshire,
):
    result = _search(herefordshire, "hr")
    assert "NOB" not in {m.code for m in result.matches}
    assert "BRD" in {m.code for m in result.matches}  # its ICB covers Herefordshire
    shropshire = services.find(
        services.Search(organisation=herefordshire["shr"], service=services.resolve_service("hr"), limit=None)
    )
    assert not {"WYE", "BRD", "NOB"} & {m.code for m in shropshire.matches}


def test_trusts_are_offered_only_for_the_categories_nhs_bodies_share(herefordshire):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    assert "WYE" in {m.code for m in _search(herefordshire, "social-care-health").matches}
    assert "WYE" not in {m.code for m in _search(herefordshire, "planning").matches}


def test_the_finder_page_shows_the_trust_with_its_reason(herefordshire):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    page = Client().get("/partners/", {"organisation": "HEF", "category": "hr", "org_type": "health"}).content.decode()
    assert "Wye Valley NHS Trust" in page
    assert "Serves Herefordshire (recorded by an editor of Wye Valley NHS Trust" in page
    assert "Nobody NHS Trust" not in page


# --- Recording: who may ----------------------------------------------------------------------

SERVES = "/organisations/WYE/serves/"


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _user(name, organisation=None, role=None, moderator=False):
    user = User.objects.create_user(name, password="a-long-test-password-9", is_moderator=moderator)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.mark.parametrize(
    "who,status,recorded",
    [
        ("anonymous", 302, False),
        ("trust_viewer", 403, False),
        ("other_council_editor", 403, False),
        ("trust_editor", 302, True),
        ("council_editor", 302, True),
        ("moderator", 302, True),
    ],
)
def test_who_may_record_a_served_council(herefordshire, who, status, recorded):
    users = {
        "anonymous": None,
        "trust_viewer": _user("wye.viewer", herefordshire["wye"], Role.VIEWER),
        "other_council_editor": _user("shr.editor", herefordshire["shr"], Role.EDITOR),
        "trust_editor": herefordshire["editor"],
        "council_editor": _user("hef.editor", herefordshire["hef"], Role.EDITOR),
        "moderator": _user("mod", moderator=True),
    }
    response = _client(users[who]).post(SERVES, {"council": "Herefordshire", "source": ""})
    assert response.status_code == status
    assert ServedCouncil.objects.filter(body__code="WYE", council__code="HEF").exists() == recorded
    if who == "anonymous":
        assert response["Location"].startswith("/account/sign-in/")


def test_an_editor_of_another_council_may_not_record_it_through_the_write_either(herefordshire):
    outcome = record_served(_user("shr.editor", herefordshire["shr"], Role.EDITOR), herefordshire["wye"], "HEF")
    assert outcome.forbidden and not ServedCouncil.objects.exists()


def test_the_error_summary_names_the_field(herefordshire):
    client = _client(herefordshire["editor"])
    page = client.post(SERVES, {"council": "Nowhereshire"}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_council"' in page and "No organisation called “Nowhereshire”" in page
    page = client.post(SERVES, {"council": "West Mercia Police"}).content.decode()
    assert "West Mercia Police is not a current council" in page
    page = client.post(SERVES, {"council": ""}).content.decode()
    assert "Enter the council it serves" in page
    assert not ServedCouncil.objects.exists()


def test_a_body_with_an_area_cannot_serve_councils(herefordshire):
    outcome = record_served(_user("mod", moderator=True), herefordshire["icb"], "HEF")
    assert not outcome.ok and outcome.problems[0].code == "has_area"


@pytest.mark.parametrize(
    "who,removed", [("anonymous", False), ("other_council_editor", False), ("council_editor", True)]
)
def test_who_may_remove_a_served_council(herefordshire, who, removed):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    served = ServedCouncil.objects.get()
    users = {
        "anonymous": None,
        "other_council_editor": _user("shr.editor", herefordshire["shr"], Role.EDITOR),
        "council_editor": _user("hef.editor", herefordshire["hef"], Role.EDITOR),
    }
    response = _client(users[who]).post(f"/organisations/WYE/serves/{served.pk}/remove/")
    assert response.status_code in (302, 403)
    assert ServedCouncil.objects.exists() != removed
    if removed:
        assert ServedCouncil.history.filter(history_type="-").count() == 1


def test_the_organisation_page_lists_the_councils_served_and_the_form_for_its_editors(herefordshire):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    page = _client(herefordshire["editor"]).get("/organisations/WYE/").content.decode()
    assert "Councils it serves" in page and "recorded by an editor of Wye Valley NHS Trust" in page
    assert "Record a council it serves" in page
    anonymous = Client().get("/organisations/WYE/").content.decode()
    assert "Herefordshire" in anonymous and "Record a council it serves" not in anonymous
    assert "Wye Valley NHS Trust" in Client().get("/organisations/HEF/").content.decode()


def test_the_api_gives_a_trusts_board_and_the_councils_it_serves_both_ways(herefordshire):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    trust = Client().get("/api/v1/organisations/WYE").json()
    assert trust["health_body"] == {
        "code": "E54000019",
        "name": "NHS Herefordshire and Worcestershire ICB",
        "type": "ICB",
    }
    assert [(s["code"], s["recorded_as"]) for s in trust["serves"]] == [("HEF", "an editor of Wye Valley NHS Trust")]
    assert trust["served_by"] == []
    council = Client().get("/api/v1/organisations/HEF").json()
    assert [s["code"] for s in council["served_by"]] == ["WYE"] and council["serves"] == []
    assert council["health_body"] is None


def test_the_history_pages_of_both_say_when_a_served_council_was_recorded_and_removed(herefordshire):
    record_served(herefordshire["editor"], herefordshire["wye"], "HEF")
    remove_served(herefordshire["editor"], ServedCouncil.objects.get())
    for code in ("WYE", "HEF"):
        page = Client().get(f"/organisations/{code}/history/").content.decode()
        removed = page.index("Removed: Wye Valley NHS Trust serves Herefordshire")
        assert removed < page.index("Recorded: Wye Valley NHS Trust serves Herefordshire")  # newest first
    assert "Recorded: " not in Client().get("/organisations/SHR/history/").content.decode()


def test_a_trust_is_still_offered_through_its_icb_when_the_register_has_arrangements(herefordshire):
    """The track record's "through" (a council's predecessors) once shared a name with the
    trusts' ICBs in the build and overwrote them: with any arrangement published, no trust
    was offered through its ICB."""
    from arrangements import writes

    moderator = User.objects.create_user("moderator", password="a-long-test-password-9", is_moderator=True)
    outcome = writes.create(
        moderator,
        {
            "title": "Shared HR",
            "description": "Shared",
            "kind": "shared_service",
            "lead_organisation": "HEF",
            "partners": ["HEF", "SHR"],
            "services": ["hr"],
            "delivery_model": "joint_committee",
            "status": "live",
            "no_savings_reason": "None",
        },
        writes.api(),
        publish=True,
    )
    assert outcome.ok, outcome.problems
    assert "BRD" in {m.code for m in _search(herefordshire, "hr").matches}
