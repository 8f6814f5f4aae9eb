from django.urls import path

from hbm.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_create, name="create"),
    path("cap-import/", views.cap_import, name="cap-import"),
    path("<uuid:public_id>/", views.alert_detail, name="detail"),
    path("<uuid:public_id>/<str:action>/", views.alert_act, name="act"),
    path("points/<str:code>/detectors/", views.detector_config, name="detector-config"),
]
