from django import forms

from arrangements.models import DeliveryModel, Status
from organisations.models import Nation, OrganisationType
from services.models import Service, ServiceCategory
from sharewell.widgets import GovukFormMixin


class ArrangementFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Title contains", required=False, max_length=100)
    organisation = forms.CharField(label="Organisation code", required=False, max_length=20,
                                   help_text="For example CAM for Cambridgeshire County Council")
    category = forms.ChoiceField(label="Service category", required=False)
    service = forms.TypedChoiceField(label="Service", required=False, coerce=int, empty_value=None)
    model = forms.ChoiceField(label="Delivery model", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    nation = forms.ChoiceField(label="Nation of a partner", required=False)
    region = forms.ChoiceField(label="Region of a partner", required=False)
    org_type = forms.ChoiceField(label="Type of a partner", required=False)
    start_year = forms.IntegerField(label="Start year", required=False, min_value=1900, max_value=2100)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories"),
                                           *ServiceCategory.objects.values_list("key", "label")]
        # Services are offered within the chosen category: the full list is about a thousand long.
        category = self.data.get("category") if self.is_bound else None
        chosen = self.data.get("service") if self.is_bound else None
        services = Service.objects.none()
        if category:
            services = Service.objects.filter(category__key=category)
        elif chosen and str(chosen).isdigit():
            services = Service.objects.filter(lgsl=int(chosen))
        self.fields["service"].choices = [("", "All services"), *services.values_list("lgsl", "label")]
        self.fields["service"].help_text = "" if category else "Choose a category first, then apply the filters"
        self.fields["model"].choices = [("", "All models"), *DeliveryModel.choices]
        self.fields["status"].choices = [("", "All statuses"), *Status.choices]
        self.fields["nation"].choices = [("", "All nations"), *Nation.choices]
        self.fields["region"].choices = [("", "All regions"), *((r, r) for r in regions)]
        self.fields["org_type"].choices = [("", "All types"), *OrganisationType.choices]

    def clean_organisation(self):
        return self.cleaned_data["organisation"].strip().upper()


