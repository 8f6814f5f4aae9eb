from django.urls import path

from . import views, views_templates

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("compare/", views.comparison, name="compare"),
    path("actions/", views.action_list, name="actions"),
    path("templates/", views_templates.template_list, name="template-list"),
    path("templates/import/", views_templates.template_import, name="template-import"),
    path("templates/<int:template_id>/", views_templates.template_detail, name="template-detail"),
    path("templates/<int:template_id>/copy/", views_templates.template_copy, name="template-copy"),
    path(
        "templates/<int:template_id>/publish/",
        views_templates.template_publish,
        name="template-publish",
    ),
    path(
        "templates/<int:template_id>/export.xlsx",
        views_templates.template_export,
        name="template-export",
    ),
    path(
        "templates/<int:template_id>/indicators/<str:code>/",
        views_templates.indicator_edit,
        name="indicator-edit",
    ),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
    path(
        "recommendations/<uuid:public_id>/status/",
        views.recommendation_status,
        name="recommendation-status",
    ),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.assessment_edit, name="edit"),
    path("<uuid:public_id>/scores/<str:code>/", views.score_save, name="score"),
    path("<uuid:public_id>/attachments/<str:code>/", views.attachment_upload, name="attach"),
    path("<uuid:public_id>/submit/", views.assessment_submit, name="submit"),
    path("<uuid:public_id>/approve/", views.assessment_approve, name="approve"),
    path("<uuid:public_id>/return/", views.assessment_return, name="return"),
    path("<uuid:public_id>/results/", views.assessment_results, name="results"),
    path("<uuid:public_id>/recommendations/", views.recommendation_add, name="recommend"),
    path("<uuid:public_id>/report/", views.assessment_report, name="report"),
    path("<uuid:public_id>/report.pdf", views.assessment_report_pdf, name="report-pdf"),
    path("<uuid:public_id>/scores.xlsx", views.assessment_xlsx, name="xlsx"),
]
