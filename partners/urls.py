from django.urls import path

from partners import board_views, views

app_name = "partners"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("compare/", views.compare, name="compare"),
    path("board/", board_views.board, name="board"),
    path("board/new/", board_views.new_post, name="new-post"),
    path("board/<int:pk>/", board_views.post_detail, name="post"),
    path("board/<int:pk>/withdraw/", board_views.withdraw, name="withdraw"),
]
