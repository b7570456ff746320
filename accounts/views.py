from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import writes
from accounts.forms import CodeForm, JoinForm, SignInForm
from accounts.middleware import requires_second_factor
from accounts.models import ApiToken, Invitation, JoinRequest
from sharewell.widgets import GovukFormMixin

PENDING_MFA = "sharewell_mfa_pending"


def address_failures(request) -> int:
    """Failed sign-ins from this address within the cool-off, whatever usernames they tried."""
    address = get_client_ip_address(request)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off(request)
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def locked_out(request, address: bool = False):
    context = {"cooloff_timedelta": get_cool_off(request), "address": address}
    return render(request, "accounts/locked_out.html", context, status=429)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SignInView(auth_views.LoginView):
    """Sign in by username or email address. django-axes locks a username tried too often from
    one address; this view also locks an address that has failed too often across usernames.
    With an authenticator app set up, a second page asks for its code."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return locked_out(request, address=True)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if has_totp(user):
            self.request.session[PENDING_MFA] = {"user": user.pk, "next": self.get_success_url()}
            return redirect("accounts:sign-in-code")
        response = super().form_valid(form)
        record_authentication(self.request, user, method="password", username=user.username, reauthenticated=True)
        if requires_second_factor(user):
            messages.warning(
                self.request,
                "Your organisation asks its members to use a second factor: set up an authenticator app now.",
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={self.get_success_url()}")
        return response

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "oidc_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_CLIENT_ID else "",
        }


def sign_in_code(request):
    """The second step of signing in, for people with an authenticator app."""
    from accounts.models import User

    pending = request.session.get(PENDING_MFA) or {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST or None)
    # Wrong codes count as failed sign-ins for the username (django-axes), so guessing codes
    # locks the account from that address as guessing passwords does.
    credentials = {"username": user.username}
    if request.method == "POST" and AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request)
    if request.method == "POST" and form.is_valid():
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        code = form.cleaned_data["code"].replace(" ", "")
        if authenticator and TOTP(authenticator).validate_code(code):
            next_url = pending.get("next") or settings.LOGIN_REDIRECT_URL
            del request.session[PENDING_MFA]
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            record_authentication(request, user, method="password", username=user.username, reauthenticated=True)
            record_authentication(request, user, method="mfa", type="totp", id=authenticator.pk, reauthenticated=True)
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = "/"
            return redirect(next_url)
        user_login_failed.send(sender=User, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request)
        form.add_error("code", "Enter the code your authenticator app shows now")
    return render(request, "accounts/sign_in_code.html", {"form": form})


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


@login_required
def your_account(request):
    """Your organisations, your requests to join one, and a way to ask to join another."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = writes.ask_to_join(request.user, form.cleaned_data["organisation"], form.cleaned_data["job_title"])
        if outcome.ok:
            messages.success(
                request, f"Request sent: an admin of {outcome.join_request.organisation.name} will decide."
            )
            return redirect("accounts:account")
        for problem in outcome.problems:
            form.add_error("organisation", problem.message)
    memberships = request.user.memberships.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "memberships": memberships,
            "managed": [m for m in memberships if writes.can_manage_members(request.user, m.organisation)],
            "waiting": request.user.join_requests.filter(state=JoinRequest.State.WAITING).select_related(
                "organisation"
            ),
            "has_totp": has_totp(request.user),
        },
    )


def invitation(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        outcome = writes.accept_invitation(request.user, invitation)
        if outcome.ok:
            messages.success(request, f"You are now a member of {invitation.organisation.name}.")
            return redirect("accounts:account")
        return render(request, "accounts/invitation.html", {"invitation": invitation, "problems": outcome.problems})
    return render(request, "accounts/invitation.html", {"invitation": invitation})
