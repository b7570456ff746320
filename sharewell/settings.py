"""Sharewell settings. Everything comes from the environment (see .env.example)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is fine

DEBUG = env.bool("DEBUG", default=False)
_DEVELOPMENT_KEY = "insecure-development-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_KEY)
# Off DEBUG the site is a real one: signing its sessions with a published key would let
# anyone forge them, so it refuses to start rather than run on it quietly.
if not DEBUG and SECRET_KEY.strip() in ("", _DEVELOPMENT_KEY, "change-me"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off Sharewell needs its own long random key: set SECRET_KEY "
        "in the environment or in .env, for example to the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (or set DEBUG=true for local work)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "sharewell.apps.SharewellConfig",
    "background",
    "accounts",
    # After accounts, whose templates give allauth's pages the GOV.UK layout.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "notifications",
    "organisations",
    "indicators",
    "services",
    "arrangements",
    "surveys",
    "partners",
    "pages",
    "reference",
    "appraisal",
    "evidence",
    "readiness",
    "benefits",
    "reports",
]

MIDDLEWARE = [
    # Outermost: the server time of each answer, as a Server-Timing header (make bench reads it).
    "sharewell.middleware.ServerTimingMiddleware",
    # Compresses what it may (anonymous GETs without a CSRF token: see its docstring on BREACH),
    # outside everything else that reads or writes the body.
    "sharewell.middleware.PublicGZipMiddleware",
    # A load balancer's health check answers before host checks, HTTPS redirects and sessions.
    "sharewell.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the headers too.
    "csp.middleware.CSPMiddleware",
    "sharewell.middleware.PermissionsPolicyMiddleware",
    # Before anything that looks a value up (static files, sessions, sign-in attempts).
    "sharewell.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception sees a view's error first: a database that does not answer is a 503.
    "sharewell.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "sharewell.urls"
WSGI_APPLICATION = "sharewell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Every form renders with GOV.UK markup from one set of templates (templates/forms/).
FORM_RENDERER = "sharewell.forms.GovukFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'sharewell.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; the busy timeout makes a
    # second writer wait rather than fail with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=20),
            "transaction_mode": "IMMEDIATE",
            # mmap: reads come straight from the operating system's page cache.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;",
        }
    )
# Kept open between requests (on SQLite too: opening one and its pragmas cost more than a
# page of the register's list), and checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Signs in by username or by email address (ACCOUNT_LOGIN_METHODS).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

# Failed sign-ins: lock a username from one address after AXES_FAILURE_LIMIT tries, and lock an
# address that has failed AXES_ADDRESS_FAILURE_LIMIT times whatever usernames it tried (one
# password sprayed across many accounts). accounts.views.SignInView applies the second limit.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
# Days a record of a sign-in (who, from where, when) is kept; a daily job deletes older ones.
AXES_LOGS_KEPT_DAYS = env.int("AXES_LOGS_KEPT_DAYS", default=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Accounts (django-allauth): people ask for an account with their work email, verified by an
# emailed link, and ask to join an organisation, whose admins approve them (accounts.writes).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Sharewell: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("SECURE_COOKIES", default=False) else "http"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.RequestAccountForm"}
ACCOUNT_SIGNUP_REDIRECT_URL = "pages:home"
# Addresses at free webmail providers are refused: an account is for an officer's work address.
ACCOUNT_REFUSED_EMAIL_DOMAINS = env.list(
    "ACCOUNT_REFUSED_EMAIL_DOMAINS",
    default=[
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
    ],
)
MFA_SUPPORTED_TYPES = ["totp"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Sharewell")
# Sign-in with an organisation's Microsoft Entra ID or another OpenID Connect provider: off
# unless OIDC_CLIENT_ID is set. OIDC_SERVER_URL is the issuer, for Entra ID
# https://login.microsoftonline.com/<tenant id>/v2.0 (its discovery document lives below it).
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation's account")
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "oidc",
                "name": OIDC_PROVIDER_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider has verified it
SOCIALACCOUNT_ONLY = False

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# A signed-in session ends after this long without use (accounts.middleware.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=60) * 60

# HTTPS: with SECURE_COOKIES on, plain HTTP is redirected and browsers are told (HSTS) to
# use HTTPS only. /healthz is answered before the redirect, so a load balancer can use HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_COOKIES)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS: list[str] = []
if not SECURE_HSTS_PRELOAD:
    # The preload list binds a whole registrable domain (a council's, for a site on its
    # subdomain) and is slow to undo: that is the domain owner's choice, not the app's.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# Behind a proxy that ends TLS: "HTTP_X_FORWARDED_PROTO,https" trusts its header saying the
# request came over HTTPS. Set it only when the proxy always sets (or strips) that header.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
# Other sites we link to (councils, ONS) are not told which page the visitor came from.
SECURE_REFERRER_POLICY = "same-origin"
# Nothing loads from another site. Scripts are files only (no inline script, no eval).
# Styles allow 'unsafe-inline' because the dashboard's bars and the map legend's swatches
# carry their width or colour in a style attribute; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the site never uses, refused for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
# Set only where `collectstatic` runs (a production build); locally files come from the finders.
STATIC_ROOT = env.str("STATIC_ROOT", default=None)
# Front-end packages come from npm at pinned versions (package.json); the CSS is
# compiled by `npm run build` into static_build/. Neither is committed.
STATICFILES_DIRS = [
    ("sharewell", BASE_DIR / "static_build"),
    ("sharewell-js", BASE_DIR / "frontend" / "js"),
    ("govuk-frontend", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("accessible-autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
    ("topojson-client", BASE_DIR / "node_modules" / "topojson-client" / "dist"),
    ("swagger-ui-dist", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    ("boundaries", BASE_DIR / "data" / "boundaries"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # A production build (STATIC_ROOT, collectstatic) names each file by its content, so
    # WhiteNoise sends it compressed with a year-long, immutable cache header; locally the
    # files come straight from the npm and build folders.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_ROOT
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Without STATIC_ROOT, serve straight from the npm and build folders; with it (a production
# build), only what `collectstatic` gathered and compressed.
WHITENOISE_USE_FINDERS = not STATIC_ROOT
# Source maps and Sass sources are for developers' tools, never sent to a page: not worth
# compressing at every release (they were most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "map",
    "scss",
)

# Where the reference data shipped with the project lives (data/SOURCES.md).
REFERENCE_DATA_DIR = BASE_DIR / env.str("REFERENCE_DATA_DIR", default="data")

# `make run` creates demo accounts with this published password; never on a real site.
DEMO_ACCOUNTS = env.bool("DEMO_ACCOUNTS", default=False)
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="share-well-demo-2026")

# May the lead partner's organisation admin publish an arrangement (moderators always can)?
LEAD_ADMIN_CAN_PUBLISH = env.bool("LEAD_ADMIN_CAN_PUBLISH", default=False)

# Background jobs (docs/decisions/0003-background-jobs.md): a queue in the database, run by
# `manage.py run_worker`. JOBS_RUN_INLINE runs each job at once, inside the request that starts
# it (the tests do; so can a tiny site with no worker).
JOBS_RUN_INLINE = env.bool("JOBS_RUN_INLINE", default=False)
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if JOBS_RUN_INLINE
        else "django_tasks_db.DatabaseBackend"
    }
}
# A worker beats every JOBS_HEARTBEAT_SECONDS; one silent for JOBS_STALL_AFTER_SECONDS has died,
# and its job is tried again, up to JOBS_MAX_ATTEMPTS attempts in all, then failed with a reason.
JOBS_HEARTBEAT_SECONDS = env.float("JOBS_HEARTBEAT_SECONDS", default=10)
JOBS_STALL_AFTER_SECONDS = env.float("JOBS_STALL_AFTER_SECONDS", default=60)
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
# Days an uploaded import file is kept after its import finished.
IMPORT_FILES_KEPT_DAYS = env.int("IMPORT_FILES_KEPT_DAYS", default=30)
# Threads for the partner finder's similarity step: worth more than 1 only with tens of
# thousands of organisations and cores to spare beside the web server's workers.
PARTNER_FINDER_THREADS = env.int("PARTNER_FINDER_THREADS", default=1)

# Who runs this site, and where people write to them: shown on the contact, accessibility
# and privacy pages. `check --deploy` warns while CONTACT_EMAIL is unset.
SERVICE_OPERATOR = env.str("SERVICE_OPERATOR", default="the organisation that runs this Sharewell site")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")

# Email: printed to the console by default; SMTP (or another backend) from a URL such as
# smtp+tls://user:password@smtp.example.org:587. Sent by background jobs, never in a request.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sharewell <no-reply@localhost>")
# The site's address, for links in emails (no request to build them from in a background job).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

DIRECTORY_PAGE_SIZE = env.int("DIRECTORY_PAGE_SIZE", default=50)
# Pages of the public register's list API each worker keeps for the current register version
# (arrangements.listing.api_body); 0 turns the keeping off.
REGISTER_PAGE_CACHE_SIZE = env.int("REGISTER_PAGE_CACHE_SIZE", default=256)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
# The most rows an Excel download holds; a larger view is offered as CSV, which is streamed.
DOWNLOAD_XLSX_MAX_ROWS = env.int("DOWNLOAD_XLSX_MAX_ROWS", default=100_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
