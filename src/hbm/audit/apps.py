from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hbm.audit"
    verbose_name = "Audit"
