from django.urls import path

from hbm.security import views

app_name = "security"
urlpatterns = [
    path("hits/", views.hit_list, name="hit-list"),
    path("hits/<int:pk>/", views.hit_detail, name="hit-detail"),
    path("watchlists/", views.watchlist_list, name="watchlist-list"),
    path("watchlists/<int:pk>/", views.watchlist_detail, name="watchlist-detail"),
    path("watchlists/<int:pk>/load/", views.watchlist_load, name="watchlist-load"),
    path(
        "watchlists/<int:pk>/field-screening/",
        views.watchlist_field_screening,
        name="watchlist-field-screening",
    ),
]
