from django import forms

from organisations.models import Nation, OrganisationType
from partners import engine
from partners.services import INDICATOR_GROUPS as GROUPS
from partners.services import SECTOR_CHOICES
from services.models import ServiceCategory
from sharewell.widgets import GovukFormMixin


class FinderForm(GovukFormMixin, forms.Form):
    organisation = forms.CharField(
        label="Your organisation", max_length=200, help_text="A name or code, for example “Cambs CC” or CAM"
    )
    category = forms.ChoiceField(label="Service category")
    words = forms.CharField(
        label="Or the service in your own words",
        required=False,
        max_length=100,
        help_text="For example “Roads”, “Bins” or “Children’s social care”",
    )
    service = forms.IntegerField(
        label="Or one service (LGSL number)",
        required=False,
        min_value=1,
        help_text="Optional: narrows the search to one service, for example 524",
    )
    max_distance_km = forms.IntegerField(
        label="Within (km of your centre)", required=False, min_value=1, max_value=1500
    )
    nation = forms.ChoiceField(label="Nation", required=False)
    org_type = forms.ChoiceField(label="Type of organisation", required=False)
    limit = forms.TypedChoiceField(
        label="How many",
        coerce=int,
        choices=[(10, "10"), (20, "20"), (50, "50")],
        initial=20,
        required=False,
        empty_value=20,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and any(k in data for k in ("organisation", "category", "service")):
            # A shared link may name only some weights (or none): the others are the defaults,
            # shown in their boxes rather than blank.
            data = data.copy()
            for key in engine.FACTORS:
                if not data.get(f"w_{key}"):
                    data[f"w_{key}"] = f"{engine.DEFAULT_WEIGHTS[key]:g}"
        super().__init__(data, *args, **kwargs)
        self.fields["category"].choices = list(ServiceCategory.objects.values_list("key", "label"))
        self.fields["nation"].choices = [("", "All nations"), *Nation.choices]
        self.fields["org_type"].choices = [
            ("", "All types"),
            *SECTOR_CHOICES,
            *[(value, f"{label} only") for value, label in OrganisationType.choices],
        ]
        for group in GROUPS:
            self.fields[f"g_{group}"] = forms.FloatField(
                label=f"Similar place: {group}",
                required=False,
                min_value=0,
                max_value=10,
                help_text="0 to 10; blank follows the service (1, or 2 for what matters more for it)",
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "govuk-input govuk-input--width-3"}),
            )
        for key in engine.FACTORS:
            self.fields[f"w_{key}"] = forms.FloatField(
                label=engine.FACTOR_LABELS[key],
                required=False,
                min_value=0,
                max_value=10,
                initial=engine.DEFAULT_WEIGHTS[key],
                help_text=f"0 (leave out) to 10; the default is {engine.DEFAULT_WEIGHTS[key]:g}",
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "govuk-input govuk-input--width-3"}),
            )

    def group_weights(self) -> dict[str, float]:
        """The indicator groups' weights the user set (the others follow the service)."""
        return {
            group: self.cleaned_data[f"g_{group}"]
            for group in GROUPS
            if self.cleaned_data.get(f"g_{group}") is not None
        }

    def group_fields(self):
        return [self[f"g_{group}"] for group in GROUPS]

    def weights(self) -> dict[str, float]:
        return {
            key: self.cleaned_data[f"w_{key}"]
            for key in engine.FACTORS
            if self.cleaned_data.get(f"w_{key}") is not None
        }

    def weights_changed(self) -> bool:
        """Whether the user moved any weight from its default, or one is wrong (the weights
        panel then stays open)."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return False
        if any(f"w_{key}" in self.errors for key in engine.FACTORS) or any(f"g_{g}" in self.errors for g in GROUPS):
            return True
        if self.group_weights():
            return True
        return any(value != engine.DEFAULT_WEIGHTS[key] for key, value in self.weights().items())

    def weight_fields(self):
        return [self[f"w_{key}"] for key in engine.FACTORS]

    def search_fields(self):
        return [
            self[name]
            for name in (
                "organisation",
                "category",
                "words",
                "service",
                "max_distance_km",
                "nation",
                "org_type",
                "limit",
            )
        ]
