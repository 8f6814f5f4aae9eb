from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from hbm.sync.models import SyncConflict
from hbm.sync.services.conflicts import sync_conflict_resolve

ADMIN_NOTE = "Checked by hand; closed in the admin."


@admin.register(SyncConflict)
class SyncConflictAdmin(admin.ModelAdmin):
    """The conflicts field stations' changes raised: read-only, closed by the action (the
    conflict's page, /sync/conflicts/<id>/, compares the versions and can apply the edit)."""

    list_display = ["id", "status", "change", "person", "crossing_point", "detail", "created_at"]
    list_filter = ["status", "crossing_point"]
    readonly_fields = [field.name for field in SyncConflict._meta.fields]
    actions = ["resolve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Mark resolved (the record was checked by hand)")
    def resolve(self, request: HttpRequest, queryset: QuerySet[SyncConflict]) -> None:
        resolved = 0
        for conflict in queryset:
            try:
                sync_conflict_resolve(
                    actor=request.user,  # type: ignore[arg-type]
                    conflict=conflict,
                    note=ADMIN_NOTE,
                )
                resolved += 1
            except ValidationError:
                continue
        self.message_user(request, f"{resolved} conflict(s) resolved.", messages.SUCCESS)
