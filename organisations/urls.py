from django.urls import path

from organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/serves/", views.serves, name="serves"),
    path("<str:code>/serves/<int:pk>/remove/", views.remove_served, name="remove-served"),
    path("<str:code>/history/", views.history, name="history"),
]
