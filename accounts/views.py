from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import SignInForm
from accounts.models import ApiToken
from sharewell.widgets import GovukFormMixin


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT}


class SignOutView(auth_views.LogoutView):
    pass


class TokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="What is the token for?", max_length=100, help_text="For example “survey upload script”"
    )


@login_required
def tokens(request):
    """A user's own API tokens: make one (its secret is shown once), or revoke one."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and "revoke" in request.POST:
        ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"]).update(revoked=True)
        messages.success(request, "Token revoked.")
        return redirect("accounts:tokens")
    if request.method == "POST" and form.is_valid():
        _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created"),
        },
    )
