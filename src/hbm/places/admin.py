from django.contrib import admin

from hbm.lib.admin import AuditedAdmin
from hbm.places.models import AdminArea, BorderCrossingPoint, Country


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "alpha2", "name"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(AdminArea)
class AdminAreaAdmin(AuditedAdmin):
    list_display = ["pcode", "name", "level", "country"]
    list_filter = ["level", "country"]
    search_fields = ["pcode", "name"]
    autocomplete_fields = ["country", "parent"]


@admin.register(BorderCrossingPoint)
class BorderCrossingPointAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "status", "country", "neighbour_country"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["country", "neighbour_country", "admin_area"]
