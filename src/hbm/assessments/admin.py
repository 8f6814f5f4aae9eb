from django.contrib import admin

from hbm.lib.admin import AuditedAdmin

from .models import Assessment, Recommendation, Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    """Read-only here: templates change through copy, draft edits and publish (services)."""

    list_display = ["name", "code", "version", "status", "published_at"]
    list_filter = ["status", "code"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


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
