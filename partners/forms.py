import datetime as dt

from django import forms
from django.utils import timezone

from organisations.models import Organisation
from partners.models import Post, PostResponse
from services.models import ServiceCategory
from sharewell.widgets import GovukFormMixin


def name_the_fields(form: forms.Form) -> None:
    """Error messages that say which field is wrong ("Enter what you are looking for"), so
    the error summary names each one, and selects that start with a choice, not "---------"."""
    for field in form.fields.values():
        label = str(field.label or "").removesuffix(" (optional)")
        label = label[:1].lower() + label[1:]
        if isinstance(field, forms.ModelChoiceField):
            field.error_messages["required"] = f"Choose {label}"
            field.error_messages["invalid_choice"] = f"Choose {label} from the list"
            if field.required and field.queryset is not None and field.queryset.count() == 1:
                field.empty_label = None  # only one choice: it is chosen
            else:
                field.empty_label = "Choose one"
        else:
            field.error_messages["required"] = f"Enter {label}"
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"Enter {label} as a real date"
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = f"Enter {label} in the right format, like name@example.gov.uk"


class PostForm(GovukFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Posting for")
    category = forms.ModelChoiceField(queryset=ServiceCategory.objects.all(), label="Service category")
    needed_by = forms.DateField(
        label="By when (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label="Take the post down after",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="At most a year from today",
    )

    class Meta:
        model = Post
        fields = [
            "organisation",
            "category",
            "title",
            "description",
            "needed_by",
            "offers",
            "contact_name",
            "contact_email",
            "contact_public",
            "expires_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "offers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=90)
        self.fields["contact_name"].label = "Contact name"
        self.fields["contact_email"].label = "Contact email address"
        self.fields[
            "contact_email"
        ].help_text = "Only signed-in users see your contact details, unless you tick the box below"
        name_the_fields(self)

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError("The date to take the post down must be today or later")
        if value > today + dt.timedelta(days=366):
            raise forms.ValidationError("The date to take the post down must be within a year")
        return value


class ResponseForm(GovukFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Responding for")

    class Meta:
        model = PostResponse
        fields = ["organisation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        labels = {"message": "Your message to the poster"}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        name_the_fields(self)


class BoardFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ModelChoiceField(
        queryset=ServiceCategory.objects.all(),
        required=False,
        label="Service category",
        to_field_name="key",
        empty_label="All categories",
    )
