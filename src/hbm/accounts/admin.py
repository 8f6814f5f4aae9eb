from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from hbm.accounts.models import Agency, DeviceToken, User
from hbm.accounts.roles import Role
from hbm.accounts.services.two_factor import two_factor_reset
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
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor login (lost phone)")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_reset(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(
            request,
            f"Two-factor login reset for {len(queryset)} user(s); each sets it up again at "
            "the next login.",
            messages.SUCCESS,
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
        "scope",
    ]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "scope",
    ]
    exclude = ["secret_hash"]
    search_fields = ["name", "prefix", "user__username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
