"""Email preferences: each person's own page, and the same page by a signed link from any
non-essential email, which works without signing in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from notifications.models import EmailPreference, Topic
from notifications.preferences import user_from_token
from sharewell.widgets import GovukFormMixin


class PreferencesForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = [topic.value for topic in Topic]
        labels = {topic.value: topic.label for topic in Topic}


def _page(request, user, token: str = ""):
    preference, _ = EmailPreference.objects.get_or_create(user=user)
    form = PreferencesForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email preferences are saved.")
        return redirect(request.path)
    return render(request, "notifications/preferences.html", {"form": form, "person": user, "token": token})


@login_required
def preferences(request):
    return _page(request, request.user)


def preferences_by_token(request, token: str):
    user = user_from_token(token)
    if user is None:
        return render(request, "notifications/bad_link.html", status=404)
    return _page(request, user, token)
