"""SOP templates in the administration: their texts come from the loaded JSON document (`hbm
plans load-template`) and stay read-only here; administrators type their translations inline
(docs/decisions/0141). Every inline change is audited."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.lib.admin import AuditedInlinesAdmin

from .models import SopTemplate, SopTemplateTask, SopTemplateTaskTranslation, SopTemplateTranslation


class SopTemplateTranslationInline(admin.StackedInline):
    model = SopTemplateTranslation
    extra = 0


class SopTemplateTaskTranslationInline(admin.StackedInline):
    model = SopTemplateTaskTranslation
    extra = 0


class SopTemplateTaskInline(admin.TabularInline):
    model = SopTemplateTask
    extra = 0
    fields = readonly_fields = ("position", "title", "agency_kind", "lead", "due_hours")
    show_change_link = True  # the task's own page holds its translations

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TranslationsOnlyAdmin(AuditedInlinesAdmin):
    """The row itself is read-only; only its translations are edited."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
