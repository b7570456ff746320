from django import forms

from arrangements.models import Status
from arrangements.parsing import parse_money
from engines.ledger import PeriodError, parse_period
from sharewell.widgets import GovukFormMixin


class ConfirmArrangementForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="What is its status now?",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the arrangement’s status now"},
    )
    savings = forms.CharField(
        label="Savings it achieved (£)",
        required=False,
        max_length=30,
        help_text="What it actually saved, not what was planned. Leave blank if not known.",
    )
    # Not required by Django: it only matters when there is a figure, and `clean` asks for it then.
    period = forms.CharField(
        label="Which financial year is this figure for?", required=False, max_length=30, help_text="For example 2025/26"
    )
    note = forms.CharField(label="Anything to add", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        period.sw_required = True  # prefilled, and needed with a figure: "(optional)" would mislead
        period.widget.attrs.update({"class": "govuk-input govuk-input--width-10", "spellcheck": "false"})

    def clean_savings(self):
        try:
            return parse_money(self.cleaned_data["savings"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_period(self) -> str | None:
        """The canonical label (2025-26 is kept as 2025/26), as the ledger will store it."""
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return parse_period(text).label
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("savings") is not None and "period" in cleaned and cleaned["period"] is None:
            self.add_error("period", "Enter the financial year this figure is for, like 2025/26")
        return cleaned


class NewArrangementsForm(GovukFormMixin, forms.Form):
    has_new = forms.ChoiceField(
        label="Has your organisation started any new shared arrangements this year?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if your organisation has started new shared arrangements this year"},
    )
