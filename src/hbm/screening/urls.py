from django.urls import path

from hbm.screening import tracing_views, views

app_name = "screening"
urlpatterns = [
    path("persons/<uuid:public_id>/", views.person_section, name="person-section"),
    path("persons/<uuid:public_id>/screen/", views.screening_create, name="screening-create"),
    path("persons/<uuid:public_id>/proposal/", views.screening_proposal, name="proposal"),
    path("persons/<uuid:public_id>/health/", views.health_section, name="health-section"),
    path("health/daily/", views.daily_health, name="daily-health"),
    path("children-alone/", views.children_alone, name="children-alone"),
    path("persons/<uuid:public_id>/relatives/", views.family_tracing, name="family-tracing"),
    path("tracing/", tracing_views.tracing_list, name="tracing-list"),
    path("tracing/new/", tracing_views.tracing_new, name="tracing-new"),
    path(
        "persons/<uuid:public_id>/tracing/new/", tracing_views.tracing_new, name="tracing-new-for"
    ),
    path("tracing/<int:pk>/", tracing_views.tracing_detail, name="tracing-detail"),
    path("tracing/<int:pk>/propose/", tracing_views.tracing_propose, name="tracing-propose"),
    path(
        "tracing/<int:pk>/candidates/<int:match_pk>/decide/",
        tracing_views.tracing_decide,
        name="tracing-decide",
    ),
    path("tracing/<int:pk>/close/", tracing_views.tracing_close, name="tracing-close"),
]
