"""Read-only here: teams and deployments change through the pages and the API (services),
which check them and write the audit log."""

from django.contrib import admin

from hbm.fieldops.models import Deployment, Team


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(_ReadOnly):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Deployment)
class DeploymentAdmin(_ReadOnly):
    list_display = ["team", "crossing_point", "admin_area", "starts_at", "ends_at"]
    list_filter = ["team"]
