from django.urls import path

from hbm.places import views

app_name = "places"
urlpatterns = [
    path("crossing-points/", views.crossing_point_list, name="crossing-point-list"),
    path("crossing-points/import/", views.crossing_point_import, name="crossing-point-import"),
    path("crossing-points/<slug:code>/", views.crossing_point_detail, name="crossing-point-detail"),
]
