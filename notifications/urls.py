from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("<str:token>/", views.preferences_by_token, name="preferences-token"),
]
