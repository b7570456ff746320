from django.urls import path

from arrangements import contract_views, edit_views, upload_views, views

app_name = "arrangements"
urlpatterns = [
    path("", views.arrangement_list, name="list"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("import/", upload_views.upload, name="import"),
    path("import/template.<str:fmt>", upload_views.template, name="import-template"),
    path("import/<int:pk>/", upload_views.job_status, name="import-job"),
    path("add/", edit_views.create, name="add"),
    path("deleted/", edit_views.deleted, name="deleted"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/change/", edit_views.edit, name="edit"),
    path("<int:pk>/history/", edit_views.history, name="history"),
    path("<int:pk>/history/<int:number>/restore/", edit_views.restore_version, name="restore"),
    path("<int:pk>/delete/", edit_views.delete, name="delete"),
    path("<int:pk>/undelete/", edit_views.undelete, name="undelete"),
    path("<int:pk>/publish/", edit_views.publish, name="publish"),
    path("contracts/new/<str:code>/", contract_views.add, name="contract-add"),
    path("contracts/<int:pk>/change/", contract_views.edit, name="contract-edit"),
    path("contracts/<int:pk>/remove/", contract_views.delete, name="contract-delete"),
]
