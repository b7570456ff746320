"""A fictional county and its neighbours, the real service list, and users in each role."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.models import Membership, Role, User
from organisations.models import GssCode, Organisation, OrganisationName
from reference.core import Context, run
from services.importers import DECLARATIONS as SERVICE_DECLARATIONS


def _organisation(code: str, name: str, official: str, org_type: str, **extra) -> Organisation:
    org = Organisation.objects.create(
        code=code,
        name=name,
        official_name=official,
        org_type=org_type,
        gss_code=extra.pop("gss_code", ""),
        nation=extra.pop("nation", "England"),
        **extra,
    )
    for variant in {name, official}:
        OrganisationName.objects.create(organisation=org, name=variant)
    if org.gss_code:
        GssCode.objects.create(code=org.gss_code, organisation=org, status=GssCode.Status.CURRENT)
    return org


@pytest.fixture
def places(db):
    """Testshire (a county), two of its districts, a Welsh council and an abolished district."""
    county = _organisation(
        "TST",
        "Testshire",
        "Testshire County Council",
        "CTY",
        gss_code="E10099991",
        tier="county",
        region="East of England",
        latitude=52.2,
        longitude=0.1,
    )
    north = _organisation(
        "NTT",
        "Northtown",
        "Northtown District Council",
        "NMD",
        gss_code="E07099991",
        tier="district",
        region="East of England",
        parent_county=county,
        latitude=52.4,
        longitude=0.1,
    )
    south = _organisation(
        "SVL",
        "Southvale",
        "Southvale District Council",
        "NMD",
        gss_code="E07099992",
        tier="district",
        region="East of England",
        parent_county=county,
        latitude=52.0,
        longitude=0.1,
    )
    welsh = _organisation(
        "CWM",
        "Cwmtest",
        "Cwmtest County Borough Council",
        "WPA",
        gss_code="W06099991",
        tier="unitary",
        nation="Wales",
        region="Wales",
        latitude=51.7,
        longitude=-3.3,
    )
    import datetime as dt

    old = _organisation(
        "OLD",
        "Oldborough",
        "Oldborough Borough Council",
        "NMD",
        gss_code="E07099993",
        tier="district",
        region="East of England",
        end_date=dt.date(2020, 3, 31),
    )
    old.successors.add(north)
    return {"county": county, "north": north, "south": south, "welsh": welsh, "old": old}


@pytest.fixture
def service_list(db):
    run(SERVICE_DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))


def _user(username: str, organisation=None, role=None, moderator=False) -> User:
    user = User.objects.create_user(username, password="a-long-test-password-9", is_moderator=moderator)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def users(places):
    """Anonymous is None; a viewer and an editor of Northtown; an editor elsewhere; an admin; a moderator."""
    return {
        "viewer": _user("north.viewer", places["north"], Role.VIEWER),
        "editor": _user("north.editor", places["north"], Role.EDITOR),
        "admin": _user("north.admin", places["north"], Role.ADMIN),
        "other_editor": _user("welsh.editor", places["welsh"], Role.EDITOR),
        "moderator": _user("moderator", moderator=True),
    }


HEADER = (
    "title,description,service,model,status,start_date,end_date,lead_organisation,partner_organisations,"
    "baseline_cost_gbp,setup_cost_gbp,annual_savings_expected_gbp,annual_savings_achieved_gbp,savings_year,"
    "no_savings_reason,source_url\n"
)


@pytest.fixture
def csv_file():
    def make(*rows: str) -> bytes:
        return (HEADER + "\n".join(rows) + "\n").encode()

    return make


@pytest.fixture
def arrangement(places, service_list, users):
    """A published shared legal service led by Northtown with Southvale, imported as a moderator."""
    from arrangements import importing

    content = (
        HEADER + "Shared legal,One legal team,legal,lead authority delegation,live,2016-04-01,,"
        "Northtown District Council,Southvale,2000000,150000,300000,250000,2018/19,,https://example.org/r\n"
    )
    report = importing.run(content.encode(), "a.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems
    from arrangements.models import Arrangement

    return Arrangement.objects.get(title="Shared legal")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing the fixtures' passwords properly takes a third of a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
