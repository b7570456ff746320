from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/<int:pk>/", views.job_status, name="job"),
    path("reports/<int:pk>/report.pdf", views.job_pdf, name="job-pdf"),
    path("arrangements/<int:pk>/report/", views.arrangement_report, name="arrangement"),
    path("arrangements/<int:pk>/report.pdf", views.arrangement_pdf, name="arrangement-pdf"),
    path("arrangements/<int:pk>/report/figures.<str:fmt>", views.arrangement_figures, name="arrangement-figures"),
    path(
        "arrangements/<int:pk>/report/recommendations/",
        views.arrangement_recommendations,
        name="arrangement-recommendations",
    ),
    path("organisations/<str:code>/report/", views.organisation_report, name="organisation"),
    path("organisations/<str:code>/report.pdf", views.organisation_pdf, name="organisation-pdf"),
    path("organisations/<str:code>/report/figures.<str:fmt>", views.organisation_figures, name="organisation-figures"),
    path(
        "organisations/<str:code>/report/recommendations/",
        views.organisation_recommendations,
        name="organisation-recommendations",
    ),
]
