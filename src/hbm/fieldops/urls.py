from django.urls import path

from hbm.fieldops import views, views_equipment, views_movements, views_rescues

app_name = "fieldops"
urlpatterns = [
    path("", views.board, name="board"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<uuid:public_id>/", views.team_edit, name="team-edit"),
    path("deployments/new/", views.deployment_create, name="deployment-create"),
    path("deployments/<uuid:public_id>/end/", views.deployment_end, name="deployment-end"),
    path("equipment/", views_equipment.readiness, name="equipment-list"),
    path("equipment/points/<str:code>/", views_equipment.point_inventory, name="equipment-point"),
    path("equipment/points/<str:code>/gaps/", views_equipment.point_gaps, name="equipment-gaps"),
    path(
        "equipment/teams/<uuid:public_id>/",
        views_equipment.team_inventory,
        name="equipment-team",
    ),
    path("movements/", views_movements.movement_list, name="movement-list"),
    path("movements/new/", views_movements.movement_create, name="movement-create"),
    path("movements/<uuid:public_id>/", views_movements.movement_detail, name="movement-detail"),
    path("movements/<uuid:public_id>/find/", views_movements.movement_find, name="movement-find"),
    path("movements/<uuid:public_id>/add/", views_movements.manifest_add, name="manifest-add"),
    path(
        "movements/<uuid:public_id>/remove/",
        views_movements.manifest_remove,
        name="manifest-remove",
    ),
    path("movements/<uuid:public_id>/board/", views_movements.board, name="movement-board"),
    path("movements/<uuid:public_id>/arrive/", views_movements.arrive, name="movement-arrive"),
    path("movements/<uuid:public_id>/depart/", views_movements.depart, name="movement-depart"),
    path("movements/<uuid:public_id>/close/", views_movements.close, name="movement-close"),
    path("rescues/", views_rescues.rescue_list, name="rescue-list"),
    path("rescues/new/", views_rescues.rescue_create, name="rescue-create"),
    path("rescues/<uuid:public_id>/", views_rescues.rescue_detail, name="rescue-detail"),
    path("rescues/<uuid:public_id>/found/", views_rescues.rescued_add, name="rescue-found"),
    path("rescues/<uuid:public_id>/outcome/", views_rescues.rescue_outcome, name="rescue-outcome"),
    path("persons/<uuid:public_id>/rescues/", views_rescues.person_section, name="person-rescues"),
    path(
        "persons/<uuid:public_id>/movements/",
        views_movements.person_section,
        name="person-movements",
    ),
]
