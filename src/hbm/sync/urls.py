from django.urls import path

from hbm.sync import views

app_name = "sync"
urlpatterns = [
    path("conflicts/", views.conflict_list, name="conflict-list"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="conflict-detail"),
]
