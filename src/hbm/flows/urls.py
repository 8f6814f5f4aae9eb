from django.urls import path

from hbm.flows import views

app_name = "flows"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:file_format>", views.export, name="export"),
    path("sitrep/", views.sitrep, name="sitrep"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("counts/", views.count_list, name="count-list"),
    path("counts/new/", views.count_create, name="count-create"),
    path("counts/<uuid:public_id>/", views.count_detail, name="count-detail"),
    path("counts/<uuid:public_id>/void/", views.count_void, name="count-void"),
]
