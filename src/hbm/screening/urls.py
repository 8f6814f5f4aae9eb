from django.urls import path

from hbm.screening import views

app_name = "screening"
urlpatterns = [
    path("persons/<uuid:public_id>/", views.person_section, name="person-section"),
    path("persons/<uuid:public_id>/screen/", views.screening_create, name="screening-create"),
    path("persons/<uuid:public_id>/proposal/", views.screening_proposal, name="proposal"),
    path("persons/<uuid:public_id>/health/", views.health_section, name="health-section"),
    path("health/daily/", views.daily_health, name="daily-health"),
    path("children-alone/", views.children_alone, name="children-alone"),
    path("persons/<uuid:public_id>/relatives/", views.family_tracing, name="family-tracing"),
]
