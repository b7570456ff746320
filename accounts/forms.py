from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import Role
from sharewell.widgets import GovukFormMixin

UNVERIFIED = "Confirm your email address first: open the link in the email we have sent you (again) to it"


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active.",
        "unverified": UNVERIFIED,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email address"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        addresses = EmailAddress.objects.filter(user=user)
        if addresses.filter(verified=True).exists():
            return
        if addresses.filter(primary=True).exists():
            # Asked for on the site: the address is confirmed by the emailed link first.
            from allauth.account.internal.flows.email_verification import send_verification_email_for_user

            if self.request is not None:
                send_verification_email_for_user(self.request, user)
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")
        if user.email:
            # Made by a superuser or the demo loader, before accounts could be asked for: its
            # address is as trusted as the account, and recorded so (password reset, authenticator).
            updated = addresses.filter(email__iexact=user.email).update(verified=True, primary=True)
            if not updated:
                EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        help_text="The 6 digits the app shows for Sharewell",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class OrganisationField(forms.CharField):
    """A text field for an organisation's name or code; the autocomplete enhances it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Your organisation")
        kwargs.setdefault("help_text", "Its name or code, for example “Cambridgeshire County Council”")
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-sw-autocomplete": "organisations", "autocomplete": "organization"})

    def clean(self, value):
        from organisations.resolve import OrganisationResolver

        text = super().clean(value)
        resolution = OrganisationResolver().resolve(text)
        if resolution.organisation is None:
            raise forms.ValidationError(resolution.problem)
        return resolution.organisation


class RequestAccountForm(GovukFormMixin, SignupForm):
    """Ask for an account with a work email, and to join an organisation."""

    field_order = [
        "first_name",
        "last_name",
        "email",
        "username",
        "organisation",
        "job_title",
        "password1",
        "password2",
    ]

    first_name = forms.CharField(
        label="First name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organisation = OrganisationField()
    job_title = forms.CharField(
        label="Your job title",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Work email address"
        self.fields["email"].help_text = "At your organisation: we send a link to it to confirm it is yours"
        self.fields["username"].help_text = "You can sign in with this or your email address"
        self.fields["password1"].help_text = "At least 12 characters, not a common password"
        for name in ("email", "username", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(self.field_order)
        self.apply_govuk_classes()

    def save(self, request):
        from accounts import writes

        user = super().save(request)
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        writes.ask_to_join(user, self.cleaned_data["organisation"], self.cleaned_data.get("job_title", ""))
        return user


class JoinForm(GovukFormMixin, forms.Form):
    organisation = OrganisationField(label="Organisation")
    job_title = forms.CharField(label="Your job title", max_length=150, required=False)


class DecisionForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class MemberForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    can_sign_off = forms.BooleanField(
        label="Can sign off savings",
        required=False,
        help_text="The organisation's finance lead, who signs off reported achieved savings",
    )


class InviteForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address of the person to invite", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.VIEWER, widget=forms.RadioSelect)


class SecurityForm(GovukFormMixin, forms.Form):
    require_mfa = forms.BooleanField(
        label="Members must use a second factor",
        required=False,
        help_text="Each member signs in with a code from an authenticator app as well as their password, and "
        "cannot make changes until they have set one up",
    )
