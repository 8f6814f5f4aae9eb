from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "hbm.backups"
    verbose_name = "Backups"
