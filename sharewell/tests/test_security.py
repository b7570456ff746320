"""Security headers on every response, HTTPS when SECURE_COOKIES is on, and no start on a published key."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
# Framing is refused by the policy's frame-ancestors (and X-Frame-Options on pages).
HEADERS = (
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)


def _environment() -> dict[str, str]:
    """This process's environment, less what the browser tests set for themselves (never on a server)."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _settings_in_a_new_process(env: dict[str, str], names: list[str]) -> subprocess.CompletedProcess:
    """Import the settings afresh under `env` (they are read once, at start) and print `names`."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    clean = {k: v for k, v in _environment().items() if k not in ("SECRET_KEY", "DEBUG", "SECURE_COOKIES")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sharewell.settings", **env},
    )


@pytest.mark.parametrize(
    "path", ["/accessibility/", "/api/v1/", "/api/v1/docs", "/static/sharewell-js/govuk-init.js", "/no-such-page/"]
)
def test_every_response_carries_the_security_headers(db, path):
    response = Client().get(path)
    missing = [h for h in HEADERS if h not in response]
    assert not missing, f"{path} answered {response.status_code} without {missing}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_policy_allows_scripts_from_the_site_only_and_nothing_from_elsewhere(db):
    policy = _directives(Client().get("/contact/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive, sources in policy.items():
        assert not [s for s in sources if re.match(r"https?:|\*", s)], f"{directive} allows another site"


def _templates() -> list[Path]:
    return [p for p in ROOT.glob("**/templates/**/*.html") if "node_modules" not in p.parts and ".venv" not in p.parts]


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_an_inline_script_or_event_handler(template):
    """The policy would block them: scripts live in frontend/js/. JSON data blocks are not run."""
    text = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script {tag} in {template.name}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"an on…= event handler in {template.name}"
    assert "javascript:" not in text


def test_the_site_refuses_to_start_with_debug_off_and_no_key_of_its_own():
    for key in (None, "", "insecure-development-key-change-me", "change-me"):
        env = {"DEBUG": "false"} if key is None else {"DEBUG": "false", "SECRET_KEY": key}
        result = _settings_in_a_new_process(env, ["DEBUG"])
        assert result.returncode != 0, f"started with SECRET_KEY={key!r}"
        assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
        assert "secrets.token_urlsafe" in result.stderr  # says how to make one
    # Local work (`make run` sets DEBUG=true) needs no key.
    assert _settings_in_a_new_process({"DEBUG": "true"}, ["DEBUG"]).returncode == 0


def test_secure_cookies_turns_on_https_redirect_and_hsts():
    result = _settings_in_a_new_process(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 60,
            "SECURE_COOKIES": "true",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        },
        [
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_PROXY_SSL_HEADER",
        ],
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    # Without it (plain HTTP on a laptop), nothing redirects.
    assert not settings.SECURE_SSL_REDIRECT and not settings.SECURE_HSTS_SECONDS


def test_behind_a_proxy_https_requests_get_hsts_and_http_ones_are_redirected(db):
    with override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ):
        client = Client()
        plain = client.get("/contact/")
        assert plain.status_code == 301 and plain["Location"] == "https://testserver/contact/"
        secure = client.get("/contact/", HTTP_X_FORWARDED_PROTO="https")
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_check_deploy_is_clean_with_the_documented_production_settings():
    """The README's "Deploying" settings, as .ci/run checks them against a real server too."""
    env = {
        **_environment(),
        "DJANGO_SETTINGS_MODULE": "sharewell.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-key-for-this-test-only-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "sharewell.example.org",
        "SECURE_COOKIES": "true",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "CONTACT_EMAIL": "sharewell@example.org",
        "SERVICE_OPERATOR": "the Example Improvement Agency",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_asks_for_a_contact_address():
    env = {
        **_environment(),
        "DJANGO_SETTINGS_MODULE": "sharewell.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-key-for-this-test-only-0123456789abcdefghijklmnopqrstuvwxyz",
        "SECURE_COOKIES": "true",
        "CONTACT_EMAIL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert "sharewell.W001" in result.stdout + result.stderr
