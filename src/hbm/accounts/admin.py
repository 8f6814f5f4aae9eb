from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from hbm.accounts.models import Agency, DeviceToken, User
from hbm.accounts.roles import Role
from hbm.lib.admin import AuditedAdmin


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    filter_horizontal = ["crossing_points"]


class UserRolesForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = "__all__"  # noqa: DJ007 - UserAdmin fieldsets pick the fields


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserRolesForm
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    filter_horizontal = ["crossing_points"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("HBM", {"fields": ("agency", "roles", "crossing_points")}),
    )


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["secret_hash"]
    search_fields = ["name", "prefix", "user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
