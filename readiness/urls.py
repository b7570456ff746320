from django.urls import path

from readiness import views

app_name = "readiness"

urlpatterns = [
    path("", views.results, name="results"),
    path("answer/", views.answer, name="answer"),
    path("rounds/", views.new_round, name="new-round"),
    path("publish/", views.publish, name="publish"),
    path("actions/", views.action, name="add-action"),
    path("actions/<int:action_pk>/", views.action, name="action"),
]
