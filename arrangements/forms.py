import re

from django import forms

from arrangements.models import DeliveryModel, Status
from organisations.models import Nation, OrganisationType
from services.models import Service, ServiceCategory
from sharewell.widgets import GovukFormMixin


class ArrangementFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Title contains", required=False, max_length=100)
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        help_text="Its name or code, for example Harrow or CAM",
        widget=forms.TextInput(
            attrs={"data-sw-autocomplete": "organisations", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    words = forms.CharField(
        label="Service, in your own words",
        required=False,
        max_length=100,
        help_text="For example Roads, Bins, Council tax or Children's social care",
    )
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
        self.fields["category"].choices = [("", "All categories"), *ServiceCategory.objects.values_list("key", "label")]
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

    def clean(self):
        """Everyday words become the service or category they name (services.vocabulary), as in
        the import and the finder; words that name nothing say what they might have meant."""
        cleaned = super().clean()
        words = (cleaned.get("words") or "").strip()
        if words:
            from services.resolve import ServiceResolver

            match = ServiceResolver().resolve(words)
            if match.problem:
                self.add_error("words", match.problem)
            elif match.service is not None:
                cleaned["service"], cleaned["category"] = match.service.lgsl, ""
            else:
                cleaned["category"], cleaned["service"] = match.category.key, None
        return cleaned

    def clean_organisation(self):
        """A code, a suggestion ("Name (CODE)") or a name: the filter itself is by code."""
        value = self.cleaned_data["organisation"].strip()
        if not value:
            return ""
        code = organisation_code(value)
        if code is None:
            raise forms.ValidationError(
                f"No organisation is called “{value}”: type part of its name and choose a suggestion, or its code"
            )
        if isinstance(code, list):
            raise forms.ValidationError(
                f"{len(code)} organisations match “{value}” ({', '.join(code[:3])}…): "
                "type more of the name, or its code"
            )
        return code


def organisation_code(value: str) -> str | list[str] | None:
    """The code of the organisation `value` names (a code, "Name (CODE)", a name or part of
    one that only one organisation has); the names of several that match; or None."""
    from organisations.models import Organisation, OrganisationName

    suggestion = re.fullmatch(r".*\(([A-Za-z0-9-]+)\)\s*", value)
    candidate = (suggestion.group(1) if suggestion else value).upper()
    if Organisation.objects.filter(code=candidate).exists():
        return candidate
    exact = set(OrganisationName.objects.filter(name__iexact=value).values_list("organisation__code", flat=True))
    exact |= set(Organisation.objects.filter(name__iexact=value).values_list("code", flat=True))
    if len(exact) == 1:
        return exact.pop()
    matches = list(
        Organisation.objects.current().filter(name__icontains=value).order_by("name").values_list("code", "name")[:6]
    )
    if len(matches) == 1:
        return matches[0][0]
    if matches:
        return [name for _code, name in matches]
    return None


class ReasonForm(GovukFormMixin, forms.Form):
    """The reason a moderator rejects a change (or every change of one import), which the
    editor's organisation reads on its changes page. Whether it is given, and its length, are
    the write path's rules (`writes.reject`): this form only shows the box and its error."""

    reason = forms.CharField(
        label="Why are you rejecting it?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sent_by: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Required, but by the write path's rule (so not "(optional)"), not the form's.
        self.fields["reason"].sw_required = True
        who = sent_by or "The editor’s organisation"
        self.fields["reason"].help_text = f"{who} will see this. Say what would need to change."
        self._describe()

    def _describe(self):
        # The mixin names the hint and error by the field's name; a form on a page of many
        # has a prefix, so point at the ids the field template really gives them.
        field = self["reason"]
        ids = [f"{field.auto_id}-hint"] + ([f"{field.auto_id}-error"] if self.errors.get("reason") else [])
        self.fields["reason"].widget.attrs["aria-describedby"] = " ".join(ids)

    def show(self, problems) -> None:
        """Put the write path's problems with the reason beside the box."""
        for problem in problems:
            if problem.field == "reason":
                self.add_error("reason", problem.message)
                self.fields["reason"].widget.attrs["class"] = "govuk-textarea govuk-textarea--error"
        self._describe()
