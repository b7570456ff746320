from django.urls import path

from arrangements import contract_views, edit_views, moderation_views, upload_views, views

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
    path("moderation/", moderation_views.queue, name="moderation"),
    path("moderation/publish/<int:pk>/", moderation_views.publish, name="moderation-publish"),
    path("moderation/revisions/<int:pk>/approve/", moderation_views.approve, name="moderation-approve"),
    path("moderation/revisions/<int:pk>/reject/", moderation_views.reject, name="moderation-reject"),
    path(
        "moderation/imports/<int:pk>/approve/",
        moderation_views.approve_group,
        {"kind": "import"},
        name="moderation-approve-import",
    ),
    path(
        "moderation/imports/<int:pk>/reject/",
        moderation_views.reject_group,
        {"kind": "import"},
        name="moderation-reject-import",
    ),
    path(
        "moderation/surveys/<int:pk>/approve/",
        moderation_views.approve_group,
        {"kind": "survey"},
        name="moderation-approve-survey",
    ),
    path(
        "moderation/surveys/<int:pk>/reject/",
        moderation_views.reject_group,
        {"kind": "survey"},
        name="moderation-reject-survey",
    ),
    path("changes/", moderation_views.changes, name="changes"),
    path("contracts/new/<str:code>/", contract_views.add, name="contract-add"),
    path("contracts/<int:pk>/change/", contract_views.edit, name="contract-edit"),
    path("contracts/<int:pk>/remove/", contract_views.delete, name="contract-delete"),
]
