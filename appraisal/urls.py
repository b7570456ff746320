from django.urls import path

from appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", views.case_page, name="case"),
    path("change/", views.edit, name="edit"),
    path("share/", views.share, name="share"),
    path("versions/", views.versions, name="versions"),
]
