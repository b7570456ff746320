from django.urls import path

from arrangements import views

app_name = "arrangements"
urlpatterns = [
    path("", views.arrangement_list, name="list"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/", views.detail, name="detail"),
]
