"""`manage.py check --deploy`: what Django's own deploy checks do not know a public site needs."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def contact_published(app_configs, **kwargs):
    """The contact, accessibility and privacy pages promise a way to reach whoever runs the site."""
    if settings.CONTACT_EMAIL:
        return []
    return [
        Warning(
            "CONTACT_EMAIL is not set, so the contact, accessibility and privacy pages give no way to reach you.",
            hint="Set CONTACT_EMAIL (and SERVICE_OPERATOR, the organisation that runs the site) in the environment.",
            id="sharewell.W001",
        )
    ]
