"""The add and change pages' form: the fields of an import row, checked by the same validator."""

from django import forms

from arrangements.models import DeliveryModel, Kind, Status
from sharewell.widgets import GovukFormMixin


class ArrangementForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SHARED_SERVICE)
    service = forms.CharField(label="Services", max_length=500,
                              help_text="LGSL numbers, service names or categories, separated by semicolons, "
                                        "for example “legal; 1026”")
    model = forms.ChoiceField(label="Delivery model", choices=DeliveryModel.choices)
    status = forms.ChoiceField(choices=Status.choices)
    lead_organisation = forms.CharField(label="Lead organisation", max_length=200,
                                        help_text="A name, code or GSS code, for example “Cambs CC” or CAM")
    partner_organisations = forms.CharField(label="Other partners", required=False, max_length=2000,
                                            help_text="Separated by semicolons")
    start_date = forms.CharField(label="Start date", required=False, max_length=20,
                                 help_text="For example 2019-04-01, or just the year")
    end_date = forms.CharField(label="End date", required=False, max_length=20)
    baseline_cost_gbp = forms.CharField(label="Baseline annual cost (£)", required=False, max_length=30,
                                        help_text="What the services cost a year before sharing")
    setup_cost_gbp = forms.CharField(label="One-off set-up cost (£)", required=False, max_length=30)
    annual_savings_expected_gbp = forms.CharField(label="Annual savings expected (£)", required=False, max_length=30)
    annual_savings_achieved_gbp = forms.CharField(label="Annual savings achieved (£)", required=False, max_length=30)
    staff_savings_gbp = forms.CharField(label="of which staff savings (£)", required=False, max_length=30)
    other_savings_gbp = forms.CharField(label="of which other savings (£)", required=False, max_length=30)
    savings_year = forms.CharField(label="Year the savings refer to", required=False, max_length=20,
                                   help_text="For example 2023/24")
    no_savings_reason = forms.CharField(label="If there is no savings figure, why not", required=False,
                                        max_length=300)
    source_url = forms.CharField(label="Source (a link)", required=False, max_length=500)
    source_citation = forms.CharField(label="Source (a citation)", required=False, max_length=500)
    governance_notes = forms.CharField(label="Governance", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label="Contact name", required=False, max_length=120)
    contact_email = forms.EmailField(label="Contact email", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def row(self) -> dict[str, str]:
        return {name: (value or "") if not isinstance(value, str) else value.strip()
                for name, value in self.cleaned_data.items()}

    def add_problems(self, problems) -> None:
        for problem in problems:
            field = problem.column if problem.column in self.fields else None
            message = f"{problem.message}" + (f" (“{problem.value}”)" if problem.value and field else "")
            self.add_error(field, message)
