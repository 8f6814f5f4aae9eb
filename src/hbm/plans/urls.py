from django.urls import path

from hbm.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("equipment-tasks/", views.equipment_tasks, name="equipment-tasks"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<uuid:public_id>/", views.task_update, name="task-update"),
    path("<uuid:public_id>/", views.plan_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.plan_edit, name="edit"),
    path("<uuid:public_id>/activate/", views.plan_activate, name="activate"),
    path("<uuid:public_id>/close/", views.plan_close, name="close"),
]
