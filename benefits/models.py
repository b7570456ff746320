"""Benefits realisation: who signed off an achieved saving, and each arrangement's benefits plan
(measures, their baseline, target and trajectory, and the actuals recorded against it).

Only `arrangements.writes` writes sign-offs (with the ledger entry they sign off); only
`benefits.writes` writes measures and their values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SignOff(models.Model):
    """A finance lead's sign-off of one reported achieved saving, and its withdrawal if withdrawn.

    The ledger entry carries the standing (`signed_off`), the person's name and the date; this
    record keeps for whom they signed (their organisation), their note, and any withdrawal.
    """

    entry = models.ForeignKey("arrangements.LedgerEntry", on_delete=models.CASCADE, related_name="sign_offs")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200, help_text="The signer's name, as it was when they signed")
    note = models.TextField(blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(withdrawn_at__isnull=True), name="one_standing_sign_off_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"Sign-off of {self.entry_id} by {self.name}"

    @property
    def public_text(self) -> str:
        """What the public reads: the organisation and role, never the person."""
        when = timezone.localtime(self.signed_at)
        return f"signed off by {self.organisation.name}’s finance lead, {when:%-d %B %Y}"


class Kind(models.TextChoices):
    FINANCIAL = "financial", "Financial (savings)"
    NON_FINANCIAL = "non_financial", "Non-financial"
    DIS_BENEFIT = "dis_benefit", "Dis-benefit"


class Frequency(models.TextChoices):
    ANNUAL = "annual", "Every financial year"
    QUARTERLY = "quarterly", "Every quarter"


class BenefitMeasure(models.Model):
    """One measure of an arrangement's benefits plan."""

    arrangement = models.ForeignKey("arrangements.Arrangement", on_delete=models.CASCADE, related_name="benefits")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    unit = models.CharField(max_length=40, help_text="£ for financial measures; %, days, score… otherwise")
    higher_is_better = models.BooleanField(default=True)
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    baseline_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["arrangement", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "name"], name="one_measure_name_per_plan")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_baseline(self) -> bool:
        return self.baseline_value is not None and self.baseline_on is not None


class BenefitValue(models.Model):
    """A planned value (the trajectory) or an actual, for one period of one measure."""

    class Basis(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTUAL = "actual", "Actual"

    measure = models.ForeignKey(BenefitMeasure, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=12, help_text="A financial year (2026/27) or a quarter (2026/27 Q1)")
    period_order = models.PositiveIntegerField(help_text="For ordering: year × 10 + quarter")
    basis = models.CharField(max_length=8, choices=Basis.choices)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["measure", "period_order", "basis"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "basis"], name="one_value_per_period_and_basis")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period} {self.basis}: {self.value}"
