from django import forms

from arrangements.models import Status
from arrangements.parsing import parse_money
from sharewell.widgets import GovukFormMixin


class ConfirmArrangementForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="What is its status now?", choices=Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the arrangement’s status now"})
    savings = forms.CharField(label="Savings it achieved this year (£)", required=False, max_length=30,
                              help_text="What it actually saved, not what was planned. Leave blank if not known.")
    note = forms.CharField(label="Anything to add", required=False, max_length=300)

    def clean_savings(self):
        try:
            return parse_money(self.cleaned_data["savings"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class NewArrangementsForm(GovukFormMixin, forms.Form):
    has_new = forms.ChoiceField(label="Has your organisation started any new shared arrangements this year?",
                                choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
                                error_messages={"required": "Select yes if your organisation has started new "
                                                            "shared arrangements this year"})
