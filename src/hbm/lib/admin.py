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
