from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "hbm.collect"
    verbose_name = "ODK Collect / KoboCollect (OpenRosa)"
