"""The form for a contract end date: what constrains when an organisation can share."""

from __future__ import annotations

from django import forms

from arrangements.models import Contract
from services.models import Service, ServiceCategory
from sharewell.widgets import GovukFormMixin

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class ContractForm(GovukFormMixin, forms.ModelForm):
    category = forms.ModelChoiceField(
        ServiceCategory.objects.order_by("label"),
        label="Which service does the contract cover?",
        empty_label="Choose a service",
        error_messages={"required": "Choose the service the contract covers"},
    )
    lgsl = forms.IntegerField(
        label="LGSL number (optional)",
        required=False,
        min_value=1,
        help_text="To name one service within it, for example 524 for household waste collection",
        error_messages={"invalid": "Enter the LGSL number as a whole number, like 524"},
    )
    description = forms.CharField(
        label="Describe the contract",
        max_length=300,
        help_text="Who it is with and what it covers, for example “Waste collection with Biffa”",
        error_messages={
            "required": "Describe the contract",
            "max_length": "Describe the contract in 300 characters or fewer",
        },
    )
    ends_on = forms.DateField(
        label="When does it end?",
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2027",
        error_messages={
            "required": "Enter the date the contract ends",
            "invalid": "Enter the date the contract ends as day/month/year, for example 31/3/2027",
        },
    )

    class Meta:
        model = Contract
        fields = ["category", "description", "ends_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.service_id:
            self.initial.setdefault("lgsl", self.instance.service.lgsl)

    def clean(self):
        cleaned = super().clean()
        lgsl, category = cleaned.get("lgsl"), cleaned.get("category")
        self.service = None
        if lgsl:
            self.service = Service.objects.filter(lgsl=lgsl).first()
            if self.service is None:
                self.add_error("lgsl", f"No LGSL service has the number {lgsl}")
            elif category and self.service.category_id != category.pk:
                self.add_error("lgsl", f"LGSL {lgsl} ({self.service.label}) is not in {category.label}")
        return cleaned

    def save(self, commit=True):
        self.instance.service = self.service
        return super().save(commit)
