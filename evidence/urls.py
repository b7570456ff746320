from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.library, name="library"),
    path("sources/<slug:key>/", views.source, name="source"),
    path("factors/<slug:key>/", views.factor, name="factor"),
]
