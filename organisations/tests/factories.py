"""Factories for the register, and a fictional county with its neighbours.

Testshire is not a real place: tests built on it never depend on the real register
changing. Its districts are squares on the map, so their shared border has a known length.
"""

from __future__ import annotations

from dataclasses import dataclass

import factory
from shapely.geometry import box

from indicators.models import Indicator, IndicatorGroup, IndicatorValue
from organisations import geometry
from organisations.models import (
    Boundary,
    GssCode,
    Nation,
    Neighbour,
    Organisation,
    OrganisationName,
    OrganisationType,
    Overlap,
    Tier,
)
from organisations.names import normalise_name


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A current English district; its name and official name are searchable variants."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:03d}")
    gss_code = factory.Sequence(lambda n: f"E07{n:06d}")
    name = factory.Sequence(lambda n: f"Testborough {n}")
    official_name = factory.LazyAttribute(lambda o: f"{o.name} District Council")
    org_type = OrganisationType.DISTRICT
    tier = Tier.DISTRICT
    nation = Nation.ENGLAND
    region = "Test Region"
    source = "Test factory"

    @factory.post_generation
    def variants(obj, create, extracted, **kwargs):
        """Register the names (and any extra variants) as the importer would."""
        if not create:
            return
        for name in [obj.name, obj.official_name, *(extracted or [])]:
            if normalised := normalise_name(name):
                OrganisationName.objects.get_or_create(organisation=obj, normalised=normalised, defaults={"name": name})
        if obj.gss_code:
            GssCode.objects.get_or_create(
                code=obj.gss_code, defaults={"organisation": obj, "status": GssCode.Status.CURRENT}
            )


class OrganisationNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationName

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Variant name {n}")


class GssCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GssCode

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"E99{n:06d}")
    status = GssCode.Status.FORMER


class BoundaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Boundary

    organisation = factory.SubFactory(OrganisationFactory)
    geojson = factory.LazyFunction(lambda: geometry.to_geojson(box(0, 52, 0.1, 52.1)))
    source = "Test factory"


class NeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbour

    organisation = factory.SubFactory(OrganisationFactory)
    neighbour = factory.SubFactory(OrganisationFactory)
    border_km = 10.0


class OverlapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Overlap

    organisation = factory.SubFactory(OrganisationFactory)
    body = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.FIRE, tier=Tier.NONE)
    share = 1.0
    method = Overlap.Method.BOUNDARY


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    key = factory.Sequence(lambda n: f"test-indicator-{n}")
    label = factory.Sequence(lambda n: f"Test indicator {n}")
    group = IndicatorGroup.PEOPLE
    unit = "%"
    decimal_places = 1
    source = "Test Office for Statistics"
    licence = "OGL v3"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    organisation = factory.SubFactory(OrganisationFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = 12.5
    period = "2024"


# --- Testshire ---------------------------------------------------------------------

# Two districts, one above the other, 0.1° wide: they share the line of latitude 52.1°
# between longitudes 0 and 0.1, about 6.85 km on the WGS84 ellipsoid.
NORTHTOWN_SQUARE = box(0.0, 52.1, 0.1, 52.2)
SOUTHVALE_SQUARE = box(0.0, 52.0, 0.1, 52.1)
TESTSHIRE_SQUARE = box(0.0, 52.0, 0.1, 52.2)


@dataclass
class Testshire:
    county: Organisation
    northtown: Organisation
    southvale: Organisation
    fire: Organisation
    police: Organisation
    border_km: float


def build_testshire() -> Testshire:
    """Testshire County Council (TST), its districts and the bodies that cover them."""
    county = OrganisationFactory(
        code="TST",
        gss_code="E10999999",
        name="Testshire",
        official_name="Testshire County Council",
        org_type=OrganisationType.COUNTY,
        tier=Tier.COUNTY,
        region="Test Region",
        population=500_000,
        area_km2=152.0,
        homepage="https://www.testshire.example/",
    )
    northtown = OrganisationFactory(
        code="NTN",
        gss_code="E07999991",
        name="Northtown",
        official_name="Northtown Borough Council",
        parent_county=county,
        population=250_000,
        area_km2=76.0,
    )
    southvale = OrganisationFactory(
        code="SVL",
        gss_code="E07999992",
        name="Southvale",
        official_name="Southvale District Council",
        parent_county=county,
        population=250_000,
        area_km2=76.0,
    )
    fire = OrganisationFactory(
        code="E31999999",
        gss_code="E31999999",
        name="Testshire Fire and Rescue Authority",
        official_name="Testshire Fire and Rescue Authority",
        org_type=OrganisationType.FIRE,
        tier=Tier.NONE,
        region="",
    )
    police = OrganisationFactory(
        code="E23999999",
        gss_code="E23999999",
        name="Testshire Police",
        official_name="Testshire Police",
        org_type=OrganisationType.POLICE,
        tier=Tier.NONE,
        region="",
    )
    shapes = {
        northtown: NORTHTOWN_SQUARE,
        southvale: SOUTHVALE_SQUARE,
        county: TESTSHIRE_SQUARE,
        fire: TESTSHIRE_SQUARE,
        police: TESTSHIRE_SQUARE,
    }
    for organisation, shape in shapes.items():
        BoundaryFactory(organisation=organisation, geojson=geometry.to_geojson(shape))

    # Neighbours and overlaps computed the way the importer computes them.
    districts = [
        geometry.Feature("NTN", "Northtown", NORTHTOWN_SQUARE),
        geometry.Feature("SVL", "Southvale", SOUTHVALE_SQUARE),
    ]
    by_code = {"NTN": northtown, "SVL": southvale}
    [(a, b, km)] = geometry.shared_borders(districts)
    NeighbourFactory(organisation=by_code[a], neighbour=by_code[b], border_km=round(km, 2))
    NeighbourFactory(organisation=by_code[b], neighbour=by_code[a], border_km=round(km, 2))
    for district in (northtown, southvale):
        OverlapFactory(organisation=district, body=county, share=1.0, method=Overlap.Method.REGISTER)
    for council in (county, northtown, southvale):
        OverlapFactory(organisation=council, body=fire, share=1.0)
        OverlapFactory(organisation=council, body=police, share=1.0)
    return Testshire(county, northtown, southvale, fire, police, round(km, 2))
