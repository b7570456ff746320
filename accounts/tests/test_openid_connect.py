"""Sign-in with an organisation's OpenID Connect provider (Microsoft Entra ID, say): configuration
only, off by default. It cannot be tried against a real provider here; these tests check that the
settings load and that the sign-in page offers the provider exactly when it is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PRINT_PROVIDERS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
)


def providers_with(env: dict[str, str]) -> dict:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sharewell.settings", "DEBUG": "true", **env}
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SERVER_URL", "OIDC_PROVIDER_NAME"):
        environment.setdefault(name, "")
    done = subprocess.run(
        [sys.executable, "-c", PRINT_PROVIDERS], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_off_by_default():
    assert providers_with({}) == {}


def test_the_environment_configures_the_provider():
    providers = providers_with(
        {
            "OIDC_CLIENT_ID": "sharewell-client",
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_SERVER_URL": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
            "OIDC_PROVIDER_NAME": "Testshire account",
        }
    )

    (app,) = providers["openid_connect"]["APPS"]
    assert app["provider_id"] == "oidc" and app["name"] == "Testshire account"
    assert app["client_id"] == "sharewell-client" and app["secret"] == "s3cret"
    assert app["settings"]["server_url"].startswith("https://login.microsoftonline.com/")


def test_the_sign_in_page_offers_the_provider_when_configured(client, settings):
    settings.OIDC_CLIENT_ID = "sharewell-client"
    settings.OIDC_PROVIDER_NAME = "Testshire account"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Testshire account",
                    "client_id": "sharewell-client",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://login.example.org"},
                }
            ]
        }
    }

    page = client.get("/account/sign-in/").content.decode()

    assert "Sign in with Testshire account" in page
    assert 'action="/account/oidc/oidc/login/"' in page  # allauth's OpenID Connect login


def test_the_sign_in_page_has_no_provider_button_by_default(client):
    assert "Sign in with" not in client.get("/account/sign-in/").content.decode()
