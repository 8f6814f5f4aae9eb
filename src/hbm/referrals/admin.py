from django.contrib import admin

from hbm.lib.admin import AuditedAdmin
from hbm.referrals.forms import PathwayAdminForm, ProviderAdminForm
from hbm.referrals.models import Pathway, Provider, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ["label", "code", "shared_fields"]


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    form = ProviderAdminForm
    list_display = ["name", "agency", "active", "capacity_per_week"]
    list_filter = ["active", "service_types"]
    filter_horizontal = ["service_types"]
    search_fields = ["name"]


@admin.register(Pathway)
class PathwayAdmin(AuditedAdmin):
    form = PathwayAdminForm
    list_display = ["crossing_point", "service_type", "urgency", "provider"]
    list_filter = ["crossing_point", "service_type"]
