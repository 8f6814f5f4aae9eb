from django.urls import path

from hbm.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral-list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("directory/", views.directory, name="directory"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("persons/<uuid:public_id>/", views.person_section, name="person-section"),
    path("persons/<uuid:public_id>/new/", views.referral_create, name="referral-create"),
    path("persons/<uuid:public_id>/check/", views.referral_check, name="referral-check"),
]
