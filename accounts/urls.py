from django.urls import path

from accounts import member_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("tokens/", views.tokens, name="tokens"),
    path("", views.your_account, name="account"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("members/", member_views.unadministered, name="unadministered"),
    path("members/<str:code>/", member_views.members, name="members"),
    path("members/<str:code>/requests/<int:pk>/", member_views.decide, name="decide"),
    path("members/<str:code>/members/<int:pk>/", member_views.member, name="member"),
    path("members/<str:code>/invite/", member_views.invite, name="invite"),
    path("members/<str:code>/security/", member_views.security, name="security"),
]
