from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/responses/", views.responses, name="responses"),
    path("<int:year>/<str:code>/", views.start, name="start"),
    path("<int:year>/<str:code>/arrangement/<int:number>/", views.question, name="question"),
    path("<int:year>/<str:code>/new/", views.new_arrangements, name="new"),
    path("<int:year>/<str:code>/check/", views.check, name="check"),
]
