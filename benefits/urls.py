from django.urls import path

from benefits import views

app_name = "benefits"
urlpatterns = [
    path("<int:pk>/benefits/", views.plan, name="plan"),
    path("<int:pk>/benefits/upload/", views.upload, name="upload"),
    path("<int:pk>/benefits/<int:measure_id>/", views.measure, name="measure"),
    path("<int:pk>/ledger/<int:entry_id>/sign-off/", views.sign_off, name="sign-off"),
    path("<int:pk>/ledger/<int:entry_id>/withdraw-sign-off/", views.withdraw, name="withdraw-sign-off"),
]
