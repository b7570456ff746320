from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from organisations.models import PRINCIPAL_COUNCIL_TYPES, Organisation
from reference.registry import all_declarations


def home(request):
    current = Organisation.objects.current()
    return render(
        request,
        "pages/home.html",
        {
            "council_count": current.filter(org_type__in=PRINCIPAL_COUNCIL_TYPES).count(),
            "organisation_count": current.count(),
        },
    )


def about_data(request):
    return render(request, "pages/about_data.html", {"declarations": all_declarations()})


def _service() -> dict:
    """Who runs this site and how to reach them, for the public-service pages."""
    return {"operator": settings.SERVICE_OPERATOR, "contact_email": settings.CONTACT_EMAIL}


DESKTOP = "Desktop"
BOTH = "Desktop and 320 pixels"
# The page types the browser tests (tests/browser) run axe on, and at which widths: keep in
# step with them, since the accessibility statement publishes this list as how we tested.
TESTED_PAGES = [
    ("Home page", DESKTOP),
    ("About the data", DESKTOP),
    ("Page not found", DESKTOP),
    ("Organisations directory and its search results", DESKTOP),
    ("An organisation’s page, with its map", DESKTOP),
    ("Changing an organisation’s details, with error messages", DESKTOP),
    ("Recording when a contract ends, with error messages", DESKTOP),
    ("Sign in, with an error message", DESKTOP),
    ("Register of shared services, with filters", DESKTOP),
    ("A shared service’s page, with its money", BOTH),
    ("Adding a shared service", DESKTOP),
    ("Changing a shared service, with error messages", BOTH),
    ("History of changes", BOTH),
    ("Restoring an earlier version", BOTH),
    ("A change waiting for a moderator", DESKTOP),
    ("Importing shared services from a spreadsheet: upload, check and problems", DESKTOP),
    ("Annual survey: each question, error messages and confirmation", DESKTOP),
    ("Annual survey: check your answers", BOTH),
    ("Map of shared services", DESKTOP),
    ("Dashboard", DESKTOP),
    ("Partner finder: results with their map, and comparing two partners", DESKTOP),
    ("Matchmaking board: the board, a post and posting", DESKTOP),
    ("API documentation", BOTH),
    ("Accessibility statement, privacy notice, cookies and contact", BOTH),
]


def accessibility(request):
    return render(request, "pages/accessibility.html", {**_service(), "tested_pages": TESTED_PAGES})


def privacy(request):
    return render(request, "pages/privacy.html", _service())


def _duration(seconds: int) -> str:
    """1209600 -> '2 weeks': the largest whole unit, as a cookie's lifetime is usually set."""
    for unit, size in (("week", 604_800), ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


_COOKIE_MESSAGES = (
    "django.contrib.messages.storage.fallback.FallbackStorage",
    "django.contrib.messages.storage.cookie.CookieStorage",
)


def cookies(request):
    """The cookies the site sets, read from the settings that set them, so the page stays true."""
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        session_expires = "When you close your browser, or when you sign out"
    else:
        # Refreshed as a signed-in person uses the site (accounts' idle timeout), it lasts from their last visit.
        refreshed = settings.SESSION_SAVE_EVERY_REQUEST or any(
            name.endswith(".IdleTimeoutMiddleware") for name in settings.MIDDLEWARE
        )
        session_expires = (
            f"After {_duration(settings.SESSION_COOKIE_AGE)}{' without use' if refreshed else ''}, or when you sign out"
        )
    return render(
        request,
        "pages/cookies.html",
        {
            **_service(),
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_expires": session_expires,
            "csrf_cookie": None if settings.CSRF_USE_SESSIONS else settings.CSRF_COOKIE_NAME,
            "csrf_expires": f"After {_duration(settings.CSRF_COOKIE_AGE)}"
            if settings.CSRF_COOKIE_AGE
            else "When you close your browser",
            "messages_cookie": CookieStorage.cookie_name if settings.MESSAGE_STORAGE in _COOKIE_MESSAGES else None,
        },
    )


def contact(request):
    return render(request, "pages/contact.html", _service())


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("pages/favicon.svg"))


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
