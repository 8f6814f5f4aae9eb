from django.contrib import admin

from hbm.lib.admin import AuditedAdmin, ReadOnlyRowsInline, TranslationsOnlyAdmin

from .models import (
    Assessment,
    Dimension,
    DimensionTranslation,
    Indicator,
    IndicatorTranslation,
    Recommendation,
    Template,
    TemplateTranslation,
)


class TemplateTranslationInline(admin.StackedInline):
    model = TemplateTranslation
    extra = 0


class DimensionTranslationInline(admin.StackedInline):
    model = DimensionTranslation
    extra = 0


class IndicatorTranslationInline(admin.StackedInline):
    model = IndicatorTranslation
    extra = 0


class DimensionInline(ReadOnlyRowsInline):
    model = Dimension
    fields = readonly_fields = ("order", "code", "title")


class IndicatorInline(ReadOnlyRowsInline):
    model = Indicator
    fields = readonly_fields = ("order", "code", "question")


@admin.register(Template)
class TemplateAdmin(TranslationsOnlyAdmin):
    list_display = ["name", "code", "version", "status", "published_at"]
    list_filter = ["status", "code"]
    inlines = [TemplateTranslationInline, DimensionInline]


@admin.register(Dimension)
class DimensionAdmin(TranslationsOnlyAdmin):
    list_display = ["code", "title", "template"]
    list_filter = ["template"]
    list_select_related = ["template"]
    inlines = [DimensionTranslationInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(TranslationsOnlyAdmin):
    list_display = ["code", "question", "dimension"]
    list_filter = ["dimension__template"]
    list_select_related = ["dimension__template"]
    search_fields = ["code", "question", "translations__question"]
    inlines = [IndicatorTranslationInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["crossing_point", "assessed_on", "template", "status"]
    list_filter = ["status", "crossing_point"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ["text", "assessment", "agency", "due_on", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["text"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["assessment", "indicator", "created_by"]
