"""The register of public bodies that share services: councils of every UK type,
combined authorities, fire, police and NHS bodies, and organisations added by hand."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from organisations.names import core_name, normalise_name


class OrganisationType(models.TextChoices):
    # Councils, with mySociety's register type codes as values.
    COUNTY = "CTY", "County council"
    DISTRICT = "NMD", "District council"
    UNITARY = "UA", "Unitary authority"
    METROPOLITAN_DISTRICT = "MD", "Metropolitan district"
    LONDON_BOROUGH = "LBO", "London borough"
    CITY_OF_LONDON = "CC", "City of London Corporation"
    SCOTTISH_COUNCIL = "SCO", "Scottish council"
    WELSH_COUNCIL = "WPA", "Welsh principal council"
    NI_DISTRICT = "NID", "Northern Ireland district council"
    COMBINED_AUTHORITY = "COMB", "Combined authority"
    STRATEGIC_REGIONAL_AUTHORITY = "SRA", "Greater London Authority"
    # Other public bodies, from the ONS boundaries.
    FIRE = "FRA", "Fire and rescue authority"
    POLICE = "PFA", "Police force area"
    ICB = "ICB", "NHS integrated care board"
    HEALTH_BOARD = "LHB", "NHS Wales local health board"
    NHS_BOARD = "NHSB", "NHS Scotland health board"
    NHS_TRUST = "NHST", "NHS trust"  # no area of its own: see ServedCouncil
    # Added by hand.
    VOLUNTARY = "VOL", "Voluntary or community body"
    COMPANY = "COM", "Company"
    SCHOOL_TRUST = "SCH", "School or academy trust"
    OTHER = "OTH", "Other public body"


PRINCIPAL_COUNCIL_TYPES = (
    OrganisationType.COUNTY,
    OrganisationType.DISTRICT,
    OrganisationType.UNITARY,
    OrganisationType.METROPOLITAN_DISTRICT,
    OrganisationType.LONDON_BOROUGH,
    OrganisationType.CITY_OF_LONDON,
    OrganisationType.SCOTTISH_COUNCIL,
    OrganisationType.WELSH_COUNCIL,
    OrganisationType.NI_DISTRICT,
)
# Bodies whose boundaries contain councils: what a council "sits in".
OVERLAPPING_BODY_TYPES = (
    OrganisationType.COUNTY,
    OrganisationType.COMBINED_AUTHORITY,
    OrganisationType.STRATEGIC_REGIONAL_AUTHORITY,
    OrganisationType.FIRE,
    OrganisationType.POLICE,
    OrganisationType.ICB,
    OrganisationType.HEALTH_BOARD,
    OrganisationType.NHS_BOARD,
)
# Bodies with no area of their own that editors record as serving councils (ServedCouncil).
SERVING_TYPES = (OrganisationType.NHS_TRUST, OrganisationType.OTHER)
HEALTH_BODY_TYPES = (OrganisationType.ICB, OrganisationType.HEALTH_BOARD, OrganisationType.NHS_BOARD)
HAND_ADDED_TYPES = (
    OrganisationType.VOLUNTARY,
    OrganisationType.COMPANY,
    OrganisationType.SCHOOL_TRUST,
    OrganisationType.OTHER,
)


class Tier(models.TextChoices):
    """Which services a council delivers in two-tier England."""

    COUNTY = "county", "Upper tier (county)"
    DISTRICT = "district", "Lower tier (district)"
    UNITARY = "unitary", "Single tier (unitary)"
    NONE = "", "Not a principal council"


class Nation(models.TextChoices):
    ENGLAND = "England"
    SCOTLAND = "Scotland"
    WALES = "Wales"
    NORTHERN_IRELAND = "Northern Ireland"


class OrganisationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)

    def principal_councils(self):
        return self.filter(org_type__in=PRINCIPAL_COUNCIL_TYPES)

    def search(self, text: str):
        """Match any name variant, the code or a current or former GSS code."""
        text = (text or "").strip()
        if not text:
            return self
        normalised, core = normalise_name(text), core_name(text)
        matches = Q(code__iexact=text) | Q(gss_codes__code__iexact=text)
        if normalised:
            matches |= Q(names__normalised__contains=normalised)
        if core and core != normalised:
            matches |= Q(names__normalised=core)  # "Cambs CC" finds "Cambridgeshire"
        return self.filter(pk__in=Organisation.objects.filter(matches).values("pk"))

    def filtered(
        self, *, q: str = "", org_type: str = "", nation: str = "", region: str = "", include_former: bool = False
    ):
        """The directory's and the API's one filter, so both doors agree."""
        qs = self if include_former else self.current()
        if q:
            qs = qs.search(q)
        if org_type:
            qs = qs.filter(org_type=org_type)
        if nation:
            qs = qs.filter(nation=nation)
        if region:
            qs = qs.filter(region=region)
        return qs


class Organisation(models.Model):
    code = models.CharField(
        max_length=20,
        unique=True,
        help_text="Stable code: mySociety's three-letter code for councils, the GSS code for other bodies.",
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True, db_index=True)
    official_name = models.CharField(max_length=200)
    name = models.CharField("short name", max_length=200, db_index=True)
    org_type = models.CharField("type", max_length=4, choices=OrganisationType.choices, db_index=True)
    tier = models.CharField(max_length=8, choices=Tier.choices, blank=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True, db_index=True)
    region = models.CharField(max_length=60, blank=True, db_index=True)
    parent_county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )
    combined_authority = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="constituent_councils"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Set for abolished bodies, which are kept.")
    health_body = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trusts",
        limit_choices_to={"org_type__in": HEALTH_BODY_TYPES},
        help_text="For a body with no area of its own (an NHS trust): its ICB or health board",
    )
    successors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="predecessors")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=300, blank=True)
    area_km2 = models.FloatField("area (km²)", null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    ecode = models.CharField(max_length=10, blank=True, help_text="Key of the finance returns")
    gov_uk_slug = models.CharField(max_length=80, blank=True)
    # Maintained by users; the importer fills them once and never overwrites an edit.
    homepage = models.URLField(max_length=300, blank=True)
    contact_email = models.EmailField(blank=True)
    political_control = models.CharField(max_length=120, blank=True)
    political_control_as_of = models.DateField(null=True, blank=True)
    political_control_source = models.URLField(max_length=300, blank=True)
    user_edited_fields = models.JSONField(default=list, blank=True, editable=False)
    source = models.CharField(max_length=200, blank=True, help_text="Where this record came from")

    objects = OrganisationQuerySet.as_manager()
    # Who changed what and when; the importer's bulk writes are reported by the import itself.
    history = HistoricalRecords(excluded_fields=["user_edited_fields"])

    USER_MAINTAINED_FIELDS = (
        "homepage",
        "contact_email",
        "political_control",
        "political_control_as_of",
        "political_control_source",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.code])

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def is_principal_council(self) -> bool:
        return self.org_type in PRINCIPAL_COUNCIL_TYPES

    @property
    def density(self) -> float | None:
        """People per km², derived so it can never disagree with its parts."""
        if self.population and self.area_km2:
            return self.population / self.area_km2
        return None


class OrganisationName(models.Model):
    """A name an organisation goes by: official, short, or a common variant."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "normalised"], name="unique_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)


class GssCode(models.Model):
    """Every GSS code that has meant this organisation: current, former or alias."""

    class Status(models.TextChoices):
        CURRENT = "current"
        FORMER = "former"
        ALIAS = "alias", "alias (a newer code for the same area)"

    code = models.CharField(max_length=9, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="gss_codes")
    status = models.CharField(max_length=8, choices=Status.choices)

    def __str__(self) -> str:
        return self.code


class Boundary(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="boundary")
    geojson = models.JSONField(help_text="GeoJSON geometry, WGS84")
    source = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "boundaries"

    def __str__(self) -> str:
        return f"Boundary of {self.organisation_id}"


class Neighbour(models.Model):
    """Two bodies whose boundaries share a border (stored in both directions)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    border_km = models.FloatField("shared border (km)")

    class Meta:
        ordering = ["-border_km"]
        constraints = [models.UniqueConstraint(fields=["organisation", "neighbour"], name="unique_neighbour_pair")]

    def __str__(self) -> str:
        return f"{self.organisation_id} borders {self.neighbour_id} for {self.border_km} km"


class Overlap(models.Model):
    """A council sits in a wider body (county, combined authority, fire, police, health)."""

    class Method(models.TextChoices):
        REGISTER = "register", "named in the council register"
        BOUNDARY = "boundary", "computed from the boundaries"
        NATIONAL = "national", "a national service covering every council in the nation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="overlaps")
    body = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="covered")
    share = models.FloatField(help_text="Share of the council's area inside the body (0 to 1)")
    method = models.CharField(max_length=10, choices=Method.choices)

    class Meta:
        ordering = ["body__org_type", "-share"]
        constraints = [models.UniqueConstraint(fields=["organisation", "body"], name="unique_overlap_pair")]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.body_id} ({self.share:.0%})"


class ServedCouncil(models.Model):
    """A body with no area of its own (an NHS trust) serves a council, as an editor recorded.

    The partner finder scores the body for that council as if it covered all of it."""

    body = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="served")
    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="served_by")
    # Who recorded it, in words for the finder's reason ("an editor of Wye Valley NHS Trust").
    recorded_as = models.CharField(max_length=250)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=300, blank=True, help_text="Where this is known from")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["body", "council"], name="unique_served_council")]

    def __str__(self) -> str:
        return f"{self.body_id} serves {self.council_id}"
