from django.contrib.auth.forms import AuthenticationForm

from sharewell.widgets import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active.",
    }
