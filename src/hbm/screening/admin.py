from django.contrib import admin

from hbm.lib.admin import AuditedAdmin
from hbm.screening.models import NeedCategory, NeedCode, NeedsTaxonomy, PublicHealthEvent


class NeedCodeInline(admin.TabularInline):
    model = NeedCode
    extra = 0


@admin.register(NeedsTaxonomy)
class NeedsTaxonomyAdmin(AuditedAdmin):
    list_display = ["title", "version", "published", "created_at"]


@admin.register(NeedCategory)
class NeedCategoryAdmin(AuditedAdmin):
    list_display = ["code", "label", "taxonomy"]
    list_filter = ["taxonomy"]
    inlines = [NeedCodeInline]


@admin.register(PublicHealthEvent)
class PublicHealthEventAdmin(AuditedAdmin):
    list_display = ["name", "started_on", "active", "fever_threshold_celsius"]
    list_filter = ["active"]
