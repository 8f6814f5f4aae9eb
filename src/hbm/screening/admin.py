from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.lib.admin import AuditedAdmin, AuditedInlinesAdmin
from hbm.screening.models import (
    NeedCategory,
    NeedCategoryTranslation,
    NeedCode,
    NeedCodeTranslation,
    NeedsTaxonomy,
    PublicHealthEvent,
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
