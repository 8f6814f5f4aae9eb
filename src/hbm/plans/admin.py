"""SOP templates in the administration: their texts come from the loaded JSON document (`hbm
plans load-template`) and stay read-only here; administrators type their translations inline
(docs/decisions/0141). Every inline change is audited."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.lib.admin import ReadOnlyRowsInline, TranslationsOnlyAdmin

from .models import SopTemplate, SopTemplateTask, SopTemplateTaskTranslation, SopTemplateTranslation


class SopTemplateTranslationInline(admin.StackedInline):
    model = SopTemplateTranslation
    extra = 0


class SopTemplateTaskTranslationInline(admin.StackedInline):
    model = SopTemplateTaskTranslation
    extra = 0


class SopTemplateTaskInline(ReadOnlyRowsInline):
    model = SopTemplateTask
    fields = readonly_fields = ("position", "title", "agency_kind", "lead", "due_hours")


@admin.register(SopTemplate)
class SopTemplateAdmin(TranslationsOnlyAdmin):
    list_display = ["name", "code", "activation_level", "loaded_at"]
    inlines = [SopTemplateTranslationInline, SopTemplateTaskInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[SopTemplate]:
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(SopTemplateTask)
class SopTemplateTaskAdmin(TranslationsOnlyAdmin):
    list_display = ["title", "template", "position", "agency_kind"]
    list_filter = ["template"]
    list_select_related = ["template"]
    search_fields = ["title", "translations__title"]
    inlines = [SopTemplateTaskTranslationInline]
