from django import forms

from organisations.models import Nation, Organisation, OrganisationType
from sharewell.widgets import GovukFormMixin


class DirectoryFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, code or GSS code",
        required=False,
        max_length=100,
        help_text="Any name a body goes by, for example “Cambs CC” or “E10000003”",
    )
    org_type = forms.ChoiceField(label="Type", required=False)
    nation = forms.ChoiceField(label="Nation", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    include_former = forms.BooleanField(label="Include abolished bodies", required=False)

    def __init__(self, *args, regions: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_type"].choices = [("", "All types"), *OrganisationType.choices]
        self.fields["nation"].choices = [("", "All nations"), *Nation.choices]
        self.fields["region"].choices = [("", "All regions"), *((r, r) for r in regions)]


class OrganisationDetailsForm(GovukFormMixin, forms.ModelForm):
    """The fields users maintain; the importer never overwrites what they change."""

    homepage = forms.URLField(label="Website", required=False, max_length=300, assume_scheme="https")
    political_control_source = forms.URLField(
        label="Source for political control (a link)", required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = Organisation.USER_MAINTAINED_FIELDS
        labels = {
            "homepage": "Website",
            "contact_email": "Contact email for shared services",
            "political_control": "Political control",
            "political_control_as_of": "Political control as of (YYYY-MM-DD)",
            "political_control_source": "Source for political control (a link)",
        }
        widgets = {"political_control_as_of": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        dated_and_sourced = data.get("political_control_as_of") and data.get("political_control_source")
        if data.get("political_control") and not dated_and_sourced:
            raise forms.ValidationError(
                "Give the date and a source link for political control, so readers can check it."
            )
        return data


class ServedCouncilForm(GovukFormMixin, forms.Form):
    council = forms.CharField(
        label="Council it serves",
        max_length=200,
        help_text="Its name or code, for example “Herefordshire” or “HEF”",
        error_messages={"required": "Enter the council it serves"},
    )
    source = forms.CharField(
        label="How you know (optional)", required=False, max_length=300, help_text="A link or a document's name"
    )
