from django.urls import path

from hbm.collect import views, views_openrosa

app_name = "collect"

urlpatterns = [
    path("", views.form_index, name="index"),
    path("forms/<int:pk>/", views.form_edit, name="form-edit"),
    path("credentials/", views.credential_list, name="credential-list"),
    path("credentials/<int:pk>/revoke/", views.credential_revoke, name="credential-revoke"),
    # OpenRosa (ODK Collect / KoboCollect): the server URL to give Collect is /collect/.
    path("formList", views_openrosa.form_list, name="openrosa-form-list"),
    path("forms/<str:form_id>/form.xml", views_openrosa.form_xml, name="openrosa-form-xml"),
    path("forms/<str:form_id>/manifest", views_openrosa.manifest, name="openrosa-manifest"),
    path("submission", views_openrosa.submission, name="openrosa-submission"),
]
