from django.urls import path

from hbm.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("dry-run", views.dry_run, name="dry-run"),
    path(
        "persons/<uuid:public_id>/subject-access.pdf",
        views.subject_access_pdf,
        name="subject-access-pdf",
    ),
]
