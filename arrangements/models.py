"""Shared services and collaborations: who is in them, what they do, what they cost
and save (expected and achieved kept apart, against a baseline), and how they changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    SHARED_SERVICE = "shared_service", "Shared service"
    COLLABORATION = "collaboration", "Wider collaboration"


class DeliveryModel(models.TextChoices):
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    LEAD_AUTHORITY = "lead_authority", "Lead authority delegation"
    SHARED_MANAGEMENT = "shared_management", "Shared management team"
    JOINT_COMPANY = "joint_company", "Jointly owned company"
    ALEO = "aleo", "Arm's-length organisation"
    OUTSOURCED = "outsourced", "Outsourced"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise or community"
    JOINT_PROCUREMENT = "joint_procurement", "Joint procurement or commissioning"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    IDEA = "idea", "Idea"
    EXPLORING = "exploring", "Exploring partners"
    BUSINESS_CASE = "business_case", "Business case"
    AGREED = "agreed", "Agreed"
    IMPLEMENTING = "implementing", "Implementing"
    LIVE = "live", "Live"
    UNDER_REVIEW = "under_review", "Under review"
    EXPANDED = "expanded", "Expanded"
    ENDED = "ended", "Ended"
    DISAGGREGATED = "disaggregated", "Disaggregated"


# Statuses in which an arrangement is running and others could join it.
RUNNING_STATUSES = (Status.LIVE, Status.UNDER_REVIEW, Status.EXPANDED)


class BenefitTag(models.TextChoices):
    RESILIENCE = "resilience", "Resilience"
    QUALITY = "quality", "Service quality"
    STAFF = "staff", "Staff"
    CUSTOMERS = "customers", "Customers"


class ArrangementQuerySet(models.QuerySet):
    def alive(self):
        """Not soft-deleted, and not part of an import still being written."""
        return self.filter(deleted_at__isnull=True, held_for_import__isnull=True)

    def published(self):
        return self.alive().filter(published=True)

    def unpublished(self):
        """Drafts, read off their own partial index (`arrangement_drafts`), whose condition is
        this filter's, word for word: SQLite uses a partial index only then."""
        return self.filter(published=False)

    def visible_to(self, user):
        """The public sees published arrangements; members also see their own drafts."""
        if getattr(user, "is_authenticated", False) and user.is_moderator:
            return self.alive()
        if getattr(user, "is_authenticated", False):
            own = user.memberships.values("organisation")
            return self.alive().filter(Q(published=True) | Q(partnerships__organisation__in=own)).distinct()
        return self.published()

    def involving(self, organisation):
        return self.filter(partnerships__organisation=organisation).distinct()

    def running(self):
        """Running: live, under review or expanded (RUNNING_STATUSES)."""
        return self.filter(status__in=RUNNING_STATUSES)


class Arrangement(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SHARED_SERVICE)
    delivery_model = models.CharField(max_length=24, choices=DeliveryModel.choices, db_index=True)
    governance_notes = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    services = models.ManyToManyField("services.Service", blank=True, related_name="arrangements")
    categories = models.ManyToManyField(
        "services.ServiceCategory",
        blank=True,
        related_name="arrangements",
        help_text="Categories named directly, plus those of its services",
    )
    # Dates: often only the year is known, so the year is kept on its own too.
    start_date = models.DateField(null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    end_date = models.DateField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    no_savings_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Required when no savings figure is given, e.g. “not set up to save money”",
    )
    non_financial_benefits = models.TextField(blank=True)
    benefit_tags = models.JSONField(default=list, blank=True)
    has_exit_strategy = models.BooleanField(null=True, blank=True)
    exit_strategy = models.TextField(blank=True)
    has_contingency_plan = models.BooleanField(null=True, blank=True)
    contingency_plan = models.TextField(blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    # Publication and soft deletion.
    published = models.BooleanField(default=False, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Indexed where set only (Meta): see `arrangement_drafts`.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by the write path from the title and the lead partnership, so that the database
    # itself refuses a second arrangement with the same title and lead (two simultaneous
    # creates cannot both pass a check made in Python).
    title_key = models.CharField(max_length=200, editable=False, default="")
    lead_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Written by an import that has not finished: hidden from every reader until it has.
    held_for_import = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_arrangements",
        editable=False,
        db_index=False,  # indexed where set only (Meta): see `arrangement_drafts`
    )

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # The register's default order, so a page of results is read off an index.
            models.Index(fields=["-start_year", "title", "id"], name="arrangement_listing_order"),
            # The drafts, few among many published: what someone who sees drafts has counted live
            # (the rest is kept for the public). Without it a count of the one draft among a
            # million arrangements read them all (150-280 ms a query). By status too, so that
            # "running" drafts are read off it, not off the status index's many published rows.
            models.Index(fields=["status", "id"], condition=Q(published=False), name="arrangement_drafts"),
            # Where set only: every live query asks for `IS NULL` on both, and SQLite chose a whole
            # index of NULLs for it over the drafts' own (a million rows for one draft).
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="arrangement_deleted"),
            models.Index(
                fields=["held_for_import"], condition=Q(held_for_import__isnull=False), name="arrangement_held"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["title_key", "lead_organisation"],
                condition=Q(deleted_at__isnull=True),
                name="one_arrangement_per_title_and_lead",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("arrangements:detail", args=[self.pk])

    @property
    def lead(self):
        for partnership in self.partnerships.all():
            if partnership.role == Partnership.Role.LEAD:
                return partnership.organisation
        return None


class Partnership(models.Model):
    """An organisation's part in an arrangement, which can change over time."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead or host"
        MEMBER = "member", "Member"
        CLIENT = "client", "Client"
        PROVIDER = "provider", "Provider"

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="partnerships")
    # PROTECT: abolished organisations stay attached to past arrangements.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "organisation"], name="one_partnership_per_organisation")
        ]
        indexes = [
            # Covers "arrangements with a partner in this region/nation/type" without reading rows.
            models.Index(fields=["organisation", "arrangement"], name="partnership_by_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) in {self.arrangement}"


class Measure(models.TextChoices):
    BASELINE_COST = "baseline_cost", "Baseline cost"
    ONE_OFF_COST = "one_off_cost", "One-off cost"
    RUNNING_COST = "running_cost", "Running cost"
    EXPECTED_SAVING = "expected_saving", "Expected saving"
    ACHIEVED_SAVING = "achieved_saving", "Achieved saving"


class Basis(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTUAL = "actual", "Actual"


class Standing(models.TextChoices):
    EXPECTED = "expected", "Expected (a plan)"
    REPORTED = "reported", "Reported"
    SIGNED_OFF = "signed_off", "Signed off"


class LedgerEntry(models.Model):
    """One figure of an arrangement's money: docs/decisions/0001-money-ledger.md.

    One entry per (arrangement, partner, period, measure, basis); `partner` empty is the
    arrangement as a whole, a partner's entries are its shares. Only the write path
    creates or changes entries.
    """

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="ledger")
    partner = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=20, help_text="A financial year (2026/27) or a range (2010/11-2011/12)")
    period_first = models.PositiveSmallIntegerField(help_text="First calendar year of the period's first year")
    period_last = models.PositiveSmallIntegerField(help_text="First calendar year of the period's last year")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    basis = models.CharField(max_length=8, choices=Basis.choices)
    standing = models.CharField(max_length=12, choices=Standing.choices)
    amount = models.BigIntegerField("amount (£)")
    staff = models.BigIntegerField("of which staff (£)", null=True, blank=True)
    other = models.BigIntegerField("of which other (£)", null=True, blank=True)
    source = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.CharField(max_length=200, blank=True, help_text="The named person who signed it off")
    signed_off_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["period_first", "period_last", "measure", "partner_id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "period", "measure", "basis"],
                condition=Q(partner__isnull=True),
                name="one_whole_entry_per_key",
            ),
            models.UniqueConstraint(
                fields=["arrangement", "partner", "period", "measure", "basis"],
                condition=Q(partner__isnull=False),
                name="one_partner_entry_per_key",
            ),
            models.CheckConstraint(
                condition=Q(basis="planned", standing="expected")
                | Q(basis="actual", standing__in=["reported", "signed_off"]),
                name="standing_matches_basis",
            ),
            models.CheckConstraint(
                condition=~Q(measure="expected_saving") | Q(basis="planned"), name="expected_savings_are_planned"
            ),
        ]
        indexes = [models.Index(fields=["measure", "standing"], name="ledger_by_measure")]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.period}: £{self.amount:,}"


class Version(models.Model):
    """Each state an arrangement has been in, whole (fields, partners, services, money),
    with who made it, through which door and exactly when: what history shows and
    restore brings back."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changes = models.JSONField(default=list, help_text="The change from the version before, in words")
    door = models.CharField(max_length=300, help_text="How it was made: on the site, API, an import, a survey…")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who the public sees as the author",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["arrangement", "-number"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.arrangement_id} v{self.number}"


class Revision(models.Model):
    """A change to a published arrangement, held until a moderator approves it."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Replaced by a later change"

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=10, default="change", choices=[("change", "Change"), ("delete", "Delete")])
    proposed = models.JSONField(help_text="The whole record as it would be")
    changes = models.JSONField(default=list)
    door = models.CharField(max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected, for the editor's organisation")
    replaced_note = models.CharField(
        max_length=300, blank=True, help_text="Set when a later change replaced this one before a decision"
    )
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    survey_response = models.ForeignKey(
        "surveys.SurveyResponse", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement"], condition=Q(state="pending"), name="one_pending_revision_per_arrangement"
            )
        ]

    def __str__(self) -> str:
        return f"Change to {self.arrangement} ({self.get_state_display()})"


class StatusChange(models.Model):
    """The dated history of an arrangement's status."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=16, choices=Status.choices)
    changed_on = models.DateField(null=True, blank=True)
    changed_year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Unknown dates last on every database (SQLite would put them first).
        ordering = [F("changed_year").asc(nulls_last=True), F("changed_on").asc(nulls_last=True), "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_on or self.changed_year or 'date not known'})"


class Source(models.Model):
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=500, blank=True)
    citation = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.citation or self.url


class Contract(models.Model):
    """A contract that constrains when an organisation can share a service."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="contracts")
    category = models.ForeignKey("services.ServiceCategory", on_delete=models.PROTECT, related_name="contracts")
    service = models.ForeignKey(
        "services.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    arrangement = models.ForeignKey(
        Arrangement, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    description = models.CharField(max_length=300)
    ends_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on"]

    def __str__(self) -> str:
        return f"{self.description} (ends {self.ends_on:%B %Y})"


class ImportJob(models.Model):
    """An uploaded file and the progress of its import, so a long import can report as it goes
    and nothing uploaded is lost if the page is closed."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        REJECTED = "rejected", "Rejected: problems found"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_jobs")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background job that runs it (arrangements.jobs): its task, the attempts it has had, its
    # heartbeat (renewed with progress and by the worker), and why it failed, in words for the user.
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    file_deleted = models.BooleanField(default=False, help_text="The uploaded file was deleted once it was old")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class IdempotencyKey(models.Model):
    """An API client's `Idempotency-Key` on a create: a retry of a create that did commit (its
    answer lost on the way) gets the same arrangement back, never a second one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_create_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.arrangement_id}"


class RegisterVersion(models.Model):
    """One row whose number every write to the register raises (`arrangements.register`), in
    the write's own transaction: whatever is cached against a number is exact while it lasts."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"register version {self.number}"


class RegisterCache(models.Model):
    """A figure of the public register (a count, the map's counts by council, the dashboard's
    figures) kept for the register version it was computed at, shared by every worker."""

    key = models.CharField(max_length=64, unique=True)
    version = models.BigIntegerField()
    value = models.JSONField()

    def __str__(self) -> str:
        return f"{self.key} at version {self.version}"


class RegisterChange(models.Model):
    """Which arrangements a write to the register changed, so that each worker's partner
    finder refreshes only their part of its matrices (docs/decisions/0010). Written by
    `arrangements.register.bump` inside the write's transaction, so a write that rolls back
    leaves no row; `arrangements` is null when the write could have changed anything the
    finder reads (an organisation, an indicator, a reference reload): a full rebuild."""

    mark = models.CharField(max_length=32, unique=True)
    made_at = models.DateTimeField(db_index=True)
    arrangements = models.JSONField(null=True)

    def __str__(self) -> str:
        return f"register change {self.mark}"
