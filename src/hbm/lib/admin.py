from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go into the audit log like every other write (the admin's own view
    wraps each save in a transaction, so the record and its audit event land together)."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            target=obj,
            fields=form.changed_data,
            detail="via administration",
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.DELETE,
            target=obj,
            detail="via administration",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.DELETE,
                target=obj,
                detail="via administration",
            )
        super().delete_queryset(request, queryset)


class AuditedInlinesAdmin(AuditedAdmin):
    """Rows edited in an inline (the translations) are audited like the parent."""

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


class TranslationsOnlyAdmin(AuditedInlinesAdmin):
    """A row read-only in the admin (services own its writes) whose translations are edited
    inline (docs/decisions/0141)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyRowsInline(admin.TabularInline):
    """The rows under a translated row, read-only, each linking to its own page of
    translations."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
