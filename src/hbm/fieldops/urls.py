from django.urls import path

from hbm.fieldops import views

app_name = "fieldops"
urlpatterns = [
    path("", views.board, name="board"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<uuid:public_id>/", views.team_edit, name="team-edit"),
    path("deployments/new/", views.deployment_create, name="deployment-create"),
    path("deployments/<uuid:public_id>/end/", views.deployment_end, name="deployment-end"),
]
