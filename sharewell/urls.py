from django.contrib import admin
from django.urls import include, path

from arrangements import map_views
from sharewell.api import api

admin.site.site_header = "Sharewell administration"
admin.site.site_title = "Sharewell admin"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("reports.urls")),
    path("organisations/", include("organisations.urls")),
    path("arrangements/", include("arrangements.urls")),
    path("arrangements/", include("benefits.urls")),
    path("map/", map_views.map_page, name="map"),
    path("dashboard/", map_views.dashboard, name="dashboard"),
    path("survey/", include("surveys.urls")),
    path("partners/", include("partners.urls")),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "pages.views.not_found"
handler500 = "pages.views.server_error"
