from django.urls import path

from hbm.registry import views, views_duplicates

app_name = "registry"
urlpatterns = [
    path("people/", views.person_search, name="person-search"),
    path("people/<uuid:public_id>/", views.person_detail, name="person-detail"),
    path("duplicates/", views_duplicates.duplicate_queue, name="duplicate-queue"),
    path("duplicates/<int:pk>/", views_duplicates.duplicate_review, name="duplicate-review"),
    path("import/", views.registration_import, name="registration-import"),
]

from hbm.registry import (  # noqa: E402
    views_consents,
    views_corrections,
    views_desk,
    views_exports,
    views_offline,
    views_reveals,
)

urlpatterns += [
    path("desk/", views_desk.desk, name="desk"),
    path("desk/candidates/", views_desk.desk_candidates, name="desk-candidates"),
    path("offline/", views_offline.offline_desk, name="offline-desk"),
    path("offline/key", views_offline.offline_key, name="offline-key"),
    path("offline/sw.js", views_offline.offline_worker, name="offline-worker"),
    path(
        "offline/manifest.webmanifest",
        views_offline.offline_manifest,
        name="offline-manifest",
    ),
    path(
        "people/<uuid:public_id>/correct/",
        views_corrections.person_correct,
        name="person-correct",
    ),
    path("people/<uuid:public_id>/consents/new/", views_consents.consent_new, name="consent-new"),
    path(
        "people/<uuid:public_id>/consents/<int:pk>/withdraw/",
        views_consents.consent_withdrawal,
        name="consent-withdraw",
    ),
    path("people/<uuid:public_id>/reveal/", views_reveals.person_reveal, name="person-reveal"),
    path("export/", views_exports.export_start, name="export"),
    path("exports/<int:pk>/", views_exports.export_detail, name="export-detail"),
    path("exports/<int:pk>/file/", views_exports.export_download, name="export-download"),
]
