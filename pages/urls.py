from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about-data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("favicon.ico", views.favicon, name="favicon"),
]
