from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from arrangements import map_views
from sharewell.api import api

admin.site.site_header = "Sharewell administration"
admin.site.site_title = "Sharewell admin"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("reports.urls")),
    path("organisations/", include("organisations.urls")),
    path("arrangements/", include("arrangements.urls")),
    path("arrangements/<int:pk>/readiness/", include("readiness.urls")),
    path("evidence/", include("evidence.urls")),
    path("arrangements/<int:pk>/business-case/", include("appraisal.urls")),
    path("arrangements/", include("benefits.urls")),
    path("map/", map_views.map_page, name="map"),
    path("dashboard/", map_views.dashboard, name="dashboard"),
    path("survey/", include("surveys.urls")),
    path("partners/", include("partners.urls")),
    path("account/", include("accounts.urls")),
    # django-allauth's pages (ask for an account, confirm an email, reset or change a password,
    # an authenticator app); its own sign-in page gives way to Sharewell's, which axes guards.
    path("account/login/", RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)),
    path("account/password-reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("account/", include("allauth.urls")),
    path("email-preferences/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "pages.views.not_found"
handler500 = "pages.views.server_error"
