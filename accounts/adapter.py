"""django-allauth fitted to Sharewell: its emails go out from a background job, work addresses
only, and the sign-in page is Sharewell's own (/account/sign-in/)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.db import transaction


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from notifications.jobs import send_message

        message = self.render_mail(template_prefix, email, context)
        subject, body, to, sender = message.subject, message.body, list(message.to), message.from_email
        transaction.on_commit(lambda: send_message.enqueue(subject, body, to, sender))

    def clean_email(self, email):
        email = super().clean_email(email)
        domain = email.rsplit("@", 1)[-1].lower()
        if domain in {d.lower() for d in settings.ACCOUNT_REFUSED_EMAIL_DOMAINS}:
            raise forms.ValidationError(
                "Enter your work email address, at your organisation, not a personal address like this one"
            )
        return email
