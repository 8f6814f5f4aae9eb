from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.admin import AuditedAdmin
from hbm.screening.models import (
    NeedCategory,
    NeedCategoryTranslation,
    NeedCode,
    NeedCodeTranslation,
    NeedsTaxonomy,
    PublicHealthEvent,
)


class AuditedInlinesAdmin(AuditedAdmin):
    """Rows edited in an inline (the label translations) are audited like the parent."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        gone = [(obj._meta.label_lower, str(obj.pk)) for obj in deleted]
        super().save_formset(request, form, formset, change)
        entered = {id(f.instance): f.changed_data for f in formset.forms}
        for obj in formset.new_objects:
            self._audit(request, AuditEvent.Action.CREATE, obj, fields=entered.get(id(obj), []))
        for obj, fields in formset.changed_objects:
            self._audit(request, AuditEvent.Action.UPDATE, obj, fields=fields)
        for object_type, object_id in gone:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.DELETE,
                object_type=object_type,
                object_id=object_id,
                detail="via administration",
            )

    @staticmethod
    def _audit(request: HttpRequest, action: str, obj: models.Model, fields: list[str]) -> None:
        audit_record(
            actor=request.user,
            action=action,
            target=obj,
            fields=fields,
            detail="via administration",
        )


class NeedCategoryTranslationInline(admin.TabularInline):
    model = NeedCategoryTranslation
    extra = 0


class NeedCodeTranslationInline(admin.TabularInline):
    model = NeedCodeTranslation
    extra = 0


class NeedCodeInline(admin.TabularInline):
    model = NeedCode
    extra = 0
    show_change_link = True  # the code's own page holds its translations


@admin.register(NeedsTaxonomy)
class NeedsTaxonomyAdmin(AuditedAdmin):
    list_display = ["title", "version", "published", "created_at"]


@admin.register(NeedCategory)
class NeedCategoryAdmin(AuditedInlinesAdmin):
    list_display = ["code", "label", "taxonomy"]
    list_filter = ["taxonomy"]
    inlines = [NeedCategoryTranslationInline, NeedCodeInline]


@admin.register(NeedCode)
class NeedCodeAdmin(AuditedInlinesAdmin):
    list_display = ["code", "label", "category", "verified"]
    list_filter = ["category__taxonomy", "category", "verified"]
    list_select_related = ["category__taxonomy"]
    search_fields = ["code", "label", "translations__label"]
    inlines = [NeedCodeTranslationInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[NeedCode]:
        # __str__ shows the label in the admin user's language
        return (
            super().get_queryset(request).prefetch_related("translations", "category__translations")
        )


@admin.register(PublicHealthEvent)
class PublicHealthEventAdmin(AuditedAdmin):
    list_display = ["name", "started_on", "active", "fever_threshold_celsius"]
    list_filter = ["active"]
