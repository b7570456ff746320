"""The one fictional world every test stands in: Testshire and its neighbours.

Testshire is not a real place, so tests built on it never depend on the real register
changing. The root `conftest.py` turns these builders into fixtures, once on the test's own
rolled-back transaction (`testshire`, `places`, `users`, `arrangement`) and once committed
for the browser tests' live server (`register`). Nothing here runs at import time, and the
models are imported inside the builders, so pure-module tests need no Django setup.

Who is in it:
- Testshire County Council (TST) and its districts Northtown (NTT) and Southvale (SVL),
  which share a border (squares on the map, so its length is known: about 6.85 km);
- the bodies that cover them: Testshire Fire and Rescue Authority, Testshire Police and
  the NHS Testshire Integrated Care Board;
- Cwmtest (CWM), a Welsh council far away, and Oldborough (OLD), a district abolished in
  2020 whose successor is Northtown.

`build(geography=False)` leaves out the boundaries, borders and overlaps: the register's
tests that want a border say how long (`Neighbour` rows of their own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User
    from organisations.models import Organisation

# The password of the register's people (long enough for the password validators).
PASSWORD = "a-long-test-password-9"

# The register's CSV import columns, in order.
HEADER = (
    "title,description,service,model,status,start_date,end_date,lead_organisation,partner_organisations,"
    "baseline_cost_gbp,setup_cost_gbp,annual_savings_expected_gbp,annual_savings_achieved_gbp,savings_year,"
    "no_savings_reason,source_url\n"
)

# A published shared legal service led by Northtown with Southvale: the `arrangement`.
SHARED_LEGAL = (
    "Shared legal,One legal team,legal,lead authority delegation,live,2016-04-01,,Northtown District Council,"
    "Southvale,2000000,150000,300000,250000,2018/19,,https://example.org/r"
)
# The register the browser tests see: the shared legal service (legal, in the East of
# England: the one the filters should find), legal in Wales, and waste in the East of England.
REGISTER_ROWS = (
    SHARED_LEGAL,
    "Cwmtest legal,Legal for the valleys,legal,joint committee,live,2017,,Cwmtest,,,,,,,Not set up to save money,",
    "Testshire waste partnership,Joint waste collection,waste,joint committee,under review,2019,,"
    "Testshire County Council,Northtown DC,,,,,,Not set up to save money,",
)


def csv_content(*rows: str) -> bytes:
    """An import file of these rows under the register's header."""
    return (HEADER + "\n".join(rows) + "\n").encode()


@dataclass
class Testshire:
    county: Organisation
    northtown: Organisation
    southvale: Organisation
    fire: Organisation
    police: Organisation
    nhs: Organisation
    welsh: Organisation
    old: Organisation
    border_km: float | None  # Northtown–Southvale, when built with its geography

    @property
    def places(self) -> dict[str, Organisation]:
        """The register tests' names for the councils."""
        return {
            "county": self.county,
            "north": self.northtown,
            "south": self.southvale,
            "welsh": self.welsh,
            "old": self.old,
        }


def build(geography: bool = True) -> Testshire:
    """Testshire, its districts, the bodies that cover them, a Welsh council and an abolished
    district; with `geography`, their boundaries and the borders and overlaps the importer
    would compute from them."""
    from organisations.models import OrganisationType, Tier
    from organisations.tests.factories import OrganisationFactory

    east = {"region": "East of England", "nation": "England"}
    county = OrganisationFactory(
        code="TST",
        gss_code="E10099991",
        name="Testshire",
        official_name="Testshire County Council",
        org_type=OrganisationType.COUNTY,
        tier=Tier.COUNTY,
        population=500_000,
        area_km2=152.0,
        homepage="https://www.testshire.example/",
        latitude=52.2,
        longitude=0.1,
        **east,
    )
    northtown = OrganisationFactory(
        code="NTT",
        gss_code="E07099991",
        name="Northtown",
        official_name="Northtown District Council",
        parent_county=county,
        population=250_000,
        area_km2=76.0,
        latitude=52.4,
        longitude=0.1,
        **east,
    )
    southvale = OrganisationFactory(
        code="SVL",
        gss_code="E07099992",
        name="Southvale",
        official_name="Southvale District Council",
        parent_county=county,
        population=250_000,
        area_km2=76.0,
        latitude=52.0,
        longitude=0.1,
        **east,
    )
    # The bodies that cover all Testshire, each named the same in full and short.
    fire, police, nhs = (
        OrganisationFactory(
            code=gss, gss_code=gss, name=name, official_name=name, org_type=kind, tier=Tier.NONE, region=""
        )
        for gss, name, kind in (
            ("E31999999", "Testshire Fire and Rescue Authority", OrganisationType.FIRE),
            ("E23999999", "Testshire Police", OrganisationType.POLICE),
            ("E54999999", "NHS Testshire Integrated Care Board", OrganisationType.ICB),
        )
    )
    welsh = OrganisationFactory(
        code="CWM",
        gss_code="W06099991",
        name="Cwmtest",
        official_name="Cwmtest County Borough Council",
        org_type=OrganisationType.WELSH_COUNCIL,
        tier=Tier.UNITARY,
        nation="Wales",
        region="Wales",
        latitude=51.7,
        longitude=-3.3,
    )
    old = OrganisationFactory(
        code="OLD",
        gss_code="E07099993",
        name="Oldborough",
        official_name="Oldborough Borough Council",
        end_date=dt.date(2020, 3, 31),
        **east,
    )
    old.successors.add(northtown)
    world = Testshire(county, northtown, southvale, fire, police, nhs, welsh, old, border_km=None)
    if geography:
        world.border_km = _draw(world)
    return world


def _draw(world: Testshire) -> float:
    """Boundaries for Testshire's bodies, and the borders and overlaps computed from them the
    way the importer computes them; returns the length of the districts' shared border."""
    from organisations import geometry
    from organisations.models import Overlap
    from organisations.tests.factories import (
        NORTHTOWN_SQUARE,
        SOUTHVALE_SQUARE,
        TESTSHIRE_SQUARE,
        BoundaryFactory,
        NeighbourFactory,
        OverlapFactory,
    )

    county, northtown, southvale = world.county, world.northtown, world.southvale
    covering = (world.fire, world.police, world.nhs)
    shapes = {northtown: NORTHTOWN_SQUARE, southvale: SOUTHVALE_SQUARE, county: TESTSHIRE_SQUARE}
    shapes |= {body: TESTSHIRE_SQUARE for body in covering}
    for organisation, shape in shapes.items():
        BoundaryFactory(organisation=organisation, geojson=geometry.to_geojson(shape))
    districts = [
        geometry.Feature(northtown.code, northtown.name, NORTHTOWN_SQUARE),
        geometry.Feature(southvale.code, southvale.name, SOUTHVALE_SQUARE),
    ]
    by_code = {northtown.code: northtown, southvale.code: southvale}
    [(a, b, km)] = geometry.shared_borders(districts)
    km = round(km, 2)
    NeighbourFactory(organisation=by_code[a], neighbour=by_code[b], border_km=km)
    NeighbourFactory(organisation=by_code[b], neighbour=by_code[a], border_km=km)
    for district in (northtown, southvale):
        OverlapFactory(organisation=district, body=county, share=1.0, method=Overlap.Method.REGISTER)
    for council in (county, northtown, southvale):
        for body in covering:
            OverlapFactory(organisation=council, body=body, share=1.0)
    return km


def person(
    username: str, organisation=None, role=None, *, moderator: bool = False, can_sign_off: bool = False, **fields: Any
) -> User:
    """One of the register's people, signing in with PASSWORD, holding `role` at `organisation`
    (and, with `can_sign_off`, the right to sign off its savings)."""
    from accounts.tests.factories import MembershipFactory, UserFactory

    # No email or name unless asked: what a test reads back (history, notices) is the username.
    fields = {"email": "", "first_name": "", "last_name": ""} | fields
    user = UserFactory(username=username, password=PASSWORD, is_moderator=moderator, **fields)
    if organisation is not None:
        MembershipFactory(user=user, organisation=organisation, role=role, can_sign_off=can_sign_off)
    return user


def people(world: Testshire) -> dict[str, User]:
    """A viewer, an editor and an admin of Northtown; an editor elsewhere (Cwmtest); a moderator."""
    from accounts.models import Role

    return {
        "viewer": person("north.viewer", world.northtown, Role.VIEWER),
        "editor": person("north.editor", world.northtown, Role.EDITOR),
        "admin": person("north.admin", world.northtown, Role.ADMIN),
        "other_editor": person("welsh.editor", world.welsh, Role.EDITOR),
        "moderator": person("moderator", moderator=True),
    }


def finance_leads(world: Testshire) -> dict[str, User]:
    """Finance leads who may sign off savings: of Northtown (the lead partner of the shared
    legal service), Southvale (a partner) and Cwmtest (not a partner)."""
    from accounts.models import Role

    return {
        key: person(username, organisation, Role.VIEWER, can_sign_off=True, first_name="Fin", last_name=username)
        for key, username, organisation in (
            ("north", "north.finance", world.northtown),
            ("south", "south.finance", world.southvale),
            ("welsh", "welsh.finance", world.welsh),
        )
    }


def load_service_list() -> None:
    """The real service list, loaded the way `manage.py load_reference_data` loads it."""
    from django.conf import settings

    from reference.core import Context, run
    from services.importers import DECLARATIONS

    run(DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))


def import_rows(moderator: User, *rows: str, filename: str = "register.csv") -> None:
    """Import and publish these rows as the moderator, through the register's own importer."""
    from arrangements import importing

    report = importing.run(csv_content(*rows), filename, moderator, publish=True)
    assert not report.problems, report.problems


def shared_service(title: str, status: str, partners, published: bool = True):
    """An arrangement written straight to the database (not through the register's write
    path): the first partner leads, the others are members."""
    from arrangements.tests.factories import ArrangementFactory, PartnershipFactory

    arrangement = ArrangementFactory(title=title, status=status, published=published)
    for index, organisation in enumerate(partners):
        PartnershipFactory(arrangement=arrangement, organisation=organisation, role="member" if index else "lead")
    return arrangement


def load_evidence_library() -> list:
    """The real evidence library, loaded the way `manage.py load_reference_data` loads it."""
    from django.conf import settings

    from evidence.importers import DECLARATIONS
    from reference.core import Context, run

    return run(DECLARATIONS, Context(data_dir=settings.REFERENCE_DATA_DIR, verbose=False))


def bearer(user) -> dict[str, str]:
    """Request headers carrying a new API token of `user` (none for anonymous, None)."""
    if user is None:
        return {}
    from accounts.models import ApiToken

    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
