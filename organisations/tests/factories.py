"""Factories for organisations, their names, codes, boundaries, neighbours, indicators and the
councils a body with no area of its own serves.

Testshire itself, the fictional county every test stands in, is built in tests/world.py.
Its districts are the squares below, so their shared border has a known length.
"""

from __future__ import annotations

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
    ServedCouncil,
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


class ServedCouncilFactory(factory.django.DjangoModelFactory):
    """An NHS trust (a body with no area of its own) recorded by one of its editors as serving a district."""

    class Meta:
        model = ServedCouncil

    body = factory.SubFactory(
        OrganisationFactory,
        name=factory.Sequence(lambda n: f"Testshire Community Health NHS Trust {n}"),
        official_name=factory.SelfAttribute("name"),
        gss_code="",
        org_type=OrganisationType.NHS_TRUST,
        tier=Tier.NONE,
    )
    council = factory.SubFactory(OrganisationFactory)
    recorded_as = factory.LazyAttribute(lambda o: f"an editor of {o.body.name}")
    # By path: accounts' factories import this module.
    recorded_by = factory.SubFactory("accounts.tests.factories.UserFactory")
    source = ""


# --- Testshire's map (tests/world.py draws it) --------------------------------------

# Two districts, one above the other, 0.1° wide: they share the line of latitude 52.1°
# between longitudes 0 and 0.1, about 6.85 km on the WGS84 ellipsoid.
NORTHTOWN_SQUARE = box(0.0, 52.1, 0.1, 52.2)
SOUTHVALE_SQUARE = box(0.0, 52.0, 0.1, 52.1)
TESTSHIRE_SQUARE = box(0.0, 52.0, 0.1, 52.2)
