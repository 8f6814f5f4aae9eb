from django.apps import AppConfig


class FieldopsConfig(AppConfig):
    name = "hbm.fieldops"
    verbose_name = "Field operations"
