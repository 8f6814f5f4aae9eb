from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hbm.accounts"
    verbose_name = "Accounts"
